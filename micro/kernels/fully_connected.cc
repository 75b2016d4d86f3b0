// FULLY_CONNECTED: Prepare validates and precomputes, Eval dispatches on dtype.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/opt/conv_s8.h"
#include "micro/kernels/ref/fully_connected.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

// Float layers keep only what their Eval reads (arena bytes matter).
struct FcData {
  int batches = 0, depth = 0, units = 0;
  float act_min_f = 0, act_max_f = 0;
};
struct FcDataS8 : FcData {
  ref::FullyConnectedParams p;
  ref::ChannelQuant quant;
};

}  // namespace

Status PrepareFullyConnected(PrepareContext& ctx) {
  using namespace field;
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& w = ctx.input(1);
  Tensor* bias = ctx.HasInput(2) ? &ctx.input(2) : nullptr;
  Tensor& out = ctx.output(0);
  if (Status s = CheckWeightedOpTypes(ctx, in, w, bias, out); s != Status::kOk) return s;
  if (Status s = ctx.ExpectRank(w, "weights", 2); s != Status::kOk) return s;
  if (ctx.OptionU8(kFcWeightsFormat, 0) != 0)
    return ctx.Error(Status::kUnsupportedOp, "shuffled weights format is not supported");
  FcDataS8* q = nullptr;
  FcData* d = nullptr;
  if (in.type == DType::kInt8) {
    d = q = ctx.New<FcDataS8>();
  } else {
    d = ctx.New<FcData>();
  }
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
  if (bias != nullptr && bias->elements() != d->units)
    return ctx.Error(Status::kShapeMismatch, "bias has ", bias->elements(),
                     " elements, expected ", d->units);
  const uint8_t act = ctx.OptionU8(kFcActivation, 0);
  if (in.type == DType::kFloat32) {
    if (Status s = ctx.ActivationRangeF32(act, &d->act_min_f, &d->act_max_f);
        s != Status::kOk)
      return s;
  } else {
    q->p.input_offset = -in.zero_point;
    q->p.weights_offset = -w.zero_point;
    q->p.output_offset = out.zero_point;
    if (Status s = ctx.ActivationRangeS8(act, out, &q->p.act_min, &q->p.act_max);
        s != Status::kOk)
      return s;
    if (Status s = ExpectAccumulatorFits(ctx, in, w, q->p.weights_offset, bias, d->units,
                                         d->depth, d->depth, 1);
        s != Status::kOk)
      return s;
    if (Status s = ChannelMultipliers(ctx, d->units, &q->quant);
        s != Status::kOk)
      return s;
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalFullyConnected(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const FcData*>(n.params);
  const Tensor& in = In(n, t, 0);
  const Tensor& w = In(n, t, 1);
  const Tensor* bias = n.num_inputs > 2 && n.inputs[2] >= 0 ? &In(n, t, 2) : nullptr;
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8) {
    const auto& q = static_cast<const FcDataS8&>(d);
    if (opt::FullyConnectedS8Applies(q.p)) {
      opt::FullyConnectedS8(q.p, q.quant, bias ? bias->as<int32_t>() : nullptr, d.batches,
                            d.depth, d.units, in.as<int8_t>(), w.as<int8_t>(),
                            out.as<int8_t>());
      return;
    }
    ref::FullyConnectedS8(q.p, q.quant, d.batches, d.depth, d.units, in.as<int8_t>(),
                          w.as<int8_t>(), bias ? bias->as<int32_t>() : nullptr,
                          out.as<int8_t>());
  } else {
    ref::FullyConnectedParams p;
    p.act_min_f = d.act_min_f;
    p.act_max_f = d.act_max_f;
    ref::FullyConnectedF32(p, d.batches, d.depth, d.units, in.as<float>(), w.as<float>(),
                           bias ? bias->as<float>() : nullptr, out.as<float>());
  }
}

}  // namespace mote::micro
