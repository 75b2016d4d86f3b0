// AVERAGE_POOL_2D and MAX_POOL_2D (int8 average: the optimized kernel, byte-identical
// to the reference; the rest: the reference kernels).
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/opt/pool_s8.h"
#include "micro/kernels/ref/pooling.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

Status PreparePool(PrepareContext& ctx) {
  using namespace field;
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (in.type != DType::kInt8 && in.type != DType::kFloat32)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(in.type),
                     " is not supported (int8 or float32)");
  if (Status s = ctx.ExpectType(out, "output", in.type); s != Status::kOk) return s;
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
  const ref::Shape4 is = in.Shape4();
  const int oh = ref::PaddedOutputSize(same, is.h, p->filter_h, p->stride_h, 1);
  const int ow = ref::PaddedOutputSize(same, is.w, p->filter_w, p->stride_w, 1);
  const int32_t expect[4] = {is.n, oh, ow, is.c};
  if (Status s = ExpectDims(ctx, out, expect, 4); s != Status::kOk) return s;
  p->pad_h = ref::LeadingPadding(is.h, p->filter_h, p->stride_h, 1, oh);
  p->pad_w = ref::LeadingPadding(is.w, p->filter_w, p->stride_w, 1, ow);
  const uint32_t elem = in.type == DType::kInt8 ? 1 : 4;
  ctx.AllowInPlace(0, SlidingWindowGap(is, out.Shape4(), p->stride_h, p->stride_w, p->pad_h,
                                       p->pad_w, elem, elem));
  const uint8_t act = ctx.OptionU8(kPoolActivation, 0);
  if (in.type == DType::kInt8) {
    if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
    if (in.scale != out.scale || in.zero_point != out.zero_point)
      return ctx.Error(Status::kBadModel, "input and output quantization differ");
    if (Status s = ctx.ActivationRangeS8(act, out, &p->act_min, &p->act_max); s != Status::kOk)
      return s;
  } else if (Status s = ctx.ActivationRangeF32(act, &p->act_min_f, &p->act_max_f);
             s != Status::kOk) {
    return s;
  }
  ctx.node().params = p;
  return Status::kOk;
}

}  // namespace

Status PrepareAveragePool2D(PrepareContext& ctx) { return PreparePool(ctx); }
Status PrepareMaxPool2D(PrepareContext& ctx) { return PreparePool(ctx); }

void EvalAveragePool2D(const Node& n, Tensor* t) {
  const auto& p = *static_cast<const ref::PoolParams*>(n.params);
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    opt::AveragePoolS8(p, in.Shape4(), in.as<int8_t>(), out.Shape4(), out.as<int8_t>());
  else
    ref::AveragePoolF32(p, in.Shape4(), in.as<float>(), out.Shape4(), out.as<float>());
}

void EvalMaxPool2D(const Node& n, Tensor* t) {
  const auto& p = *static_cast<const ref::PoolParams*>(n.params);
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    ref::MaxPoolS8(p, in.Shape4(), in.as<int8_t>(), out.Shape4(), out.as<int8_t>());
  else
    ref::MaxPoolF32(p, in.Shape4(), in.as<float>(), out.Shape4(), out.as<float>());
}

}  // namespace mote::micro
