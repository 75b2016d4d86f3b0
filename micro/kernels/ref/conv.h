// Reference 2-D convolution and depthwise convolution (int8 and float32).
//
// Contract: pure functions on POD parameters and raw pointers, bit-exact with
// TensorFlow Lite Micro's reference kernels. Layouts are NHWC:
//   input  [N, H, W, Cin]        output [N, OH, OW, Cout]
//   conv filter      [Cout, KH, KW, Cin]
//   depthwise filter [1, KH, KW, Cout], Cout = Cin * depth_multiplier
// int8: per-output-channel multipliers/shifts (one per Cout; a per-tensor
// model repeats the same value), int32 bias (nullable), filter zero point 0.
// Padding positions contribute nothing (equivalent to input zero point).
//
//   ConvParams p = ...;  // strides, padding, offsets, clamp range
//   Conv2DPerChannelS8(p, mult, shift, in_shape, in, f_shape, f, bias, out_shape, out);
#ifndef MOTE_MICRO_KERNELS_REF_CONV_H_
#define MOTE_MICRO_KERNELS_REF_CONV_H_

#include <stdint.h>

#include "micro/kernels/ref/quant.h"

#include "micro/kernels/ref/shape.h"

namespace mote::micro::ref {

struct ConvParams {
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int pad_h = 0, pad_w = 0;          // top / left padding
  int depth_multiplier = 1;          // depthwise only
  int32_t input_offset = 0;          // minus the input zero point (int8)
  int32_t output_offset = 0;         // output zero point (int8)
  int32_t act_min = -128, act_max = 127;  // int8 clamp after requantization
  float act_min_f = -3.4e38f, act_max_f = 3.4e38f;  // float clamp
};

void Conv2DPerChannelS8(const ConvParams& p, const ChannelQuant& quant, const Shape4& in_shape,
                        const int8_t* in, const Shape4& filter_shape,
                        const int8_t* filter, const int32_t* bias,
                        const Shape4& out_shape, int8_t* out);

void Conv2DF32(const ConvParams& p, const Shape4& in_shape, const float* in,
               const Shape4& filter_shape, const float* filter,
               const float* bias, const Shape4& out_shape, float* out);

void DepthwiseConv2DPerChannelS8(const ConvParams& p, const ChannelQuant& quant,
                                 const Shape4& in_shape, const int8_t* in,
                                 const Shape4& filter_shape,
                                 const int8_t* filter, const int32_t* bias,
                                 const Shape4& out_shape, int8_t* out);

void DepthwiseConv2DF32(const ConvParams& p, const Shape4& in_shape,
                        const float* in, const Shape4& filter_shape,
                        const float* filter, const float* bias,
                        const Shape4& out_shape, float* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_CONV_H_
