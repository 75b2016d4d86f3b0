// 16x8-mode (int16) LOGISTIC, TANH and SOFTMAX reference kernels.
//
// Contract: the same bytes as TensorFlow Lite Micro's int16 reference
// kernels. Inputs and outputs are int16 with zero point 0; outputs have
// scale 2^-15 (LOGISTIC in [0, 1), TANH and SOFTMAX as TFLM: TANH in
// [-1, 1), SOFTMAX in [0, 1)). The *Prepare* functions run once (host /
// Prepare, they use float and double exactly as TFLM does); the S16 Eval
// functions are integer only, no allocation, no checks.
//
// LOGISTIC / TANH: the input is rescaled to steps of 1/(3 * 4096) (a 15-bit
// multiplier and a right shift, or 3 << shift for a power-of-two scale) and
// looked up, with linear interpolation, in a 256-entry table of
// sigmoid(i / 24) in unsigned Q0.16 (tanh(x) = 2 sigmoid(2x) - 1 reads the
// same table at twice the resolution).
// SOFTMAX: exp(x - row_max) and 1 / (1 + x) come from two 513-entry int16
// tables built in Prepare (TFLM's gen_lut: 512 interpolation intervals, each
// entry biased by half the midpoint error), read with 7-bit interpolation.
//
//   SigmoidParamsS16 lp;  LogisticPrepareS16(in_scale, &lp);  // Prepare
//   LogisticS16(lp, n, in, out);                             // Eval
//   SoftmaxParamsS16 sp;  SoftmaxPrepareS16(in_scale, beta, exp_lut, recip_lut, &sp);
//   SoftmaxS16(sp, outer, depth, in, out);
#ifndef MOTE_MICRO_KERNELS_REF_ACTIVATIONS_S16_H_
#define MOTE_MICRO_KERNELS_REF_ACTIVATIONS_S16_H_

#include <stdint.h>

namespace mote::micro::ref {

// sigmoid(i / 24) in unsigned Q0.16, i = 0..255 (TFLite's table).
extern const uint16_t kSigmoidTableU16[256];

struct SigmoidParamsS16 {
  int32_t input_multiplier;  // <= 32767
  int32_t input_right_shift; // 0..31
};

// False if the scale cannot be handled (the multiplier search of TFLM ends
// with a multiplier above 32767: input_scale >= ~2.67), or is not positive.
bool LogisticPrepareS16(float input_scale, SigmoidParamsS16* p);
bool TanhPrepareS16(float input_scale, SigmoidParamsS16* p);
// True if scale is a power of two within TFLM's 1e-3 tolerance on log2;
// *log2 gets the rounded exponent (TFLite's CheckedLog2).
bool CheckedLog2(float scale, int* log2);

// in, out: `size` int16 values; out may alias in.
void LogisticS16(const SigmoidParamsS16& p, int size, const int16_t* in, int16_t* out);
void TanhS16(const SigmoidParamsS16& p, int size, const int16_t* in, int16_t* out);

constexpr int kLutS16Entries = 513;

struct SoftmaxParamsS16 {
  int32_t input_multiplier;  // of beta * input_scale / (10 / 65535)
  int32_t input_shift;       // MultiplyByQuantizedMultiplier shift, <= 15
  const int16_t* exp_lut;    // [513]: exp(x) for x in [-10, 0], Q0.15
  const int16_t* recip_lut;  // [513]: 1 / (1 + x) for x in [0, 1], Q0.15
};

// Fills exp_lut and recip_lut (513 entries each, caller-owned, e.g. arena)
// and the input rescaling. False if beta * input_scale is not positive or
// too large (the scaled difference of two int16 values must fit int32).
bool SoftmaxPrepareS16(float input_scale, float beta, int16_t* exp_lut, int16_t* recip_lut,
                       SoftmaxParamsS16* p);

// TFLite's int16 table lookup with linear interpolation: value's top 9 bits
// pick the interval, the low 7 bits interpolate. lut has 513 entries.
int16_t LookupS16(int16_t value, const int16_t* lut);

// in, out: [outer, depth] int16, row-major; out must not overlap in.
// REQUIRES: 1 <= depth <= 65535.
void SoftmaxS16(const SoftmaxParamsS16& p, int outer, int depth, const int16_t* in,
                int16_t* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_ACTIVATIONS_S16_H_
