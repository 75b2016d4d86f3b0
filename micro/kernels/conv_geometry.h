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

#include "micro/kernels/kernel_util.h"
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
// Defined here with internal linkage: each glue file calls it once and the
// compiler inlines it, so the firmware's flash does not grow by the split.
static inline Status PrepareConvGeometry(PrepareContext& ctx, bool depthwise,
                                         uint32_t elem_bytes,
                                         ref::ConvParams* p, ConvGeometry* g) {
  using namespace field;
  const Tensor& in = ctx.input(0);
  const Tensor& filter = ctx.input(1);
  const Tensor& out = ctx.output(0);
  if (Status s = ctx.ExpectRank(in, "input", 4); s != Status::kOk) return s;
  if (Status s = ctx.ExpectRank(filter, "filter", 4); s != Status::kOk) return s;
  const bool same = ctx.OptionU8(depthwise ? kDwPadding : kConvPadding, 0) ==
                    static_cast<uint8_t>(Padding::kSame);
  p->stride_w = ctx.OptionI32(depthwise ? kDwStrideW : kConvStrideW, 1);
  p->stride_h = ctx.OptionI32(depthwise ? kDwStrideH : kConvStrideH, 1);
  p->dilation_w = ctx.OptionI32(depthwise ? kDwDilationW : kConvDilationW, 1);
  p->dilation_h = ctx.OptionI32(depthwise ? kDwDilationH : kConvDilationH, 1);
  g->act = ctx.OptionU8(depthwise ? kDwActivation : kConvActivation, 0);
  if (p->stride_w < 1 || p->stride_h < 1 || p->dilation_w < 1 || p->dilation_h < 1 ||
      p->stride_w > 1024 || p->stride_h > 1024 || p->dilation_w > 1024 || p->dilation_h > 1024)
    return ctx.Error(Status::kBadModel, "stride and dilation must be in 1..1024");
  const ref::Shape4 is = in.Shape4();
  const ref::Shape4 fs = filter.Shape4();
  if (depthwise) {
    g->out_ch = fs.c;
    if (fs.n != 1 || is.c == 0 || g->out_ch % is.c != 0)
      return ctx.Error(Status::kShapeMismatch, "filter [", fs.n, ",", fs.h, ",", fs.w, ",",
                       fs.c, "] does not fit ", is.c, " input channels");
    p->depth_multiplier = g->out_ch / is.c;
  } else {
    g->out_ch = fs.n;
    // Groups = is.c / fs.c >= 1 (an input with 0 channels has none).
    if (fs.c == 0 || is.c < fs.c || is.c % fs.c != 0 || g->out_ch % (is.c / fs.c) != 0)
      return ctx.Error(Status::kShapeMismatch, "filter has ", fs.c, " channels, input has ", is.c);
  }
  if (fs.h < 1 || fs.w < 1) return ctx.Error(Status::kBadModel, "empty filter");
  if (filter.per_channel && filter.quantized_dimension != (depthwise ? 3 : 0))
    return ctx.Error(Status::kBadModel, "per-channel filter quantized on dimension ",
                     filter.quantized_dimension);
  const int oh = ref::PaddedOutputSize(same, is.h, fs.h, p->stride_h, p->dilation_h);
  const int ow = ref::PaddedOutputSize(same, is.w, fs.w, p->stride_w, p->dilation_w);
  const int32_t expect[4] = {is.n, oh, ow, g->out_ch};
  if (Status s = ExpectDims(ctx, out, expect, 4); s != Status::kOk) return s;
  p->pad_h = ref::LeadingPadding(is.h, fs.h, p->stride_h, p->dilation_h, oh);
  p->pad_w = ref::LeadingPadding(is.w, fs.w, p->stride_w, p->dilation_w, ow);
  ctx.AllowInPlace(0, SlidingWindowGap(is, out.Shape4(), p->stride_h, p->stride_w, p->pad_h,
                                       p->pad_w, elem_bytes, elem_bytes));
  return Status::kOk;
}


}  // namespace mote::micro

#endif  // MOTE_MICRO_KERNELS_CONV_GEOMETRY_H_
