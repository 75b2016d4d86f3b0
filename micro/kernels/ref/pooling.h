// Reference average and max pooling over NHWC tensors (int8, int16, float32).
//
// Contract: bit-exact with TensorFlow Lite Micro's reference kernels. The
// window is clipped to the input (padding is never averaged in); the int8
// average rounds half away from zero. Channels are pooled independently.
//
//   PoolParams p{...};
//   AveragePoolS8(p, in_shape, in, out_shape, out);
#ifndef MOTE_MICRO_KERNELS_REF_POOLING_H_
#define MOTE_MICRO_KERNELS_REF_POOLING_H_

#include <stdint.h>

#include "micro/kernels/ref/shape.h"

namespace mote::micro::ref {

struct PoolParams {
  int stride_h = 1, stride_w = 1;
  int filter_h = 1, filter_w = 1;
  int pad_h = 0, pad_w = 0;
  int32_t act_min = -128, act_max = 127;
  float act_min_f = -3.4e38f, act_max_f = 3.4e38f;
};

// The window of output pixel (oy, ox) clipped to the input: rows [y0, y1),
// columns [x0, x1); empty when it lies wholly in the padding.
struct PoolWindow {
  int y0, y1, x0, x1;
  int count() const { return (y1 > y0 && x1 > x0) ? (y1 - y0) * (x1 - x0) : 0; }
};
inline PoolWindow ClippedWindow(const PoolParams& p, const Shape4& in_shape, int oy, int ox) {
  const int iy0 = oy * p.stride_h - p.pad_h, ix0 = ox * p.stride_w - p.pad_w;
  return {iy0 < 0 ? 0 : iy0, iy0 + p.filter_h < in_shape.h ? iy0 + p.filter_h : in_shape.h,
          ix0 < 0 ? 0 : ix0, ix0 + p.filter_w < in_shape.w ? ix0 + p.filter_w : in_shape.w};
}

void AveragePoolS8(const PoolParams& p, const Shape4& in_shape, const int8_t* in,
                   const Shape4& out_shape, int8_t* out);
void AveragePoolF32(const PoolParams& p, const Shape4& in_shape, const float* in,
                    const Shape4& out_shape, float* out);
void MaxPoolS8(const PoolParams& p, const Shape4& in_shape, const int8_t* in,
               const Shape4& out_shape, int8_t* out);
// int16 (16x8 mode): the int8 maths on int16 values; act_min/act_max hold
// the int16 clamp range.
void AveragePoolS16(const PoolParams& p, const Shape4& in_shape, const int16_t* in,
                    const Shape4& out_shape, int16_t* out);
void MaxPoolS16(const PoolParams& p, const Shape4& in_shape, const int16_t* in,
                const Shape4& out_shape, int16_t* out);
void MaxPoolF32(const PoolParams& p, const Shape4& in_shape, const float* in,
                const Shape4& out_shape, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_POOLING_H_
