// Prepare-time helpers shared by the operator glue in micro/kernels/.
#ifndef MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
#define MOTE_MICRO_KERNELS_KERNEL_UTIL_H_

#include "micro/kernels/ref/elementwise.h"
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

// ADD / MUL (any dtype): fills *bc with the broadcast of inputs 0 and 1,
// checks that it is the output's shape, and lets the output share the memory
// of an input of its size (element i is read before output element i is
// written).
Status PrepareBroadcastBinary(PrepareContext& ctx, ref::Broadcast* bc);

// QUANTIZE from one quantized integer tensor to another (int8 or int16 on
// either side): checks the scale ratio and makes the node's params a
// ref::RequantizeParams in the arena.
Status PrepareRequantize(PrepareContext& ctx, const Tensor& in, const Tensor& out);

// Checks out's dims equal `expect` (rank n).
Status ExpectDims(PrepareContext& ctx, const Tensor& out, const int32_t* expect,
                  int n);

// ---- 16x8 mode (int16 activations) -----------------------------------------

// t is int16, quantized (one scale) and has zero point 0, as the 16x8 kernels
// require (TFLM's int16 kernels apply no activation offsets).
Status ExpectSymmetricS16(PrepareContext& ctx, const Tensor& t, const char* what);

// Integer clamp range of a fused activation for an int16 output.
Status ActivationRangeS16(PrepareContext& ctx, uint8_t act, const Tensor& out, int32_t* lo,
                          int32_t* hi);

// The bias of a 16x8 conv / depthwise / FC as Eval reads it: int64 (8-byte
// aligned: a model that stores it 4-byte aligned gets an arena copy) or int32,
// or none (data == nullptr).
struct BiasS16 {
  const void* data = nullptr;
  bool is64 = false;
};

// 16x8 conv / depthwise / FC: checks int8 constant weights, a constant int32
// or int64 bias (or none), and that the accumulator (int64 for an int64 bias,
// else int32) cannot overflow for any int16 input; weights laid out as for
// ExpectAccumulatorFits. Fills *out.
Status CheckWeightedOpS16(PrepareContext& ctx, const Tensor& weights, int32_t weights_offset,
                          const Tensor* bias, int channels, int k, int channel_stride,
                          int k_stride, BiasS16* out);

// After ChannelMultipliers: an int64 accumulator is requantized by
// MultiplyByQuantizedMultiplier64, which takes shifts up to 7 only.
Status ExpectShiftsS64(PrepareContext& ctx, const ref::ChannelQuant& q, int channels);

}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
