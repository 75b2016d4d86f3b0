// Reference MEAN over any set of axes (int8 and float32).
//
// Contract: bit-exact with TensorFlow Lite Micro's reference MEAN. Every
// output element is the mean of the input elements that share its kept
// coordinates; they are visited in row-major order (so float sums round as in
// TFLM). int8 (TFLM's QuantizedMeanOrSum, also when input and output share
// their quantization -- older TFLM truncated sum / count in that case):
// (sum - count * input_zp) times a multiplier that folds input_scale /
// output_scale and 1 / count, plus output_zp, saturated. MeanPrepareS8
// computes the multiplier.
// Layout: row-major tensors of rank <= kMaxReduceRank; the output holds the
// kept dimensions in order (keep_dims only changes the shape, not the bytes).
// No scratch memory.
//
//   ReduceShape s;  MakeReduceShape(dims, rank, reduced_mask, &s);
//   MeanParamsS8 q; MeanPrepareS8(in_scale, in_zp, out_scale, out_zp, s.count, &q);
//   MeanS8(s, q, in, out);
#ifndef MOTE_MICRO_KERNELS_REF_REDUCE_H_
#define MOTE_MICRO_KERNELS_REF_REDUCE_H_

#include <stdint.h>

namespace mote::micro::ref {

constexpr int kMaxReduceRank = 6;

// The input split into kept and reduced dimensions (each in axis order), with
// their element strides.
struct ReduceShape {
  int num_kept = 0, num_reduced = 0;
  int32_t kept_dims[kMaxReduceRank] = {}, kept_strides[kMaxReduceRank] = {};
  int32_t red_dims[kMaxReduceRank] = {}, red_strides[kMaxReduceRank] = {};
  int32_t outputs = 1;  // product of kept_dims
  int32_t count = 1;    // product of red_dims: elements averaged per output
};

// REQUIRES: 0 <= rank <= kMaxReduceRank, dims[i] >= 0; bit i of reduced_mask
// set if axis i is reduced.
void MakeReduceShape(const int32_t* dims, int rank, uint32_t reduced_mask,
                     ReduceShape* s);

struct MeanParamsS8 {
  int32_t input_zp = 0, output_zp = 0;
  int32_t mult = 0;    // folds 1/count; may be below 2^30
  int shift = 0;       // >= -31
};

// Host/Prepare only (uses double). REQUIRES count >= 1.
void MeanPrepareS8(float input_scale, int32_t input_zp, float output_scale,
                   int32_t output_zp, int32_t count, MeanParamsS8* p);

void MeanS8(const ReduceShape& s, const MeanParamsS8& p, const int8_t* in, int8_t* out);
void MeanF32(const ReduceShape& s, const float* in, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_REDUCE_H_
