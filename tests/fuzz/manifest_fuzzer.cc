// libFuzzer target for the manifest parser (micro/safety/manifest.h): any
// bytes must give kBadRecord with a message, or a manifest whose every view
// stays inside the input. Built with -DMOTE_FUZZ=ON (clang):
//
//   tests/fuzz/run_safety_fuzzers.sh 600 manifest
//
// Seeds: records written by tests/fuzz/make_safety_seeds (valid manifests).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <new>

#include "micro/safety/crc32.h"
#include "micro/safety/manifest.h"

namespace {

bool Inside(const uint8_t* base, size_t size, const uint8_t* p, size_t n) {
  return p >= base && n <= size && static_cast<size_t>(p - base) <= size - n;
}

void Check(const uint8_t* rec, size_t size);

// Rewrites the length and the CRC so that mutations reach the field checks.
void Reseal(uint8_t* rec, size_t size) {
  const uint32_t total = static_cast<uint32_t>(size & ~size_t{3});
  for (int i = 0; i < 4; ++i) rec[8 + i] = static_cast<uint8_t>(total >> (8 * i));
  const uint32_t crc = mote::micro::Crc32(rec, total - 4);
  for (int i = 0; i < 4; ++i) rec[total - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An allocation of exactly `size` bytes, so ASan reports any read past it.
  uint8_t* rec = static_cast<uint8_t*>(::operator new(size > 0 ? size : 1));
  if (size > 0) memcpy(rec, data, size);
  Check(rec, size);
  if (size >= 16 && size < (1u << 24)) {
    Reseal(rec, size);
    Check(rec, size);
  }
  ::operator delete(rec);
  return 0;
}

namespace {

void Check(const uint8_t* rec, size_t size) {
  using namespace mote::micro;
  Manifest m;
  ErrorText err;
  const Status s = ParseManifest(rec, size, &m, &err);
  if (s != Status::kOk) {
    if (s != Status::kBadRecord || err.empty() || m.present) __builtin_trap();
  } else {
    if (!m.present || !Inside(rec, size, m.name.data, m.name.size)) __builtin_trap();
    float sink = 0.0f;
    for (uint32_t i = 0; i < m.num_labels; ++i) {
      const ByteSpan l = m.Label(i);
      if (!Inside(rec, size, l.data, l.size)) __builtin_trap();
    }
    for (uint32_t i = 0; i < m.scale.count; ++i) sink += m.Scale(i) + m.Offset(i);
    for (uint32_t i = 0; i < m.mean.count; ++i) sink += m.mean[i] + m.variance[i];
    if (m.front_end.size && !Inside(rec, size, m.front_end.data, m.front_end.size)) __builtin_trap();
    if (m.training_hash && !Inside(rec, size, m.training_hash, 32)) __builtin_trap();
    volatile float keep = sink;
    (void)keep;
  }
}

}  // namespace
