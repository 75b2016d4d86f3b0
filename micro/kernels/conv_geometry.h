// CONV_2D / DEPTHWISE_CONV_2D geometry, shared by the int8/float glue
// (conv.cc) and the 16x8 glue (conv_s16.cc): everything Prepare checks and
// precomputes that does not depend on the dtype.
//
//   ConvGeometry g;
//   if (Status s = PrepareConvGeometry(ctx, depthwise, /*elem_bytes=*/1, &d->p, &g);
//       s != Status::kOk) return s;
//   // g.out_ch output channels, g.act the fused activation, d->p's strides,
//   // dilations, pads and depth multiplier set, output dims checked.
#ifndef MOTE_MICRO_KERNELS_CONV_GEOMETRY_H_
#define MOTE_MICRO_KERNELS_CONV_GEOMETRY_H_

#include <stdint.h>

#include "micro/kernels/ref/conv.h"
#include "micro/runtime/tensor.h"

namespace mote::micro {

struct ConvGeometry {
  int out_ch = 0;   // output channels
  uint8_t act = 0;  // fused activation (schema enum)
};

// Inputs 0 (NHWC) and 1 (filter: OHWI for conv, 1HW(I*M) for depthwise) of
// the node: reads padding, strides and dilations (1..1024) and the fused
// activation from the options; checks ranks, the filter against the input's
// channels (groups for conv, the depth multiplier for depthwise), a
// per-channel filter's quantized dimension and the output's dims; sets p's
// strides, dilations, pads and depth multiplier; lets the output share the
// input's memory (SlidingWindowGap) for elements of elem_bytes bytes.
Status PrepareConvGeometry(PrepareContext& ctx, bool depthwise, uint32_t elem_bytes,
                           ref::ConvParams* p, ConvGeometry* g);

}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_CONV_GEOMETRY_H_
