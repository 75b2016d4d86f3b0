// 16x8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (int16 activations,
// int8 weights, int64 or int32 bias): Prepare validates and precomputes,
// Eval calls micro/kernels/ref/conv_s16.h / fully_connected_s16.h. Registered
// beside the int8/float32 kernels through micro/runtime/ops_s16.def.
#include "micro/kernels/conv_geometry.h"
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/conv_s16.h"
#include "micro/kernels/ref/fully_connected_s16.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct ConvDataS16 {
  ref::ConvParams p;
  ref::ChannelQuant quant;
  BiasS16 bias;
};

Status PrepareConvLikeS16(PrepareContext& ctx, bool depthwise) {
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& filter = ctx.input(1);
  Tensor* bias = ctx.HasInput(2) ? &ctx.input(2) : nullptr;
  Tensor& out = ctx.output(0);
  if (Status s = ExpectSymmetricS16(ctx, in, "input"); s != Status::kOk) return s;
  if (Status s = ExpectSymmetricS16(ctx, out, "output"); s != Status::kOk) return s;
  auto* d = ctx.New<ConvDataS16>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  ref::ConvParams& p = d->p;
  ConvGeometry g;
  if (Status s = PrepareConvGeometry(ctx, depthwise, 2, &p, &g); s != Status::kOk) return s;
  const ref::Shape4 fs = filter.Shape4();
  const int k = depthwise ? fs.h * fs.w : fs.h * fs.w * fs.c;  // products per output
  if (Status s = CheckWeightedOpS16(ctx, filter, 0, bias, g.out_ch, k, depthwise ? 1 : k,
                                    depthwise ? fs.c : 1, &d->bias);
      s != Status::kOk)
    return s;
  if (Status s = ActivationRangeS16(ctx, g.act, out, &p.act_min, &p.act_max); s != Status::kOk)
    return s;
  if (Status s = ChannelMultipliers(ctx, g.out_ch, &d->quant); s != Status::kOk) return s;
  if (d->bias.is64)
    if (Status s = ExpectShiftsS64(ctx, d->quant, g.out_ch); s != Status::kOk) return s;
  ctx.node().params = d;
  return Status::kOk;
}

const int64_t* Bias64(const BiasS16& b) { return static_cast<const int64_t*>(b.data); }
const int32_t* Bias32(const BiasS16& b) { return static_cast<const int32_t*>(b.data); }

struct FcDataS16 {
  int batches = 0, depth = 0, units = 0;
  BiasS16 bias;
  ref::FullyConnectedParams p;
  ref::ChannelQuant quant;
};

}  // namespace

Status PrepareConv2DS16(PrepareContext& ctx) { return PrepareConvLikeS16(ctx, false); }
Status PrepareDepthwiseConv2DS16(PrepareContext& ctx) { return PrepareConvLikeS16(ctx, true); }

void EvalConv2DS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const ConvDataS16*>(n.params);
  const Tensor& in = In(n, t, 0);
  const Tensor& f = In(n, t, 1);
  Tensor& out = Out(n, t, 0);
  if (d.bias.is64)
    ref::Conv2DPerChannelS16(d.p, d.quant, in.Shape4(), in.as<int16_t>(), f.Shape4(),
                             f.as<int8_t>(), Bias64(d.bias), out.Shape4(), out.as<int16_t>());
  else
    ref::Conv2DPerChannelS16(d.p, d.quant, in.Shape4(), in.as<int16_t>(), f.Shape4(),
                             f.as<int8_t>(), Bias32(d.bias), out.Shape4(), out.as<int16_t>());
}

void EvalDepthwiseConv2DS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const ConvDataS16*>(n.params);
  const Tensor& in = In(n, t, 0);
  const Tensor& f = In(n, t, 1);
  Tensor& out = Out(n, t, 0);
  if (d.bias.is64)
    ref::DepthwiseConv2DPerChannelS16(d.p, d.quant, in.Shape4(), in.as<int16_t>(), f.Shape4(),
                                      f.as<int8_t>(), Bias64(d.bias), out.Shape4(),
                                      out.as<int16_t>());
  else
    ref::DepthwiseConv2DPerChannelS16(d.p, d.quant, in.Shape4(), in.as<int16_t>(), f.Shape4(),
                                      f.as<int8_t>(), Bias32(d.bias), out.Shape4(),
                                      out.as<int16_t>());
}

Status PrepareFullyConnectedS16(PrepareContext& ctx) {
  using namespace field;
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& w = ctx.input(1);
  Tensor* bias = ctx.HasInput(2) ? &ctx.input(2) : nullptr;
  Tensor& out = ctx.output(0);
  if (Status s = ExpectSymmetricS16(ctx, in, "input"); s != Status::kOk) return s;
  if (Status s = ExpectSymmetricS16(ctx, out, "output"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectRank(w, "weights", 2); s != Status::kOk) return s;
  if (ctx.OptionU8(kFcWeightsFormat, 0) != 0)
    return ctx.Error(Status::kUnsupportedOp, "shuffled weights format is not supported");
  auto* d = ctx.New<FcDataS16>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  d->units = w.dims[0];
  d->depth = w.dims[1];
  if (d->depth <= 0 || in.elements() % d->depth != 0)
    return ctx.Error(Status::kShapeMismatch, "input of ", in.elements(),
                     " elements is not a multiple of the weights depth ", d->depth);
  d->batches = in.elements() / d->depth;
  if (out.elements() != int64_t{d->batches} * d->units)
    return ctx.Error(Status::kShapeMismatch, "output has ", out.elements(),
                     " elements, expected ", int64_t{d->batches} * d->units);
  if (w.per_channel && w.quantized_dimension != 0)
    return ctx.Error(Status::kBadModel, "per-channel weights quantized on dimension ",
                     w.quantized_dimension);
  d->p.weights_offset = -w.zero_point;
  if (Status s = CheckWeightedOpS16(ctx, w, d->p.weights_offset, bias, d->units, d->depth,
                                    d->depth, 1, &d->bias);
      s != Status::kOk)
    return s;
  if (Status s = ActivationRangeS16(ctx, ctx.OptionU8(kFcActivation, 0), out, &d->p.act_min,
                                    &d->p.act_max);
      s != Status::kOk)
    return s;
  if (Status s = ChannelMultipliers(ctx, d->units, &d->quant); s != Status::kOk) return s;
  if (d->bias.is64)
    if (Status s = ExpectShiftsS64(ctx, d->quant, d->units); s != Status::kOk) return s;
  ctx.node().params = d;
  return Status::kOk;
}

void EvalFullyConnectedS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const FcDataS16*>(n.params);
  const int16_t* x = In(n, t, 0).as<int16_t>();
  const int8_t* w = In(n, t, 1).as<int8_t>();
  int16_t* y = Out(n, t, 0).as<int16_t>();
  if (d.bias.is64)
    ref::FullyConnectedS16(d.p, d.quant, d.batches, d.depth, d.units, x, w, Bias64(d.bias), y);
  else
    ref::FullyConnectedS16(d.p, d.quant, d.batches, d.depth, d.units, x, w, Bias32(d.bias), y);
}

}  // namespace mote::micro
