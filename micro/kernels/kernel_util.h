// Prepare-time helpers shared by the operator glue in micro/kernels/.
#ifndef MOTE_MICRO_KERNELS_KERNEL_UTIL_H_
#define MOTE_MICRO_KERNELS_KERNEL_UTIL_H_

#include "micro/runtime/tensor.h"

namespace mote::micro {

// Per-output-channel requantization of an int8 conv / depthwise / FC:
// multiplier of (input_scale * filter_scale[c]) / output_scale. With
// `float_product` the product input_scale * filter_scale is rounded to float
// first (TFLite's per-tensor fully connected path). Allocates both arrays.
Status ChannelMultipliers(PrepareContext& ctx, const Tensor& input,
                          const Tensor& filter, const Tensor& output,
                          int channels, bool float_product, int32_t** mult,
                          int32_t** shift);

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
