// Seeded pseudo-random integers for the kernel tests, the same on the host
// (GoogleTest) and on Cortex-M (firmware/minitest): a 32-bit LCG, no <random>,
// no heap. Each test file keeps its own seed, so its cases do not depend on
// which other tests ran.
//
//   uint32_t g_seed = 12345;
//   int v = RandIn(&g_seed, -128, 127);
#ifndef MOTE_MICRO_KERNELS_TEST_RAND_H_
#define MOTE_MICRO_KERNELS_TEST_RAND_H_

#include <stdint.h>

namespace mote::micro {

// Uniform-ish in [lo, hi]; advances *seed.
inline int RandIn(uint32_t* seed, int lo, int hi) {
  *seed = *seed * 1664525u + 1013904223u;
  const uint32_t r = (*seed >> 1) ^ (*seed << 13);
  return static_cast<int>(lo + static_cast<int64_t>(r % static_cast<uint64_t>(int64_t{hi} - lo + 1)));
}

}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_TEST_RAND_H_
