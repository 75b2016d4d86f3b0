// Reference element-wise kernels: ADD and MUL with broadcasting, RELU, RELU6,
// QUANTIZE (float->int8, int8->int8) and DEQUANTIZE (int8->float).
//
// Contract: bit-exact with TensorFlow Lite Micro's reference kernels. Shapes
// are up to 6-D and broadcast NumPy-style (a Broadcast is built once in
// Prepare). *Prepare* functions use double and run once; the S8 Eval
// functions are integer-only.
//
//   Broadcast bc;  MakeBroadcast(a_dims, a_rank, b_dims, b_rank, &bc);
//   AddParamsS8 p; AddPrepareS8(sa, za, sb, zb, so, zo, lo, hi, &p);
//   AddS8(p, bc, a, b, out);
#ifndef MOTE_MICRO_KERNELS_REF_ELEMENTWISE_H_
#define MOTE_MICRO_KERNELS_REF_ELEMENTWISE_H_

#include <stdint.h>

namespace mote::micro::ref {

constexpr int kMaxBroadcastRank = 6;

// Index mapping from output elements to the elements of two inputs.
struct Broadcast {
  bool same = true;  // identical shapes: a flat loop suffices
  int rank = 0;
  int elements = 0;
  int dims[kMaxBroadcastRank] = {};
  int stride_a[kMaxBroadcastRank] = {};  // 0 along broadcast dimensions
  int stride_b[kMaxBroadcastRank] = {};
};
// False if the shapes are not broadcast-compatible.
bool MakeBroadcast(const int32_t* a_dims, int a_rank, const int32_t* b_dims,
                   int b_rank, Broadcast* out);

struct AddParamsS8 {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_mult, input2_mult, output_mult;
  int input1_shift, input2_shift, output_shift;
  int left_shift;
  int32_t act_min, act_max;
};
void AddPrepareS8(float scale1, int32_t zp1, float scale2, int32_t zp2,
                  float out_scale, int32_t out_zp, int32_t act_min,
                  int32_t act_max, AddParamsS8* p);
void AddS8(const AddParamsS8& p, const Broadcast& bc, const int8_t* a,
           const int8_t* b, int8_t* out);
void AddF32(float act_min, float act_max, const Broadcast& bc, const float* a,
            const float* b, float* out);

struct MulParamsS8 {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_mult;
  int output_shift;
  int32_t act_min, act_max;
};
void MulPrepareS8(float scale1, int32_t zp1, float scale2, int32_t zp2,
                  float out_scale, int32_t out_zp, int32_t act_min,
                  int32_t act_max, MulParamsS8* p);
void MulS8(const MulParamsS8& p, const Broadcast& bc, const int8_t* a,
           const int8_t* b, int8_t* out);
void MulF32(float act_min, float act_max, const Broadcast& bc, const float* a,
            const float* b, float* out);

// RELU for int8 rescales (input and output quantization may differ).
struct ReluParamsS8 {
  int32_t input_offset, output_offset, mult;
  int shift;
  int32_t act_min, act_max;
};
void ReluPrepareS8(float in_scale, int32_t in_zp, float out_scale,
                   int32_t out_zp, ReluParamsS8* p);
void ReluS8(const ReluParamsS8& p, int size, const int8_t* in, int8_t* out);
// RELU6 for int8 clamps in the input's quantization: [zero, six].
void Relu6S8(int32_t zero, int32_t six, int size, const int8_t* in, int8_t* out);
void ReluF32(float lo, float hi, int size, const float* in, float* out);

// QUANTIZE float -> int8: round(x / scale) + zp, saturated; NaN -> zp.
void QuantizeF32ToS8(float scale, int32_t zp, int size, const float* in,
                     int8_t* out);
// QUANTIZE int8 -> int8 (rescale).
struct RequantizeParams {
  int32_t input_zp, output_zp, mult;
  int shift;
};
void RequantizePrepare(float in_scale, int32_t in_zp, float out_scale,
                       int32_t out_zp, RequantizeParams* p);
void RequantizeS8(const RequantizeParams& p, int size, const int8_t* in,
                  int8_t* out);
// DEQUANTIZE int8 -> float: scale * (q - zp), computed in double.
void DequantizeS8(double scale, int32_t zp, int size, const int8_t* in,
                  float* out);

// ---- 16x8 mode (int16 activations, zero point 0) -------------------------
// ADD int16: as AddS8 with the inputs shifted left by 15 instead of 20
// (AddPrepareS16 sets that); offsets are minus the zero points (0 for
// converter-made models).
void AddPrepareS16(float scale1, int32_t zp1, float scale2, int32_t zp2,
                   float out_scale, int32_t out_zp, int32_t act_min,
                   int32_t act_max, AddParamsS8* p);
void AddS16(const AddParamsS8& p, const Broadcast& bc, const int16_t* a,
            const int16_t* b, int16_t* out);
// MUL int16: the MulS8 maths on int16 values (parameters from MulPrepareS8
// with the int16 clamp range).
void MulS16(const MulParamsS8& p, const Broadcast& bc, const int16_t* a,
            const int16_t* b, int16_t* out);
// QUANTIZE float -> int16: round(x / scale) + zp, saturated; NaN -> zp.
void QuantizeF32ToS16(float scale, int32_t zp, int size, const float* in,
                      int16_t* out);
// QUANTIZE between int8 and int16 (either way) and int16 -> int16: the
// RequantizeS8 maths, saturated to the output type.
void RequantizeS16ToS8(const RequantizeParams& p, int size, const int16_t* in,
                       int8_t* out);
void RequantizeS8ToS16(const RequantizeParams& p, int size, const int8_t* in,
                       int16_t* out);
void RequantizeS16(const RequantizeParams& p, int size, const int16_t* in,
                   int16_t* out);
// DEQUANTIZE int16 -> float: scale * (q - zp), computed in double.
void DequantizeS16(double scale, int32_t zp, int size, const int16_t* in,
                   float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_ELEMENTWISE_H_
