#include "micro/kernels/ref/tanh.h"

#include <math.h>

#include "micro/kernels/ref/fixed_point.h"
#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

void TanhPrepareS8(float input_scale, int32_t input_zero_point,
                   TanhParamsS8* p) {
  LogisticPrepareS8(input_scale, input_zero_point, p);
}

void TanhS8(const TanhParamsS8& p, int size, const int8_t* in, int8_t* out) {
  constexpr int kOutputFractionalBits = 7;  // Q0 -> 1/128 steps
  for (int i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(in[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      out[i] = -128;
    } else if (x >= p.input_range_radius) {
      out[i] = 127;
    } else {
      const int32_t x_q4 = MultiplyByQuantizedMultiplier(
          x, p.input_multiplier, p.input_left_shift);
      const int32_t y_q0 = TanhQ0<kTanhInputIntegerBits>(x_q4);
      const int32_t y = RoundingDivideByPOT(y_q0, 31 - kOutputFractionalBits);
      out[i] = static_cast<int8_t>(Clamp(y, -128, 127));
    }
  }
}

void TanhF32(int size, const float* in, float* out) {
  for (int i = 0; i < size; ++i) out[i] = tanhf(in[i]);
}

}  // namespace mote::micro::ref
