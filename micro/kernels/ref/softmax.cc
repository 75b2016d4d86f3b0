#include "micro/kernels/ref/softmax.h"

#include <math.h>

#include "micro/kernels/ref/fixed_point.h"
#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

void QuantizeMultiplierGreaterThanOne(double real, int32_t* multiplier,
                                      int* left_shift) {
  // frexp split with round-half-away; unlike QuantizeMultiplier() in quant.cc
  // a shift of 31 is kept (the double-rounding TFLite build does not
  // saturate it, and softmax reaches it when beta * input_scale >= 16).
  int exp = 0;
  const double fraction = frexp(real, &exp);
  int64_t q = static_cast<int64_t>(
      round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++exp;
  }
  *multiplier = static_cast<int32_t>(q);
  *left_shift = exp;
}

void SoftmaxPrepareS8(float input_scale, float beta, SoftmaxParamsS8* p) {
  const double max_real_multiplier = 2147483647.0;  // 2^31 - 1
  double real = static_cast<double>(beta) * static_cast<double>(input_scale) *
                static_cast<double>(1 << (31 - kSoftmaxScaledDiffIntegerBits));
  if (real > max_real_multiplier) real = max_real_multiplier;
  int shift = 0;
  QuantizeMultiplierGreaterThanOne(real, &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  p->diff_min = static_cast<int32_t>(
      -1.0 * CalculateInputRadius(kSoftmaxScaledDiffIntegerBits, shift));
}

namespace {

// exp(beta * input_scale * diff) in Q0, for diff = in - row_max <= 0.
inline int32_t ExpOfDiff(const SoftmaxParamsS8& p, int32_t diff) {
  const int32_t scaled_diff = MultiplyByQuantizedMultiplierGreaterThanOne(
      diff, p.input_multiplier, p.input_left_shift);  // Q5
  return ExpOnNegativeValues<kSoftmaxScaledDiffIntegerBits>(scaled_diff);
}

// RoundingDivideByPOT for exponents up to 62. TFLM stops (TFLITE_CHECK) when
// the output exponent exceeds 31, which int8 output reaches once a row's sum
// of exponentials is >= 512; we continue with the same rounding rule.
inline int32_t RoundingDivideByPOT64(int32_t x, int exponent) {
  if (exponent <= 31) return RoundingDivideByPOT(x, exponent);
  const int64_t x64 = x;
  const int64_t mask = (int64_t{1} << exponent) - 1;
  const int64_t remainder = x64 & mask;
  const int64_t threshold = (mask >> 1) + (x64 < 0 ? 1 : 0);
  return static_cast<int32_t>((x64 >> exponent) +
                              (remainder > threshold ? 1 : 0));
}

template <typename OutT, int32_t kOutMin, int32_t kOutMax>
void SoftmaxS8Impl(const SoftmaxParamsS8& p, int outer, int depth,
                   const int8_t* in, OutT* out) {
  constexpr int kOutBits = static_cast<int>(sizeof(OutT) * 8);
  for (int i = 0; i < outer; ++i) {
    const int8_t* row = in + static_cast<long>(i) * depth;
    OutT* out_row = out + static_cast<long>(i) * depth;

    int32_t row_max = -128;
    for (int c = 0; c < depth; ++c) {
      if (row[c] > row_max) row_max = row[c];
    }

    int32_t sum_of_exps = 0;  // Q12
    for (int c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(row[c]) - row_max;
      if (diff >= p.diff_min) {
        sum_of_exps = WrapAdd(
            sum_of_exps,
            RescaleQ<kSoftmaxAccumulationIntegerBits, 0>(ExpOfDiff(p, diff)));
      }
    }

    int num_bits_over_unit = 0;
    const int32_t shifted_scale = GetReciprocal(
        sum_of_exps, kSoftmaxAccumulationIntegerBits, &num_bits_over_unit);
    const int out_shift = num_bits_over_unit + 31 - kOutBits;

    for (int c = 0; c < depth; ++c) {
      const int32_t diff = static_cast<int32_t>(row[c]) - row_max;
      if (diff >= p.diff_min) {
        const int32_t exp_q0 = ExpOfDiff(p, diff);
        const int32_t prob_q0 =
            SaturatingRoundingDoublingHighMul(shifted_scale, exp_q0);
        const int32_t v = RoundingDivideByPOT64(prob_q0, out_shift) + kOutMin;
        out_row[c] = static_cast<OutT>(Clamp(v, kOutMin, kOutMax));
      } else {
        out_row[c] = static_cast<OutT>(kOutMin);
      }
    }
  }
}

}  // namespace

void SoftmaxS8(const SoftmaxParamsS8& p, int outer, int depth,
               const int8_t* in, int8_t* out) {
  SoftmaxS8Impl<int8_t, -128, 127>(p, outer, depth, in, out);
}

void SoftmaxS8S16(const SoftmaxParamsS8& p, int outer, int depth,
                  const int8_t* in, int16_t* out) {
  SoftmaxS8Impl<int16_t, -32768, 32767>(p, outer, depth, in, out);
}

void SoftmaxF32(float beta, int outer, int depth, const float* in,
                float* out) {
  for (int i = 0; i < outer; ++i) {
    const float* row = in + static_cast<long>(i) * depth;
    float* out_row = out + static_cast<long>(i) * depth;
    float row_max = -3.40282347e+38f;  // lowest float; NaNs are skipped
    for (int c = 0; c < depth; ++c) {
      if (row_max < row[c]) row_max = row[c];
    }
    float sum = 0.0f;
    for (int c = 0; c < depth; ++c) {
      const float e = expf((row[c] - row_max) * beta);
      out_row[c] = e;
      sum += e;
    }
    for (int c = 0; c < depth; ++c) out_row[c] = out_row[c] / sum;
  }
}

}  // namespace mote::micro::ref
