// Fixed-point helpers shared by every integer kernel.
//
// Contract: these reproduce TensorFlow Lite's integer arithmetic bit for bit
// (double rounding: a saturating rounding doubling high multiply, then a
// rounding right shift, ties away from zero). Host-side code calls
// QuantizeMultiplier() once in Prepare; Eval only calls the integer functions.
//
//   int32_t m; int s;
//   QuantizeMultiplier(0.0123, &m, &s);          // Prepare
//   int32_t y = MultiplyByQuantizedMultiplier(acc, m, s);  // Eval
#ifndef MOTE_MICRO_KERNELS_REF_QUANT_H_
#define MOTE_MICRO_KERNELS_REF_QUANT_H_

#include <stdint.h>

namespace mote::micro::ref {

// round(a * b / 2^31) with saturation of the single overflow case
// (INT32_MIN * INT32_MIN).
// gemmlowp computes (ab + nudge) / 2^31 truncated toward zero with nudge =
// 2^30 for ab >= 0 and 1 - 2^30 for ab < 0; for ab < 0 that truncation is
// floor((ab + 1 - 2^30 + 2^31 - 1) / 2^31), so both cases are
// floor((ab + 2^30) / 2^31): one arithmetic shift, no branch (quant_test.cc
// checks the two forms agree).
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  return static_cast<int32_t>((ab + (int64_t{1} << 30)) >> 31);  // arithmetic shift
}

// x / 2^exponent rounded to nearest, ties away from zero.
// REQUIRES: 0 <= exponent <= 31.
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << exponent) - 1u);  // exact for 0..31
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^(shift - 31), TFLite's MultiplyByQuantizedMultiplier.
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier,
                                             int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(
          static_cast<int32_t>(static_cast<uint32_t>(x) << left), multiplier),
      right);
}

// MultiplyByQuantizedMultiplierFast below for a right shift, shift = -e (the
// derivation is there); kernels call it directly when they know the shift's sign.
// REQUIRES: 1 <= e <= 31.
inline int32_t MultiplyByQuantizedMultiplierRight(int32_t x, int32_t multiplier, int e) {
  // 2^(e-1) - n: n from the sign bit of x ^ m (0 or -1 after the shift).
  const int32_t r = static_cast<int32_t>(uint32_t{1} << (e - 1)) + ((x ^ multiplier) >> 31);
  // r 2^31 + 2^30 as two words (0 <= r <= 2^30: no carry between them).
  const uint64_t c = (static_cast<uint64_t>(static_cast<uint32_t>(r >> 1)) << 32) |
                     ((static_cast<uint32_t>(r) << 31) | 0x40000000u);
  const int64_t v = static_cast<int64_t>(x) * multiplier + static_cast<int64_t>(c);
  return static_cast<int32_t>(v >> 32) >> (e - 1);  // = v >> (31 + e): 31 + e >= 32
}

// The same result as MultiplyByQuantizedMultiplier for EVERY operand, with
// one 64-bit multiply-accumulate and one 32-bit shift (SMLAL + ASR on
// Cortex-M) instead of two separately rounded steps (11 instructions on M4
// for a right shift; int8 conv outputs cost ~9 instructions less each). Used by ChannelQuant::Apply; quant_test.cc compares it
// with the two-step form on edge and millions of random operands.
//
// Why it is exact. For shift >= 0 there is one rounding (the right shift is
// 0): the doubling high multiply itself, floor((P + 2^30) / 2^31) with
// P = (x << shift) * m. For e = -shift >= 1 the two-step form is
//   h = floor((P + 2^30) / 2^31),
//   y = floor((h + 2^(e-1) - [h < 0]) / 2^e)    (ties away from zero),
// and since floor(floor(a / 2^31) + c) / 2^e) = floor((a + c 2^31) / 2^(31+e))
// for integer c,
//   y = floor((P + 2^30 + (2^(e-1) - [h < 0]) 2^31) / 2^(31+e)).
// [h < 0] is replaced by n = [x, m of opposite signs]: n = 0 with h < 0 is
// impossible (h < 0 needs P < -2^30); n = 1 with h >= 0 means
// -2^30 <= P <= 0, so h = 0 and both constants give y = 0. The saturating
// case x = m = INT32_MIN (h = 2^31 - 1 in the two-step form, 2^31 here) gives
// the same y for every e >= 1; for e = 0 it is returned explicitly.
// |P| <= 2^62 and the constant is < 2^62, so the int64 sum never overflows.
// REQUIRES: -31 <= shift <= 31.
inline int32_t MultiplyByQuantizedMultiplierFast(int32_t x, int32_t multiplier, int shift) {
  if (shift >= 0) {
    const int32_t a = static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
    if (a == INT32_MIN && multiplier == INT32_MIN) return INT32_MAX;
    const int64_t v = static_cast<int64_t>(a) * multiplier + (int64_t{1} << 30);
    return static_cast<int32_t>(v >> 31);  // |v| < 2^62: the quotient fits
  }
  return MultiplyByQuantizedMultiplierRight(x, multiplier, -shift);
}

// TFLite's MultiplyByQuantizedMultiplier for an int64 accumulator (16x8
// kernels with int64 bias): the Q31 multiplier is first rounded to Q15, then
// x * m15 is rounded once, half up, by 2^(15 - shift). The result is
// truncated to int32 as in TFLite.
// REQUIRES: multiplier >= 0, -31 <= shift <= 7, |x| < 2^47.
inline int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier, int shift) {
  const int32_t m15 = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t v = x * m15 + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(v >> total_shift);
}

// Output requantization of conv-like ops: per output channel, a multiplier
// in `channel_mult` and a shift in `channel_shift` (shifts fit in int8: 5
// bytes of arena per channel); when channel_mult is null, the single pair
// `mult`, `shift` serves every channel.
struct ChannelQuant {
  const int32_t* channel_mult = nullptr;
  const int8_t* channel_shift = nullptr;
  int32_t mult = 0;
  int32_t shift = 0;
  int32_t Apply(int32_t acc, int channel) const {
    if (channel_mult == nullptr) return MultiplyByQuantizedMultiplierFast(acc, mult, shift);
    return MultiplyByQuantizedMultiplierFast(acc, channel_mult[channel], channel_shift[channel]);
  }
  int32_t Apply64(int64_t acc, int channel) const {
    if (channel_mult == nullptr) return MultiplyByQuantizedMultiplier64(acc, mult, shift);
    return MultiplyByQuantizedMultiplier64(acc, channel_mult[channel], channel_shift[channel]);
  }
};

inline int32_t Clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// Splits `real` into a Q31 multiplier and a power-of-two shift so that
// real ~= multiplier * 2^(shift - 31). Host/Prepare only (uses double).
void QuantizeMultiplier(double real, int32_t* multiplier, int* shift);

// round-half-away-from-zero of a float, as TfLiteRound / std::round.
float RoundAway(float x);
double RoundAway(double x);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_QUANT_H_
