// SaturatingRoundingDoublingHighMul (one shift) against gemmlowp's own
// formulation (nudge, then division truncating toward zero), written out here;
// MultiplyByQuantizedMultiplierFast (one rounding) against the two-step
// MultiplyByQuantizedMultiplier.
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


// Edge operands: 0, +-1, +-2^k - 1, +-2^k, +-2^k + 1 for every k, INT32_MIN,
// INT32_MAX (ties at every shift, the saturating INT32_MIN * INT32_MIN).
// (A fixed array, no heap: this file also runs on the target in kernel_tests.elf.)
constexpr int kEdgeCount = 4 + 31 * 3 * 2;
void EdgeWords(int32_t* v) {
  int n = 0;
  v[n++] = INT32_MIN;
  v[n++] = INT32_MIN + 1;
  v[n++] = INT32_MAX;
  v[n++] = INT32_MAX - 1;
  for (int k = 0; k < 31; ++k)
    for (int d = -1; d <= 1; ++d) {  // 2^0 - 1 = 0 covers zero
      const int32_t p = static_cast<int32_t>((uint32_t{1} << k) + static_cast<uint32_t>(d));
      v[n++] = p;
      v[n++] = -p;
    }
}

TEST(MultiplyByQuantizedMultiplierFast, MatchesTwoStepOnEdges) {
  int32_t edges[kEdgeCount];
  EdgeWords(edges);
  long mismatches = 0;
  int first_shift = 99;
  for (int s = -31; s <= 31; ++s)
    for (int32_t x : edges)
      for (int32_t m : edges) {
        const bool bad = MultiplyByQuantizedMultiplierFast(x, m, s) != MultiplyByQuantizedMultiplier(x, m, s);
        if (bad && first_shift == 99) first_shift = s;
        mismatches += bad ? 1 : 0;
      }
  EXPECT_EQ(mismatches, 0L) << "first mismatch at shift " << first_shift;
  // The saturating product at shift 0 and after a right shift.
  EXPECT_EQ(MultiplyByQuantizedMultiplierFast(INT32_MIN, INT32_MIN, 0), INT32_MAX);
  EXPECT_EQ(MultiplyByQuantizedMultiplierFast(INT32_MIN, INT32_MIN, -1), 1 << 30);
  // Double rounding by hand: 5 * 2^30 / 2^31 = 2.5 -> h = 3, then 3 / 2 =
  // 1.5 -> 2 (a single rounding of 1.25 would give 1); -7 * 2^30 / 2^31 =
  // -3.5 -> h = -3, then -1.5 -> -2 (single rounding of -1.75: -2 too).
  EXPECT_EQ(MultiplyByQuantizedMultiplierFast(5, 1 << 30, -1), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplierFast(-7, 1 << 30, -1), -2);
  // -0.5 from the high multiply becomes 0, not -1, before the shift.
  EXPECT_EQ(MultiplyByQuantizedMultiplierFast(-1, 1 << 30, -1), 0);
}

TEST(MultiplyByQuantizedMultiplierFast, MatchesTwoStepOnRandom) {
  long mismatches = 0;
  for (int i = 0; i < 4000000; ++i) {
    int32_t x = RandWord(), m = RandWord();
    const int s = static_cast<int>(static_cast<uint32_t>(RandWord()) % 63u) - 31;
    if (i % 4 == 1) x >>= (i / 4) % 31;                  // accumulator sizes
    if (i % 4 == 2) m = (m & 0x3FFFFFFF) | 0x40000000;  // QuantizeMultiplier range
    if (i % 4 == 3) {                                    // typical conv requantization
      x >>= 8;
      m = (m & 0x3FFFFFFF) | 0x40000000;
    }
    mismatches += MultiplyByQuantizedMultiplierFast(x, m, s) != MultiplyByQuantizedMultiplier(x, m, s) ? 1 : 0;
  }
  EXPECT_EQ(mismatches, 0L);
}

}  // namespace
}  // namespace mote::micro::ref
