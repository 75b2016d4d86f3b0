// SOFTMAX reference kernels: int8 -> int8, int8 -> int16 and float32.
//
// Contract: softmax over the innermost dimension of a row-major tensor seen as
// [outer, depth]; out[i, c] = exp(beta * (in[i, c] - max_c in[i, :])) / sum.
// The int8 kernels give the same bytes as TensorFlow Lite Micro's reference
// SOFTMAX (gemmlowp fixed point: differences scaled into Q5.26, exp in Q0,
// sum accumulated in Q12.19, reciprocal by Newton-Raphson); elements whose
// difference from the row maximum is below diff_min contribute nothing and
// output the minimum code. SoftmaxPrepareS8 runs once (host / Prepare, uses
// double); SoftmaxS8 / SoftmaxS8S16 are integer only, no allocation, no
// checks. The float kernel follows TFLM's float reference (expf).
//
//   SoftmaxParamsS8 p;
//   SoftmaxPrepareS8(input_scale, /*beta=*/1.0f, &p);      // Prepare
//   SoftmaxS8(p, /*outer=*/1, /*depth=*/12, logits, probs);  // Eval
#ifndef MOTE_MICRO_KERNELS_REF_SOFTMAX_H_
#define MOTE_MICRO_KERNELS_REF_SOFTMAX_H_

#include <stdint.h>

namespace mote::micro::ref {

struct SoftmaxParamsS8 {
  int32_t input_multiplier;  // Q31 multiplier of beta * input_scale * 2^26
  int32_t input_left_shift;  // its left shift, in [0, 31]
  int32_t diff_min;          // most negative (in - row_max) still counted, <= 0
};

// Integer bits of the scaled differences and of the sum of exponentials.
constexpr int kSoftmaxScaledDiffIntegerBits = 5;
constexpr int kSoftmaxAccumulationIntegerBits = 12;

// The greater-than-one split of `real` (> 1) into a Q31 multiplier and a left
// shift in [1, 31] (TFLite's QuantizeMultiplierGreaterThanOne, double
// rounding build: no saturation of a shift of 31). Host / Prepare only.
void QuantizeMultiplierGreaterThanOne(double real, int32_t* multiplier,
                                      int* left_shift);

// REQUIRES: input_scale > 0, beta > 0 and beta * input_scale > 2^-26 (TFLM
// rejects smaller products). Output quantization is fixed: int8 output has
// scale 1/256 and zero point -128, int16 output (SoftmaxS8S16) has scale
// 1/65536 and zero point -32768; the caller checks that.
void SoftmaxPrepareS8(float input_scale, float beta, SoftmaxParamsS8* p);

// in, out: [outer, depth] int8, row-major; in and out must not overlap
// (two passes read the row). REQUIRES: outer >= 0, 1 <= depth < 4096 (the
// Q12 sum of exponentials must not overflow).
// TFLM difference: TFLM aborts (TFLITE_CHECK on the output exponent) when a
// row's sum of exponentials reaches 512, i.e. >= 512 elements at or near the
// row maximum; this kernel returns the correctly rounded values instead.
void SoftmaxS8(const SoftmaxParamsS8& p, int outer, int depth,
               const int8_t* in, int8_t* out);

// Same maths, int16 output (scale 1/65536, zero point -32768).
// REQUIRES: as SoftmaxS8 (no 512 limit in TFLM for int16 output).
void SoftmaxS8S16(const SoftmaxParamsS8& p, int outer, int depth,
                  const int8_t* in, int16_t* out);

// in, out: [outer, depth] float32. out may alias in.
void SoftmaxF32(float beta, int outer, int depth, const float* in, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_SOFTMAX_H_
