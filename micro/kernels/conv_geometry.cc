#include "micro/kernels/conv_geometry.h"

#include "micro/kernels/kernel_util.h"

namespace mote::micro {

Status PrepareConvGeometry(PrepareContext& ctx, bool depthwise, uint32_t elem_bytes,
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
    if (fs.c == 0 || is.c % fs.c != 0 || g->out_ch % (is.c / fs.c) != 0)
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
