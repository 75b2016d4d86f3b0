#include "micro/kernels/ref/logistic.h"

#include <math.h>

#include "micro/kernels/ref/fixed_point.h"
#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

void LogisticPrepareS8(float input_scale, int32_t input_zero_point,
                       LogisticParamsS8* p) {
  // input_scale * 2^(31 - 4): one input step in Q4.27 units.
  const double real =
      static_cast<double>(input_scale) *
      static_cast<double>(int64_t{1} << (31 - kLogisticInputIntegerBits));
  int shift = 0;
  const double fraction = frexp(real, &shift);
  // No renormalisation of a rounded-up 2^31 here, as in TFLM: a float scale
  // has a 24-bit significand, so the product never rounds up to 2^31.
  p->input_zero_point = input_zero_point;
  p->input_multiplier = static_cast<int32_t>(
      round(fraction * static_cast<double>(int64_t{1} << 31)));
  p->input_left_shift = shift;
  p->input_range_radius =
      CalculateInputRadius(kLogisticInputIntegerBits, shift);
}

void LogisticS8(const LogisticParamsS8& p, int size, const int8_t* in,
                int8_t* out) {
  constexpr int kOutputIntegerBits = 8;  // Q0 -> 1/256 steps
  for (int i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(in[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      out[i] = -128;
    } else if (x >= p.input_range_radius) {
      out[i] = 127;
    } else {
      const int32_t x_q4 = MultiplyByQuantizedMultiplier(
          x, p.input_multiplier, p.input_left_shift);
      const int32_t y_q0 = LogisticQ0<kLogisticInputIntegerBits>(x_q4);
      const int32_t y = RoundingDivideByPOT(y_q0, 31 - kOutputIntegerBits);
      out[i] = static_cast<int8_t>(Clamp(y - 128, -128, 127));
    }
  }
}

void LogisticF32(int size, const float* in, float* out) {
  // Beyond these, 1 / (1 + exp(-x)) is 1 in float, or exp(x) is as exact.
  constexpr float kCutoffUpper = 16.619047164916992188f;
  constexpr float kCutoffLower = -9.0f;
  for (int i = 0; i < size; ++i) {
    const float x = in[i];
    float y;
    if (x > kCutoffUpper) {
      y = 1.0f;
    } else if (x < kCutoffLower) {
      y = expf(x);
    } else {
      y = 1.0f / (1.0f + expf(-x));
    }
    out[i] = y;
  }
}

}  // namespace mote::micro::ref
