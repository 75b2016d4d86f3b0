// TANH reference kernels: int8 -> int8 and float32.
//
// Contract: out[i] = tanh(in[i]), elementwise on a flat buffer of `size`
// elements (any shape). The int8 kernel gives the same bytes as TensorFlow
// Lite Micro's reference TANH: the zero-point-removed input is rescaled into
// Q4.27 (inputs at or beyond +-input_range_radius saturate to 127 / -128
// directly), gemmlowp's fixed-point tanh gives a Q0 result, and that is
// rounded to 1/128 steps with zero point 0. TanhPrepareS8 runs once (host /
// Prepare, uses double); TanhS8 is integer only, no allocation, no checks.
// The float kernel is tanhf.
//
//   TanhParamsS8 p;
//   TanhPrepareS8(input_scale, input_zero_point, &p);  // Prepare
//   TanhS8(p, n, in, out);                              // Eval
#ifndef MOTE_MICRO_KERNELS_REF_TANH_H_
#define MOTE_MICRO_KERNELS_REF_TANH_H_

#include <stdint.h>

#include "micro/kernels/ref/logistic.h"

namespace mote::micro::ref {

// Same input rescaling as LOGISTIC (Q4.27, see logistic.h).
using TanhParamsS8 = LogisticParamsS8;
constexpr int kTanhInputIntegerBits = kLogisticInputIntegerBits;

// REQUIRES: 2^-28 <= input_scale. The output quantization is implied, not
// read: the result is in 1/128 steps with zero point 0 (what the TFLite
// converter emits for int8 TANH). TFLM does not check the output tensor's
// parameters, so neither does this; the caller may.
void TanhPrepareS8(float input_scale, int32_t input_zero_point,
                   TanhParamsS8* p);

// in, out: `size` int8 values; out may alias in. REQUIRES: size >= 0.
void TanhS8(const TanhParamsS8& p, int size, const int8_t* in, int8_t* out);

// in, out: `size` float32 values; out may alias in.
void TanhF32(int size, const float* in, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_TANH_H_
