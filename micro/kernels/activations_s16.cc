// 16x8-mode SOFTMAX, LOGISTIC, TANH, AVERAGE_POOL_2D and MAX_POOL_2D (int16
// activations): Prepare validates and precomputes (LUTs in the persistent
// arena), Eval calls micro/kernels/ref/activations_s16.h and pooling.h.
// Registered beside the int8/float32 kernels through micro/runtime/ops_s16.def.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/activations_s16.h"
#include "micro/kernels/ref/pooling.h"
#include "micro/kernels/ref/softmax.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

// Same-size int16 -> int16 with symmetric quantization on both sides.
Status PrepareSameShapeS16(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (Status s = ExpectSymmetricS16(ctx, in, "input"); s != Status::kOk) return s;
  if (Status s = ExpectSymmetricS16(ctx, out, "output"); s != Status::kOk) return s;
  if (in.elements() != out.elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  return Status::kOk;
}

// LOGISTIC / TANH int16 output: scale 2^-15 (TFLM's CheckedLog2 test).
Status ExpectOutputQ15(PrepareContext& ctx) {
  int log2 = 0;
  if (!ref::CheckedLog2(ctx.output(0).scale, &log2) || log2 != -15)
    return ctx.Error(Status::kBadModel, "int16 output must have scale 2^-15");
  return Status::kOk;
}

Status PrepareSigmoidLike(PrepareContext& ctx, bool tanh) {
  if (Status s = PrepareSameShapeS16(ctx); s != Status::kOk) return s;
  if (Status s = ExpectOutputQ15(ctx); s != Status::kOk) return s;
  auto* p = ctx.New<ref::SigmoidParamsS16>();
  if (p == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  const float scale = ctx.input(0).scale;
  if (!(tanh ? ref::TanhPrepareS16(scale, p) : ref::LogisticPrepareS16(scale, p)))
    return ctx.Error(Status::kBadModel, "input scale ", static_cast<double>(scale),
                     " is out of range for the int16 kernel (max ~2.67)");
  ctx.AllowInPlace(0, 0);  // element-wise
  ctx.node().params = p;
  return Status::kOk;
}

struct SoftmaxDataS16 {
  ref::SoftmaxParamsS16 p;     // int16 input
  ref::SoftmaxParamsS8 p8;     // int8 input, int16 output
  int outer, depth;
};

Status PreparePoolS16(PrepareContext& ctx, bool average) {
  using namespace field;
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (Status s = ctx.ExpectType(in, "input", DType::kInt16); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(out, "output", DType::kInt16); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
  if (in.scale != out.scale || in.zero_point != out.zero_point)
    return ctx.Error(Status::kBadModel, "input and output quantization differ");
  if (Status s = ctx.ExpectRank(in, "input", 4); s != Status::kOk) return s;
  auto* p = ctx.New<ref::PoolParams>();
  if (p == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  const bool same = ctx.OptionU8(kPoolPadding, 0) == static_cast<uint8_t>(Padding::kSame);
  p->stride_w = ctx.OptionI32(kPoolStrideW, 1);
  p->stride_h = ctx.OptionI32(kPoolStrideH, 1);
  p->filter_w = ctx.OptionI32(kPoolFilterW, 1);
  p->filter_h = ctx.OptionI32(kPoolFilterH, 1);
  if (p->stride_w < 1 || p->stride_h < 1 || p->filter_w < 1 || p->filter_h < 1 ||
      p->stride_w > 4096 || p->stride_h > 4096 || p->filter_w > 4096 || p->filter_h > 4096)
    return ctx.Error(Status::kBadModel, "stride and filter size must be in 1..4096");
  if (average && int64_t{p->filter_w} * p->filter_h > 65535)
    return ctx.Error(Status::kBadModel, "int16 average over more than 65535 values "
                     "can overflow the int32 sum");
  const ref::Shape4 is = in.Shape4();
  const int oh = ref::PaddedOutputSize(same, is.h, p->filter_h, p->stride_h, 1);
  const int ow = ref::PaddedOutputSize(same, is.w, p->filter_w, p->stride_w, 1);
  const int32_t expect[4] = {is.n, oh, ow, is.c};
  if (Status s = ExpectDims(ctx, out, expect, 4); s != Status::kOk) return s;
  p->pad_h = ref::LeadingPadding(is.h, p->filter_h, p->stride_h, 1, oh);
  p->pad_w = ref::LeadingPadding(is.w, p->filter_w, p->stride_w, 1, ow);
  ctx.AllowInPlace(0, SlidingWindowGap(is, out.Shape4(), p->stride_h, p->stride_w, p->pad_h,
                                       p->pad_w, 2, 2));
  if (Status s = ActivationRangeS16(ctx, ctx.OptionU8(kPoolActivation, 0), out, &p->act_min,
                                    &p->act_max);
      s != Status::kOk)
    return s;
  ctx.node().params = p;
  return Status::kOk;
}

}  // namespace

Status PrepareLogisticS16(PrepareContext& ctx) { return PrepareSigmoidLike(ctx, false); }
Status PrepareTanhS16(PrepareContext& ctx) { return PrepareSigmoidLike(ctx, true); }

void EvalLogisticS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  ref::LogisticS16(*static_cast<const ref::SigmoidParamsS16*>(n.params), in.elements(),
                   in.as<int16_t>(), Out(n, t, 0).as<int16_t>());
}

void EvalTanhS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  ref::TanhS16(*static_cast<const ref::SigmoidParamsS16*>(n.params), in.elements(),
               in.as<int16_t>(), Out(n, t, 0).as<int16_t>());
}

// int16 -> int16 (output scale 2^-15, zero point 0) and int8 -> int16
// (output scale 2^-16, zero point -32768), as TFLM.
Status PrepareSoftmaxS16(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const bool from_s8 = in.type == DType::kInt8;
  if (from_s8) {
    if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
    if (Status s = ctx.ExpectType(out, "output", DType::kInt16); s != Status::kOk) return s;
  } else {
    if (Status s = ExpectSymmetricS16(ctx, in, "input"); s != Status::kOk) return s;
    if (Status s = ctx.ExpectType(out, "output", DType::kInt16); s != Status::kOk) return s;
  }
  if (Status s = ctx.ExpectQuantized(out, "output"); s != Status::kOk) return s;
  const float want_scale = from_s8 ? 1.0f / 65536 : 1.0f / 32768;
  const float diff = out.scale - want_scale;
  if (out.zero_point != (from_s8 ? -32768 : 0) ||
      !((diff < 0 ? -diff : diff) <= 0.001f * want_scale))
    return ctx.Error(Status::kBadModel, "int16 output must have scale 1/",
                     from_s8 ? 65536 : 32768, " and zero point ", from_s8 ? -32768 : 0);
  if (in.elements() != out.elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  if (in.rank < 1) return ctx.Error(Status::kShapeMismatch, "input must have rank >= 1");
  auto* d = ctx.New<SoftmaxDataS16>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  const float beta = ctx.OptionF32(field::kSoftmaxBeta, 1.0f);
  if (!(beta > 0.0f) || beta > 1.0e6f)
    return ctx.Error(Status::kBadModel, "beta must be positive and finite");
  d->depth = in.dims[in.rank - 1];
  d->outer = d->depth > 0 ? in.elements() / d->depth : 0;
  if (from_s8) {
    if (d->depth >= 4096)
      return ctx.Error(Status::kUnsupportedOp, "int8 softmax over ", d->depth,
                       " classes (max 4095)");
    if (static_cast<double>(beta) * in.scale <= 1.0 / (1 << 26))
      return ctx.Error(Status::kBadModel, "beta * input scale is too small");
    ref::SoftmaxPrepareS8(in.scale, beta, &d->p8);
  } else {
    if (d->depth > 65535)
      return ctx.Error(Status::kUnsupportedOp, "int16 softmax over ", d->depth,
                       " classes (max 65535)");
    int16_t* exp_lut = ctx.NewArray<int16_t>(ref::kLutS16Entries);
    int16_t* recip_lut = ctx.NewArray<int16_t>(ref::kLutS16Entries);
    if (exp_lut == nullptr || recip_lut == nullptr)
      return ctx.Error(Status::kArenaTooSmall, "no arena left for the softmax tables");
    if (!ref::SoftmaxPrepareS16(in.scale, beta, exp_lut, recip_lut, &d->p))
      return ctx.Error(Status::kBadModel, "beta * input scale is out of range for int16");
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalSoftmaxS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const SoftmaxDataS16*>(n.params);
  const Tensor& in = In(n, t, 0);
  int16_t* out = Out(n, t, 0).as<int16_t>();
  if (in.type == DType::kInt8)
    ref::SoftmaxS8S16(d.p8, d.outer, d.depth, in.as<int8_t>(), out);
  else
    ref::SoftmaxS16(d.p, d.outer, d.depth, in.as<int16_t>(), out);
}

Status PrepareAveragePool2DS16(PrepareContext& ctx) { return PreparePoolS16(ctx, true); }
Status PrepareMaxPool2DS16(PrepareContext& ctx) { return PreparePoolS16(ctx, false); }

void EvalAveragePool2DS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  ref::AveragePoolS16(*static_cast<const ref::PoolParams*>(n.params), in.Shape4(),
                      in.as<int16_t>(), out.Shape4(), out.as<int16_t>());
}

void EvalMaxPool2DS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  ref::MaxPoolS16(*static_cast<const ref::PoolParams*>(n.params), in.Shape4(),
                  in.as<int16_t>(), out.Shape4(), out.as<int16_t>());
}

}  // namespace mote::micro
