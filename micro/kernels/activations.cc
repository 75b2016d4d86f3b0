// SOFTMAX, LOGISTIC, TANH.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/logistic.h"
#include "micro/kernels/ref/softmax.h"
#include "micro/kernels/ref/tanh.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

Status PrepareSameShape(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type != DType::kInt8 && in.type != DType::kFloat32)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(in.type),
                     " is not supported (int8 or float32)");
  if (Status s = ctx.ExpectType(out, "output", in.type); s != Status::kOk) return s;
  if (in.elements() != out.elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  if (in.type == DType::kInt8) {
    if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
    return ctx.ExpectQuantized(out, "output");
  }
  return Status::kOk;
}

// The fixed output quantization of int8 SOFTMAX / LOGISTIC / TANH.
Status ExpectOutputQuant(PrepareContext& ctx, int32_t inverse_scale, int32_t zero_point) {
  const Tensor& out = ctx.output(0);
  if (out.type != DType::kInt8) return Status::kOk;
  if (out.scale != 1.0f / static_cast<float>(inverse_scale) || out.zero_point != zero_point)
    return ctx.Error(Status::kBadModel, "int8 output must have scale 1/", inverse_scale,
                     " and zero point ", zero_point);
  return Status::kOk;
}

struct SoftmaxData {
  ref::SoftmaxParamsS8 q;
  float beta;
  int outer, depth;
};

}  // namespace

Status PrepareSoftmax(PrepareContext& ctx) {
  if (Status s = PrepareSameShape(ctx); s != Status::kOk) return s;
  if (Status s = ExpectOutputQuant(ctx, 256, -128); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  if (in.rank < 1) return ctx.Error(Status::kShapeMismatch, "input must have rank >= 1");
  auto* d = ctx.New<SoftmaxData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  d->beta = ctx.OptionF32(field::kSoftmaxBeta, 1.0f);
  if (!(d->beta > 0.0f) || d->beta > 1.0e6f)
    return ctx.Error(Status::kBadModel, "beta must be positive and finite");
  d->depth = in.dims[in.rank - 1];
  d->outer = d->depth > 0 ? in.elements() / d->depth : 0;
  if (in.type == DType::kInt8) {
    if (d->depth >= 4096)
      return ctx.Error(Status::kUnsupportedOp, "int8 softmax over ", d->depth,
                       " classes (max 4095)");
    if (static_cast<double>(d->beta) * in.scale <= 1.0 / (1 << 26))
      return ctx.Error(Status::kBadModel, "beta * input scale is too small");
    ref::SoftmaxPrepareS8(in.scale, d->beta, &d->q);
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalSoftmax(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const SoftmaxData*>(n.params);
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    ref::SoftmaxS8(d.q, d.outer, d.depth, in.as<int8_t>(), out.as<int8_t>());
  else
    ref::SoftmaxF32(d.beta, d.outer, d.depth, in.as<float>(), out.as<float>());
}

namespace {

// LOGISTIC / TANH: the same shape and output quantization checks, and for
// int8 a table-free fixed-point kernel prepared from the input's scale
// (in.scale * 2^27 must give a shift in 0..31).
template <typename Params, void (*PrepareS8)(float, int32_t, Params*)>
Status PrepareSigmoidLike(PrepareContext& ctx, int32_t inverse_scale, int32_t zero_point) {
  if (Status s = PrepareSameShape(ctx); s != Status::kOk) return s;
  if (Status s = ExpectOutputQuant(ctx, inverse_scale, zero_point); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  if (in.type == DType::kInt8) {
    if (in.scale < 1.0f / (1 << 28))
      return ctx.Error(Status::kBadModel, "input scale is too small");
    if (Status s = ExpectRequantScale(ctx, in.scale * 134217728.0, "input"); s != Status::kOk)
      return s;
    auto* p = ctx.New<Params>();
    if (p == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
    PrepareS8(in.scale, in.zero_point, p);
    ctx.node().params = p;
  }
  ctx.AllowInPlace(0, 0);  // element-wise
  return Status::kOk;
}

template <typename Params, void (*EvalS8)(const Params&, int, const int8_t*, int8_t*),
          void (*EvalF32)(int, const float*, float*)>
void EvalSigmoidLike(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    EvalS8(*static_cast<const Params*>(n.params), in.elements(), in.as<int8_t>(),
           out.as<int8_t>());
  else
    EvalF32(in.elements(), in.as<float>(), out.as<float>());
}

}  // namespace

Status PrepareLogistic(PrepareContext& ctx) {
  return PrepareSigmoidLike<ref::LogisticParamsS8, ref::LogisticPrepareS8>(ctx, 256, -128);
}

void EvalLogistic(const Node& n, Tensor* t) {
  EvalSigmoidLike<ref::LogisticParamsS8, ref::LogisticS8, ref::LogisticF32>(n, t);
}

Status PrepareTanh(PrepareContext& ctx) {
  return PrepareSigmoidLike<ref::TanhParamsS8, ref::TanhPrepareS8>(ctx, 128, 0);
}

void EvalTanh(const Node& n, Tensor* t) {
  EvalSigmoidLike<ref::TanhParamsS8, ref::TanhS8, ref::TanhF32>(n, t);
}

}  // namespace mote::micro
