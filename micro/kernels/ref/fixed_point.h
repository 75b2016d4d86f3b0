// Q-format fixed-point maths for the transcendental integer kernels.
//
// Contract: every function here reproduces, bit for bit, the scalar int32
// fixed-point library (gemmlowp's "fixedpoint") that TensorFlow Lite Micro's
// reference SOFTMAX, LOGISTIC and TANH kernels use. Values are plain int32
// "raw" words; a value "in Qm" has m integer bits and 31 - m fractional bits,
// so it represents raw / 2^(31 - m) and lies in [-2^m, 2^m). Q0 values are in
// [-1, 1); Q0 "one" is INT32_MAX. Additions and subtractions wrap (two's
// complement), multiplications are SaturatingRoundingDoublingHighMul, and
// power-of-two rescales saturate upwards and round (ties away from zero)
// downwards, all as in the reference. Integer only: no floating point, no
// heap, no exceptions; safe to call from Eval on any target.
//
//   // exp(-1.5): -1.5 in Q5 is -1.5 * 2^26.
//   int32_t e = ExpOnNegativeValues<5>(-(3 << 25));     // ~0.2231 in Q0
//   int32_t s = LogisticQ0<4>(1 << 27);                  // sigmoid(1) in Q0
//   int32_t t = TanhQ0<4>(-(1 << 27));                   // tanh(-1) in Q0
#ifndef MOTE_MICRO_KERNELS_REF_FIXED_POINT_H_
#define MOTE_MICRO_KERNELS_REF_FIXED_POINT_H_

#include <stdint.h>

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

// Two's-complement wrapping arithmetic (the reference relies on it; written
// through uint32_t so that it is defined behaviour in C++).
inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) +
                              static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) -
                              static_cast<uint32_t>(b));
}
inline int32_t WrapNeg(int32_t a) {
  return static_cast<int32_t>(0u - static_cast<uint32_t>(a));
}

// Number of leading zero bits; 32 for x == 0.
inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// round((a + b) / 2), ties away from zero, computed without overflow.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// x * 2^kExponent. kExponent > 0 saturates to [INT32_MIN, INT32_MAX];
// kExponent < 0 is RoundingDivideByPOT (ties away from zero).
template <int kExponent>
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x) {
  static_assert(kExponent > -32 && kExponent < 32, "bad exponent");
  if constexpr (kExponent == 0) {
    return x;
  } else if constexpr (kExponent > 0) {
    constexpr int32_t kThreshold = (int32_t{1} << (31 - kExponent)) - 1;
    if (x > kThreshold) return INT32_MAX;
    if (x < -kThreshold) return INT32_MIN;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << kExponent);
  } else {
    return RoundingDivideByPOT(x, -kExponent);
  }
}

// Re-expresses a Q(kSrcIntegerBits) raw value in Q(kDstIntegerBits).
template <int kDstIntegerBits, int kSrcIntegerBits>
inline int32_t RescaleQ(int32_t x) {
  return SaturatingRoundingMultiplyByPOT<kSrcIntegerBits - kDstIntegerBits>(x);
}

// SaturatingRoundingDoublingHighMul(x * 2^left_shift, multiplier): the
// softmax input scaling. REQUIRES: 0 <= left_shift <= 31 and x * 2^left_shift
// representable in int32 (Prepare's diff_min guarantees it).
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x,
                                                           int32_t multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(
      static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift), multiplier);
}

// floor((2^input_integer_bits - 1) * 2^(total_signed_bits -
// input_integer_bits - input_left_shift)): the largest |x| for which x scaled
// by 2^input_left_shift still fits the Q(input_integer_bits) range. Computed
// exactly in integers (TFLite computes the same value in double).
// REQUIRES: 0 <= input_integer_bits < 31, input_left_shift >= 0.
inline int32_t CalculateInputRadius(int input_integer_bits,
                                    int input_left_shift,
                                    int total_signed_bits = 31) {
  const int64_t top = (int64_t{1} << input_integer_bits) - 1;
  const int exponent =
      total_signed_bits - input_integer_bits - input_left_shift;
  if (exponent >= 0) {
    const int64_t r = exponent >= 32 ? INT32_MAX : top << exponent;
    return r > INT32_MAX ? INT32_MAX : static_cast<int32_t>(r);
  }
  return exponent <= -63 ? 0 : static_cast<int32_t>(top >> -exponent);
}

// exp(a) for a in [-1/4, 0). a and result in Q0. Taylor series around -1/8.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0
  constexpr int32_t kOneThird = 715827883;            // 1/3 in Q0
  const int32_t x = WrapAdd(a, int32_t{1} << 28);     // a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = SaturatingRoundingMultiplyByPOT<-2>(x4);
  // x^4/24 + x^3/6 + x^2/2
  const int32_t poly = SaturatingRoundingMultiplyByPOT<-1>(WrapAdd(
      SaturatingRoundingDoublingHighMul(WrapAdd(x4_over_4, x3), kOneThird),
      x2));
  return WrapAdd(kExpMinusOneEighth,
                 SaturatingRoundingDoublingHighMul(kExpMinusOneEighth,
                                                   WrapAdd(x, poly)));
}

// exp(a) for a <= 0; a in Q(kIntegerBits), result in Q0 (exp(0) = INT32_MAX).
// a is split into a multiple of 1/4 and a remainder in [-1/4, 0); the
// remainder goes through the polynomial above and each set bit of the
// multiple multiplies in exp(-2^k) (a "barrel shifter").
template <int kIntegerBits>
inline int32_t ExpOnNegativeValues(int32_t a) {
  static_assert(kIntegerBits >= 0 && kIntegerBits < 31, "bad Q format");
  constexpr int kFractionalBits = 31 - kIntegerBits;
  constexpr int32_t kOneQuarter = int32_t{1} << (kFractionalBits - 2);
  const int32_t a_mod_quarter_minus_one_quarter =
      WrapSub(a & (kOneQuarter - 1), kOneQuarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      RescaleQ<0, kIntegerBits>(a_mod_quarter_minus_one_quarter));
  const int32_t remainder = WrapSub(a_mod_quarter_minus_one_quarter, a);

  // exp(-2^k) in Q0 for k = -2 .. 4.
  constexpr int32_t kExpMinusPow2[7] = {1672461947, 1302514674, 790015084,
                                        290630308,  39332535,   720401,
                                        242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k) {
      const int shift = kFractionalBits + k;
      if ((remainder & (int32_t{1} << shift)) != 0) {
        result =
            SaturatingRoundingDoublingHighMul(result, kExpMinusPow2[k + 2]);
      }
    }
  }

  if constexpr (kIntegerBits > 5) {
    // Below -32 the result is exactly zero.
    constexpr int32_t kClamp = -(int32_t{1} << (36 - kIntegerBits));
    if (a < kClamp) result = 0;
  }
  if (a == 0) result = INT32_MAX;
  return result;
}

// Three Newton-Raphson steps towards 1 / d with d = (1 + a) / 2, for a in
// [0, 1) (Q0 in), starting from 48/17 - 32/17 * d. Returns 2 / (1 + a) in Q2.
inline int32_t NewtonRaphsonTwoOverOnePlusX(int32_t a) {
  constexpr int32_t k48Over17 = 1515870810;      // Q2
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2
  constexpr int32_t kOneQ2 = int32_t{1} << 29;
  const int32_t half_denominator = RoundingHalfSum(a, INT32_MAX);  // Q0
  int32_t x = WrapAdd(k48Over17, SaturatingRoundingDoublingHighMul(
                                     half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x =
        SaturatingRoundingDoublingHighMul(half_denominator, x);  // Q2
    const int32_t one_minus_half_denominator_times_x =
        WrapSub(kOneQ2, half_denominator_times_x);  // Q2
    // Q2 * Q2 = Q4, back to Q2.
    x = WrapAdd(x, RescaleQ<2, 4>(SaturatingRoundingDoublingHighMul(
                       x, one_minus_half_denominator_times_x)));
  }
  return x;
}

// 1 / (1 + a) for a in [0, 1); Q0 in, Q0 out.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  // x / 2 in Q2 has the same raw bits as x in Q1; rescale Q1 -> Q0.
  return RescaleQ<0, 1>(NewtonRaphsonTwoOverOnePlusX(a));
}

// (1 - a) / (1 + a) for a in [0, 1); Q0 in, Q0 out.
inline int32_t OneMinusXOverOnePlusXForXIn01(int32_t a) {
  constexpr int32_t kOneQ2 = int32_t{1} << 29;
  return RescaleQ<0, 2>(WrapSub(NewtonRaphsonTwoOverOnePlusX(a), kOneQ2));
}

// 1 / (1 + exp(-a)); a in Q(kIntegerBits), result in Q0.
template <int kIntegerBits>
inline int32_t LogisticQ0(int32_t a) {
  if (a == 0) return int32_t{1} << 30;  // exactly 1/2
  const bool positive = a > 0;
  const int32_t abs_a = positive ? a : WrapNeg(a);
  const int32_t exp_neg_abs = ExpOnNegativeValues<kIntegerBits>(WrapNeg(abs_a));
  const int32_t on_positive = OneOverOnePlusXForXIn01(exp_neg_abs);
  return positive ? on_positive : WrapSub(INT32_MAX, on_positive);
}

// tanh(a); a in Q(kIntegerBits), result in Q0.
template <int kIntegerBits>
inline int32_t TanhQ0(int32_t a) {
  if (a == 0) return 0;
  const bool negative = a < 0;
  const int32_t neg_abs = negative ? a : WrapNeg(a);
  // exp(2 * neg_abs): the same raw bits read as Q(kIntegerBits + 1).
  const int32_t t = OneMinusXOverOnePlusXForXIn01(
      ExpOnNegativeValues<kIntegerBits + 1>(neg_abs));
  return negative ? WrapNeg(t) : t;
}

// Reciprocal of a positive Q(x_integer_digits) value x, normalised: returns r
// in Q0 and *num_bits_over_unit = b such that 1 / x ~= r * 2^-b.
// REQUIRES: x > 0.
inline int32_t GetReciprocal(int32_t x, int x_integer_digits,
                             int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x normalised into [1, 2), minus one, as Q0.
  const int32_t shifted_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return OneOverOnePlusXForXIn01(shifted_minus_one);
}

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_FIXED_POINT_H_
