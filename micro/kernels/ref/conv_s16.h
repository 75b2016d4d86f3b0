// Reference 16x8 convolution and depthwise convolution: int16 activations,
// int8 weights, int64 or int32 bias.
//
// Contract: bit-exact with TensorFlow Lite Micro's 16x8 reference kernels.
// Layouts as in conv.h (NHWC input/output, [Cout, KH, KW, Cin] conv filter,
// [1, KH, KW, Cout] depthwise filter). Activations are symmetric: input and
// output zero points are 0, so no offsets are applied (TFLM ignores them).
// Per output channel: acc = sum(filter * input) (+ bias), requantized with
// the channel's multiplier/shift, clamped to [p.act_min, p.act_max] (int16
// range or narrower for a fused activation). The accumulator type follows
// the bias, as in TFLM: an int64 bias accumulates in int64 and requantizes
// with MultiplyByQuantizedMultiplier64 (shift <= 7); an int32 bias (or none)
// accumulates in int32 and requantizes with MultiplyByQuantizedMultiplier.
// REQUIRES (checked by Prepare): the accumulator cannot overflow (|acc| <
// 2^31 for int32, < 2^47 for int64), shifts in range.
//
//   ConvParams p = ...;  // strides, padding, act_min/act_max in int16
//   Conv2DPerChannelS16(p, quant, in_shape, in, f_shape, f, bias64, out_shape, out);
#ifndef MOTE_MICRO_KERNELS_REF_CONV_S16_H_
#define MOTE_MICRO_KERNELS_REF_CONV_S16_H_

#include <stdint.h>

#include "micro/kernels/ref/conv.h"
#include "micro/kernels/ref/quant.h"
#include "micro/kernels/ref/shape.h"

namespace mote::micro::ref {

// bias: [Cout] int64 (nullable).
void Conv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& in_shape,
                         const int16_t* in, const Shape4& filter_shape, const int8_t* filter,
                         const int64_t* bias, const Shape4& out_shape, int16_t* out);
// bias: [Cout] int32 (nullable); int32 accumulator.
void Conv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant, const Shape4& in_shape,
                         const int16_t* in, const Shape4& filter_shape, const int8_t* filter,
                         const int32_t* bias, const Shape4& out_shape, int16_t* out);

void DepthwiseConv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant,
                                  const Shape4& in_shape, const int16_t* in,
                                  const Shape4& filter_shape, const int8_t* filter,
                                  const int64_t* bias, const Shape4& out_shape, int16_t* out);
void DepthwiseConv2DPerChannelS16(const ConvParams& p, const ChannelQuant& quant,
                                  const Shape4& in_shape, const int16_t* in,
                                  const Shape4& filter_shape, const int8_t* filter,
                                  const int32_t* bias, const Shape4& out_shape, int16_t* out);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_CONV_S16_H_
