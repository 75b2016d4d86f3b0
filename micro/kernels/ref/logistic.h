// LOGISTIC (sigmoid) reference kernels: int8 -> int8 and float32.
//
// Contract: out[i] = 1 / (1 + exp(-in[i])), elementwise on a flat buffer of
// `size` elements (any shape). The int8 kernel gives the same bytes as
// TensorFlow Lite Micro's reference LOGISTIC: the zero-point-removed input is
// rescaled into Q4.27 (inputs at or beyond +-input_range_radius saturate to
// 127 / -128 directly), gemmlowp's fixed-point logistic gives a Q0 result,
// and that is rounded to 1/256 steps with zero point -128. LogisticPrepareS8
// runs once (host / Prepare, uses double); LogisticS8 is integer only, no
// allocation, no checks. The float kernel follows TFLM's float reference
// (cut-offs at -9 and 16.619047, expf in between).
//
//   LogisticParamsS8 p;
//   LogisticPrepareS8(input_scale, input_zero_point, &p);  // Prepare
//   LogisticS8(p, n, in, out);                              // Eval
#ifndef MOTE_MICRO_KERNELS_REF_LOGISTIC_H_
#define MOTE_MICRO_KERNELS_REF_LOGISTIC_H_

#include <stdint.h>

namespace mote::micro::ref {

struct LogisticParamsS8 {
  int32_t input_zero_point;    // in [-128, 127]
  int32_t input_range_radius;  // |in - zp| >= radius saturates; >= 0
  int32_t input_multiplier;    // Q31 significand of input_scale * 2^27
  int32_t input_left_shift;    // its exponent (MultiplyByQuantizedMultiplier)
};

// Integer bits of the rescaled input (Q4.27).
constexpr int kLogisticInputIntegerBits = 4;

// REQUIRES: 2^-28 <= input_scale (TFLite's radius formula needs a
// non-negative shift). Output quantization is fixed by TFLM: scale 1/256,
// zero point -128; the caller checks that.
void LogisticPrepareS8(float input_scale, int32_t input_zero_point,
                       LogisticParamsS8* p);

// in, out: `size` int8 values; out may alias in. REQUIRES: size >= 0.
void LogisticS8(const LogisticParamsS8& p, int size, const int8_t* in,
                int8_t* out);

// in, out: `size` float32 values; out may alias in.
void LogisticF32(int size, const float* in, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_LOGISTIC_H_
