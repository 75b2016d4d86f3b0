// Prepare-time helpers shared by the operator glue in micro/kernels/.
#ifndef MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
#define MOTE_MICRO_KERNELS_KERNEL_UTIL_H_

#include "micro/kernels/ref/quant.h"
#include "micro/runtime/tensor.h"

namespace mote::micro {

// Output requantization of an int8 conv / depthwise / FC: the multiplier of
// (input_scale * filter_scale[c]) / output_scale, one per channel for a
// per-channel filter, a single one for a per-tensor filter. With
// `float_product` the product input_scale * filter_scale is rounded to float
// first (TFLite's per-tensor fully connected path). Allocates the arrays.
// The filter is input 1 of the node.
Status ChannelMultipliers(PrepareContext& ctx, int channels, bool float_product,
                          ref::ChannelQuant* quant);

// Rejects float-input ops with integer weights (dynamic-range models) and
// checks that the int8 path has int8 filter/output and int32 bias.
Status CheckWeightedOpTypes(PrepareContext& ctx, const Tensor& input,
                            const Tensor& filter, const Tensor* bias,
                            const Tensor& output);

// Checks out's dims equal `expect` (rank n).
Status ExpectDims(PrepareContext& ctx, const Tensor& out, const int32_t* expect,
                  int n);

}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
