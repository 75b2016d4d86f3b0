// CONV_2D and DEPTHWISE_CONV_2D: Prepare validates and precomputes,
// Eval dispatches on dtype to micro/kernels/opt/conv_s8.h (int8, when Prepare
// found the shape supported) or micro/kernels/ref/conv.h.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/opt/conv_s8.h"
#include "micro/kernels/ref/conv.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct ConvData {
  ref::ConvParams p;
  ref::ChannelQuant quant;
  // int8 CONV_2D fast path (micro/kernels/opt), if it applies: window buffer.
  const SharedScratch* col = nullptr;
};

// The int8 CONV_2D fast path (micro/kernels/opt) when the shape allows it:
// its window buffer is the interpreter's shared scratch. (Depthwise needs
// nothing: Eval checks DepthwiseConv2DS8Applies, a few compares.)
Status PrepareFastConv(PrepareContext& ctx, ConvData* d) {
  const ref::Shape4 is = ctx.input(0).Shape4();
  const ref::Shape4 fs = ctx.input(1).Shape4();
  if (!opt::Conv2DS8Applies(is, fs)) return Status::kOk;
  d->col = ctx.RequestScratch(static_cast<size_t>(opt::Conv2DS8ColBytes(fs)));
  if (d->col == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left for windows");
  return Status::kOk;
}

Status PrepareConvLike(PrepareContext& ctx, bool depthwise) {
  using namespace field;
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& filter = ctx.input(1);
  Tensor* bias = ctx.HasInput(2) ? &ctx.input(2) : nullptr;
  Tensor& out = ctx.output(0);
  if (Status s = CheckWeightedOpTypes(ctx, in, filter, bias, out); s != Status::kOk) return s;
  if (Status s = ctx.ExpectRank(in, "input", 4); s != Status::kOk) return s;
  if (Status s = ctx.ExpectRank(filter, "filter", 4); s != Status::kOk) return s;
  if (!filter.is_const) return ctx.Error(Status::kUnsupportedOp, "filter must be constant");
  auto* d = ctx.New<ConvData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  ref::ConvParams& p = d->p;
  const bool same = ctx.OptionU8(depthwise ? kDwPadding : kConvPadding, 0) ==
                    static_cast<uint8_t>(Padding::kSame);
  p.stride_w = ctx.OptionI32(depthwise ? kDwStrideW : kConvStrideW, 1);
  p.stride_h = ctx.OptionI32(depthwise ? kDwStrideH : kConvStrideH, 1);
  p.dilation_w = ctx.OptionI32(depthwise ? kDwDilationW : kConvDilationW, 1);
  p.dilation_h = ctx.OptionI32(depthwise ? kDwDilationH : kConvDilationH, 1);
  const uint8_t act = ctx.OptionU8(depthwise ? kDwActivation : kConvActivation, 0);
  if (p.stride_w < 1 || p.stride_h < 1 || p.dilation_w < 1 || p.dilation_h < 1 ||
      p.stride_w > 1024 || p.stride_h > 1024 || p.dilation_w > 1024 || p.dilation_h > 1024)
    return ctx.Error(Status::kBadModel, "stride and dilation must be in 1..1024");
  const ref::Shape4 is = in.Shape4();
  const ref::Shape4 fs = filter.Shape4();
  int out_ch = 0;
  if (depthwise) {
    out_ch = fs.c;
    if (fs.n != 1 || is.c == 0 || out_ch % is.c != 0)
      return ctx.Error(Status::kShapeMismatch, "filter [", fs.n, ",", fs.h, ",", fs.w, ",",
                       fs.c, "] does not fit ", is.c, " input channels");
    p.depth_multiplier = out_ch / is.c;
  } else {
    out_ch = fs.n;
    if (fs.c == 0 || is.c % fs.c != 0 || out_ch % (is.c / fs.c) != 0)
      return ctx.Error(Status::kShapeMismatch, "filter has ", fs.c, " channels, input has ", is.c);
  }
  if (fs.h < 1 || fs.w < 1) return ctx.Error(Status::kBadModel, "empty filter");
  if (bias != nullptr && bias->elements() != out_ch)
    return ctx.Error(Status::kShapeMismatch, "bias has ", bias->elements(),
                     " elements, expected ", out_ch);
  const int oh = ref::PaddedOutputSize(same, is.h, fs.h, p.stride_h, p.dilation_h);
  const int ow = ref::PaddedOutputSize(same, is.w, fs.w, p.stride_w, p.dilation_w);
  const int32_t expect[4] = {is.n, oh, ow, out_ch};
  if (Status s = ExpectDims(ctx, out, expect, 4); s != Status::kOk) return s;
  p.pad_h = ref::LeadingPadding(is.h, fs.h, p.stride_h, p.dilation_h, oh);
  p.pad_w = ref::LeadingPadding(is.w, fs.w, p.stride_w, p.dilation_w, ow);
  const uint32_t elem = in.type == DType::kInt8 ? 1 : 4;
  ctx.AllowInPlace(0, SlidingWindowGap(is, out.Shape4(), p.stride_h, p.stride_w, p.pad_h,
                                       p.pad_w, elem, elem));
  if (in.type == DType::kFloat32) {
    if (Status s = ctx.ActivationRangeF32(act, &p.act_min_f, &p.act_max_f); s != Status::kOk)
      return s;
  } else {
    if (!(!filter.per_channel || filter.quantized_dimension == (depthwise ? 3 : 0)))
      return ctx.Error(Status::kBadModel, "per-channel filter quantized on dimension ",
                       filter.quantized_dimension);
    p.input_offset = -in.zero_point;
    p.output_offset = out.zero_point;
    if (Status s = ctx.ActivationRangeS8(act, out, &p.act_min, &p.act_max); s != Status::kOk)
      return s;
    const int k = depthwise ? fs.h * fs.w : fs.h * fs.w * fs.c;  // products per output
    if (Status s = ExpectAccumulatorFits(ctx, in, filter, 0, bias, out_ch, k,
                                         depthwise ? 1 : k, depthwise ? fs.c : 1);
        s != Status::kOk)
      return s;
    if (Status s = ChannelMultipliers(ctx, out_ch, &d->quant);
        s != Status::kOk)
      return s;
    if (!depthwise)
      if (Status s = PrepareFastConv(ctx, d); s != Status::kOk) return s;
  }
  ctx.node().params = d;
  return Status::kOk;
}

}  // namespace

Status PrepareConv2D(PrepareContext& ctx) { return PrepareConvLike(ctx, false); }
Status PrepareDepthwiseConv2D(PrepareContext& ctx) { return PrepareConvLike(ctx, true); }

void EvalConv2D(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const ConvData*>(n.params);
  const Tensor& in = In(n, t, 0);
  const Tensor& f = In(n, t, 1);
  const Tensor* bias = n.num_inputs > 2 && n.inputs[2] >= 0 ? &In(n, t, 2) : nullptr;
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8 && d.col != nullptr) {
    opt::Conv2DS8(d.p, d.quant, bias ? bias->as<int32_t>() : nullptr,
                  reinterpret_cast<int16_t*>(d.col->data), in.Shape4(),
                  in.as<int8_t>(), f.Shape4(), f.as<int8_t>(), out.Shape4(), out.as<int8_t>());
  } else if (in.type == DType::kInt8) {
    ref::Conv2DPerChannelS8(d.p, d.quant, in.Shape4(), in.as<int8_t>(), f.Shape4(),
                            f.as<int8_t>(), bias ? bias->as<int32_t>() : nullptr,
                            out.Shape4(), out.as<int8_t>());
  } else {
    ref::Conv2DF32(d.p, in.Shape4(), in.as<float>(), f.Shape4(), f.as<float>(),
                   bias ? bias->as<float>() : nullptr, out.Shape4(), out.as<float>());
  }
}

void EvalDepthwiseConv2D(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const ConvData*>(n.params);
  const Tensor& in = In(n, t, 0);
  const Tensor& f = In(n, t, 1);
  const Tensor* bias = n.num_inputs > 2 && n.inputs[2] >= 0 ? &In(n, t, 2) : nullptr;
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8 && opt::DepthwiseConv2DS8Applies(d.p, f.Shape4())) {
    opt::DepthwiseConv2DS8(d.p, d.quant, bias ? bias->as<int32_t>() : nullptr, in.Shape4(),
                           in.as<int8_t>(), f.Shape4(), f.as<int8_t>(), out.Shape4(),
                           out.as<int8_t>());
  } else if (in.type == DType::kInt8) {
    ref::DepthwiseConv2DPerChannelS8(d.p, d.quant, in.Shape4(), in.as<int8_t>(),
                                     f.Shape4(), f.as<int8_t>(),
                                     bias ? bias->as<int32_t>() : nullptr, out.Shape4(),
                                     out.as<int8_t>());
  } else {
    ref::DepthwiseConv2DF32(d.p, in.Shape4(), in.as<float>(), f.Shape4(), f.as<float>(),
                            bias ? bias->as<float>() : nullptr, out.Shape4(), out.as<float>());
  }
}

}  // namespace mote::micro
