// Prepare-time helpers shared by the operator glue in micro/kernels/.
#ifndef MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
#define MOTE_MICRO_KERNELS_KERNEL_UTIL_H_

#include "micro/kernels/ref/quant.h"
#include "micro/kernels/ref/shape.h"
#include "micro/runtime/tensor.h"

namespace mote::micro {

// Output requantization of an int8 conv / depthwise / FC: the multiplier of
// (input_scale * filter_scale[c]) / output_scale, one per channel for a
// per-channel filter, a single one for a per-tensor filter, computed in
// double from the float scales as TFLM does. Allocates the arrays.
// The filter is input 1 of the node.
Status ChannelMultipliers(PrepareContext& ctx, int channels, ref::ChannelQuant* quant);

// Rejects float-input ops with integer weights (dynamic-range models) and
// checks that the int8 path has int8 filter/output and int32 bias.
Status CheckWeightedOpTypes(PrepareContext& ctx, const Tensor& input,
                            const Tensor& filter, const Tensor* bias,
                            const Tensor& output);

// int8 conv / depthwise / FC: rejects weights and bias with which the int32
// accumulator of some output channel could overflow for some input, i.e.
// sum_k |w[c,k] + weights_offset| * max|x - input_zero_point| + |bias[c]|
// > INT32_MAX. Channel c's k weights are at c * channel_stride + j * k_stride
// (non-constant weights count as |w| = 128). REQUIRES bias (if any) constant
// with `channels` elements.
Status ExpectAccumulatorFits(PrepareContext& ctx, const Tensor& input, const Tensor& weights,
                             int32_t weights_offset, const Tensor* bias, int channels, int k,
                             int channel_stride, int k_stride);

// Rejects a requantization scale `real` (e.g. input_scale * filter_scale /
// output_scale) of 2^30 or more: QuantizeMultiplier() would give a shift the
// integer kernels cannot apply (a shift of 32+ bits is undefined behaviour).
Status ExpectRequantScale(PrepareContext& ctx, double real, const char* what);

// Bytes by which the output of an NHWC sliding-window op (conv, depthwise,
// pooling) must start below its input so that it can share the input's
// memory: output pixels are written in order, each after its window was
// read, and a window never reads below its top-left pixel.
uint32_t SlidingWindowGap(const ref::Shape4& in, const ref::Shape4& out, int stride_h,
                          int stride_w, int pad_h, int pad_w, uint32_t in_elem_bytes,
                          uint32_t out_elem_bytes);

// Checks out's dims equal `expect` (rank n).
Status ExpectDims(PrepareContext& ctx, const Tensor& out, const int32_t* expect,
                  int n);

}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
