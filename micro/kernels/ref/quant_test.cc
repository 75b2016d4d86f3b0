// SaturatingRoundingDoublingHighMul (one shift) against gemmlowp's own
// formulation (nudge, then division truncating toward zero), written out here.
#include "micro/kernels/ref/quant.h"

#include <gtest/gtest.h>
#include <stdint.h>

namespace mote::micro::ref {
namespace {

int32_t GemmlowpHighMul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

uint32_t g_seed = 99;
int32_t RandWord() {
  g_seed = g_seed * 1664525u + 1013904223u;
  const uint32_t hi = g_seed;
  g_seed = g_seed * 1664525u + 1013904223u;
  return static_cast<int32_t>((hi & 0xFFFF0000u) | (g_seed >> 16));
}

TEST(SaturatingRoundingDoublingHighMul, MatchesGemmlowpFormulation) {
  const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1, -(1 << 30), -(1 << 30) + 1,
                           -3, -2, -1, 0, 1, 2, 3, (1 << 30) - 1, 1 << 30, (1 << 30) + 1,
                           INT32_MAX - 1, INT32_MAX};
  int mismatches = 0;
  for (int32_t a : edges)
    for (int32_t b : edges) mismatches += SaturatingRoundingDoublingHighMul(a, b) != GemmlowpHighMul(a, b);
  for (int i = 0; i < 200000; ++i) {
    int32_t a = RandWord(), b = RandWord();
    if (i % 4 == 1) a >>= (i % 29);        // small accumulators
    if (i % 4 == 2) b = (b & 0x3FFFFFFF) | 0x40000000;  // QuantizeMultiplier range
    mismatches += SaturatingRoundingDoublingHighMul(a, b) != GemmlowpHighMul(a, b);
  }
  EXPECT_EQ(mismatches, 0);
  // Ties: 0.5 rounds up, -0.5 rounds toward zero (gemmlowp's nudge).
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1), 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-(1 << 30), 1), 0);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
}

}  // namespace
}  // namespace mote::micro::ref
