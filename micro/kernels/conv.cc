// CONV_2D and DEPTHWISE_CONV_2D: Prepare validates and precomputes,
// Eval dispatches on dtype to micro/kernels/opt/conv_s8.h (int8, when Prepare
// found the shape supported) or micro/kernels/ref/conv.h.
#include "micro/kernels/conv_geometry.h"
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
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& filter = ctx.input(1);
  Tensor* bias = ctx.HasInput(2) ? &ctx.input(2) : nullptr;
  Tensor& out = ctx.output(0);
  if (Status s = CheckWeightedOpTypes(ctx, in, filter, bias, out); s != Status::kOk) return s;
  if (!filter.is_const) return ctx.Error(Status::kUnsupportedOp, "filter must be constant");
  auto* d = ctx.New<ConvData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  ref::ConvParams& p = d->p;
  ConvGeometry g;
  if (Status s = PrepareConvGeometry(ctx, depthwise, in.type == DType::kInt8 ? 1 : 4, &p, &g);
      s != Status::kOk)
    return s;
  if (bias != nullptr && bias->elements() != g.out_ch)
    return ctx.Error(Status::kShapeMismatch, "bias has ", bias->elements(),
                     " elements, expected ", g.out_ch);
  if (in.type == DType::kFloat32) {
    if (Status s = ctx.ActivationRangeF32(g.act, &p.act_min_f, &p.act_max_f); s != Status::kOk)
      return s;
  } else {
    p.input_offset = -in.zero_point;
    p.output_offset = out.zero_point;
    if (Status s = ctx.ActivationRangeS8(g.act, out, &p.act_min, &p.act_max); s != Status::kOk)
      return s;
    const ref::Shape4 fs = filter.Shape4();
    const int k = depthwise ? fs.h * fs.w : fs.h * fs.w * fs.c;  // products per output
    if (Status s = ExpectAccumulatorFits(ctx, in, filter, 0, bias, g.out_ch, k,
                                         depthwise ? 1 : k, depthwise ? fs.c : 1);
        s != Status::kOk)
      return s;
    if (Status s = ChannelMultipliers(ctx, g.out_ch, &d->quant); s != Status::kOk) return s;
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
