// MEAN (ReducerOptions): int8 and float32 over a constant set of axes.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/reduce.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct MeanData {
  ref::ReduceShape shape;
  ref::MeanParamsS8 q;
};

static_assert(kMaxRank <= ref::kMaxReduceRank, "reduce shape too small for the model rank");

}  // namespace

Status PrepareMean(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(2, 2, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& axes = ctx.input(1);
  const Tensor& out = ctx.output(0);
  if (in.type != DType::kInt8 && in.type != DType::kFloat32)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(in.type),
                     " is not supported (int8 or float32)");
  if (Status s = ctx.ExpectType(out, "output", in.type); s != Status::kOk) return s;
  if (!axes.is_const || axes.type != DType::kInt32 || axes.rank > 1)
    return ctx.Error(Status::kBadModel, "axis must be a constant int32 scalar or vector");
  uint32_t mask = 0;
  const int32_t* a = axes.as<int32_t>();
  for (int i = 0; i < axes.elements(); ++i) {
    const int32_t axis = a[i] < 0 ? a[i] + in.rank : a[i];
    if (axis < 0 || axis >= in.rank)
      return ctx.Error(Status::kBadModel, "axis ", a[i], " out of range for rank ", in.rank);
    mask |= 1u << axis;
  }
  const bool keep_dims = ctx.OptionU8(field::kReducerKeepDims, 0) != 0;
  int32_t expect[kMaxRank];
  int n = 0;
  for (int i = 0; i < in.rank; ++i) {
    if (!(mask & (1u << i))) expect[n++] = in.dims[i];
    else if (keep_dims) expect[n++] = 1;
  }
  if (Status s = ExpectDims(ctx, out, expect, n); s != Status::kOk) return s;
  auto* d = ctx.New<MeanData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  ref::MakeReduceShape(in.dims, in.rank, mask, &d->shape);
  if (in.type == DType::kInt8) {
    if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
    if (Status s = ctx.ExpectQuantized(out, "output"); s != Status::kOk) return s;
    if (Status s = ExpectRequantScale(ctx, static_cast<double>(in.scale) / out.scale, "output");
        s != Status::kOk)
      return s;
    if (d->shape.count < 1)
      return ctx.Error(Status::kShapeMismatch, "int8 mean over an empty dimension");
    ref::MeanPrepareS8(in.scale, in.zero_point, out.scale, out.zero_point, d->shape.count,
                       &d->q);
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalMean(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const MeanData*>(n.params);
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    ref::MeanS8(d.shape, d.q, in.as<int8_t>(), out.as<int8_t>());
  else
    ref::MeanF32(d.shape, in.as<float>(), out.as<float>());
}

}  // namespace mote::micro
