// The fixed FFT's fast path (Thumb-2 assembly on Cortex-M) against its
// portable C++ form, bit for bit, every size, random and extreme inputs.
// Runs on the host (GoogleTest) and on Cortex-M (firmware/minitest), so the
// buffers are static.
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include "micro/dsp/fft.h"

namespace mote::micro::dsp {
namespace {

int32_t g_fast[1024];
int32_t g_portable[1024];

uint32_t g_seed = 2024;
uint32_t Next() {
  g_seed = g_seed * 1664525u + 1013904223u;
  return g_seed;
}

// Fills both buffers with the same n samples, |x| < 2^29: mode 0 random at
// full scale, 1 random small, 2 a constant at the limit, 3 alternating.
void Fill(int n, int mode) {
  const int32_t limit = (1 << FftInputBits(n)) - 1;
  for (int i = 0; i < n; ++i) {
    int32_t v = 0;
    switch (mode) {
      case 0: v = static_cast<int32_t>(Next() % (2u * limit + 1u)) - limit; break;
      case 1: v = static_cast<int32_t>(Next() % 2001u) - 1000; break;
      case 2: v = -limit; break;
      default: v = i % 2 ? limit : -limit; break;
    }
    g_fast[i] = g_portable[i] = v;
  }
}

TEST(DspFftFixedTest, FastPathEqualsPortable) {
  for (int n = 32; n <= 1024; n *= 2) {
    for (int mode = 0; mode < 4; ++mode) {
      for (int rep = 0; rep < (mode < 2 ? 8 : 1); ++rep) {
        Fill(n, mode);
        RealFftS32(g_fast, n);
        RealFftS32Portable(g_portable, n);
        int first_diff = -1;
        for (int i = 0; i < n && first_diff < 0; ++i)
          if (g_fast[i] != g_portable[i]) first_diff = i;
        EXPECT_EQ(first_diff, -1) << "n " << n << " mode " << mode;
      }
    }
  }
}

TEST(DspFftFixedTest, PortableIsAnFft) {
  // A sine at bin 5 of 64 samples: all its energy in bin 5 (X / n).
  const int n = 64;
  for (int i = 0; i < n; ++i) {
    // sin(2 pi 5 i / 64) * 2^28 from the quarter-sine table's Q30 values.
    int32_t c, s;
    CosSinQ30(static_cast<uint32_t>((5 * i * 16) % 1024), &c, &s);
    g_portable[i] = -s / 4;
  }
  RealFftS32Portable(g_portable, n);
  // X[5] = -i n A / 2 for x = A sin: Im X[5] / n = -A / 2 = -2^27.
  EXPECT_NEAR(g_portable[11], -(1 << 27), 64);
  for (int k = 1; k < n / 2; ++k) {
    if (k == 5) continue;
    EXPECT_LE(g_portable[2 * k] < 0 ? -g_portable[2 * k] : g_portable[2 * k], 64) << k;
    EXPECT_LE(g_portable[2 * k + 1] < 0 ? -g_portable[2 * k + 1] : g_portable[2 * k + 1], 64) << k;
  }
}

}  // namespace
}  // namespace mote::micro::dsp
