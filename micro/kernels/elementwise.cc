// ADD, MUL, RELU, RELU6, QUANTIZE, DEQUANTIZE.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/elementwise.h"
#include "micro/kernels/ref/quant.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct BinaryData {
  ref::Broadcast bc;
  ref::AddParamsS8 add;
  ref::MulParamsS8 mul;
  float act_min_f, act_max_f;
};

Status PrepareBinary(PrepareContext& ctx, bool is_add) {
  if (Status s = ctx.ExpectCounts(2, 2, 1); s != Status::kOk) return s;
  Tensor& a = ctx.input(0);
  Tensor& b = ctx.input(1);
  Tensor& out = ctx.output(0);
  if (a.type != DType::kInt8 && a.type != DType::kFloat32)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(a.type),
                     " is not supported (int8 or float32)");
  if (Status s = ctx.ExpectType(b, "input 1", a.type); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(out, "output", a.type); s != Status::kOk) return s;
  auto* d = ctx.New<BinaryData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  if (Status s = PrepareBroadcastBinary(ctx, &d->bc); s != Status::kOk) return s;
  const uint8_t act = ctx.OptionU8(0, 0);  // AddOptions/MulOptions field 0
  ctx.node().params = d;
  if (a.type == DType::kFloat32) return ctx.ActivationRangeF32(act, &d->act_min_f, &d->act_max_f);
  if (Status s = ctx.ExpectQuantized(a, "input 0"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(b, "input 1"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(out, "output"); s != Status::kOk) return s;
  int32_t lo, hi;
  if (Status s = ctx.ActivationRangeS8(act, out, &lo, &hi); s != Status::kOk) return s;
  const double max_in = a.scale > b.scale ? a.scale : b.scale;
  const double real = is_add ? 2.0 * max_in / ((1 << 20) * static_cast<double>(out.scale))
                             : static_cast<double>(a.scale) * b.scale / out.scale;
  if (Status s = ExpectRequantScale(ctx, real, "output"); s != Status::kOk) return s;
  if (is_add)
    ref::AddPrepareS8(a.scale, a.zero_point, b.scale, b.zero_point, out.scale,
                      out.zero_point, lo, hi, &d->add);
  else
    ref::MulPrepareS8(a.scale, a.zero_point, b.scale, b.zero_point, out.scale,
                      out.zero_point, lo, hi, &d->mul);
  return Status::kOk;
}

// Unary ops on int8 or float32 with an output of the same shape.
Status PrepareUnary(PrepareContext& ctx, DType in_type, DType out_type) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(ctx.input(0), "input", in_type); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(ctx.output(0), "output", out_type); s != Status::kOk) return s;
  if (ctx.input(0).elements() != ctx.output(0).elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  if (in_type == DType::kInt8)
    if (Status s = ctx.ExpectQuantized(ctx.input(0), "input"); s != Status::kOk) return s;
  if (out_type == DType::kInt8)
    if (Status s = ctx.ExpectQuantized(ctx.output(0), "output"); s != Status::kOk) return s;
  // Element i is written after it is read; a narrower output never overtakes.
  if (DTypeSize(out_type) <= DTypeSize(in_type)) ctx.AllowInPlace(0, 0);
  return Status::kOk;
}

Status PrepareUnaryEither(PrepareContext& ctx) {
  if (ctx.num_inputs() < 1 || !ctx.HasInput(0))
    return ctx.Error(Status::kBadModel, "input 0 is missing");
  const DType t = ctx.input(0).type;
  if (t != DType::kInt8 && t != DType::kFloat32)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(t),
                     " is not supported (int8 or float32)");
  return PrepareUnary(ctx, t, t);
}

struct ReluData {
  ref::ReluParamsS8 q;
  int32_t zero, six;  // RELU6 int8
};

}  // namespace

Status PrepareAdd(PrepareContext& ctx) { return PrepareBinary(ctx, true); }
Status PrepareMul(PrepareContext& ctx) { return PrepareBinary(ctx, false); }

void EvalAdd(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const BinaryData*>(n.params);
  const Tensor& a = In(n, t, 0);
  if (a.type == DType::kInt8)
    ref::AddS8(d.add, d.bc, a.as<int8_t>(), In(n, t, 1).as<int8_t>(), Out(n, t, 0).as<int8_t>());
  else
    ref::AddF32(d.act_min_f, d.act_max_f, d.bc, a.as<float>(), In(n, t, 1).as<float>(),
                Out(n, t, 0).as<float>());
}

void EvalMul(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const BinaryData*>(n.params);
  const Tensor& a = In(n, t, 0);
  if (a.type == DType::kInt8)
    ref::MulS8(d.mul, d.bc, a.as<int8_t>(), In(n, t, 1).as<int8_t>(), Out(n, t, 0).as<int8_t>());
  else
    ref::MulF32(d.act_min_f, d.act_max_f, d.bc, a.as<float>(), In(n, t, 1).as<float>(),
                Out(n, t, 0).as<float>());
}

Status PrepareRelu(PrepareContext& ctx) {
  if (Status s = PrepareUnaryEither(ctx); s != Status::kOk) return s;
  auto* d = ctx.New<ReluData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type == DType::kInt8) {
    if (Status s = ExpectRequantScale(ctx, static_cast<double>(in.scale) / out.scale, "output");
        s != Status::kOk)
      return s;
  }
  if (in.type == DType::kInt8)
    ref::ReluPrepareS8(in.scale, in.zero_point, out.scale, out.zero_point, &d->q);
  ctx.node().params = d;
  return Status::kOk;
}

void EvalRelu(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  if (in.type == DType::kInt8)
    ref::ReluS8(static_cast<const ReluData*>(n.params)->q, in.elements(), in.as<int8_t>(),
                Out(n, t, 0).as<int8_t>());
  else
    ref::ReluF32(0.0f, 3.4028235e38f, in.elements(), in.as<float>(), Out(n, t, 0).as<float>());
}

Status PrepareRelu6(PrepareContext& ctx) {
  if (Status s = PrepareUnaryEither(ctx); s != Status::kOk) return s;
  auto* d = ctx.New<ReluData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  const Tensor& in = ctx.input(0);
  if (in.type == DType::kInt8) {
    // As TFLM: clamp in the input's quantization, whatever the output's.
    d->zero = in.zero_point;
    const float six = ref::RoundAway(6.0f / in.scale) + static_cast<float>(in.zero_point);
    d->six = six > 127.0f ? 127 : static_cast<int32_t>(six);
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalRelu6(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  const auto& d = *static_cast<const ReluData*>(n.params);
  if (in.type == DType::kInt8)
    ref::Relu6S8(d.zero, d.six, in.elements(), in.as<int8_t>(), Out(n, t, 0).as<int8_t>());
  else
    ref::ReluF32(0.0f, 6.0f, in.elements(), in.as<float>(), Out(n, t, 0).as<float>());
}

Status PrepareQuantize(PrepareContext& ctx) {
  if (ctx.num_inputs() < 1 || !ctx.HasInput(0))
    return ctx.Error(Status::kBadModel, "input 0 is missing");
  const DType in_type = ctx.input(0).type;
  if (in_type != DType::kFloat32 && in_type != DType::kInt8)
    return ctx.Error(Status::kUnsupportedType, "quantizing from ", DTypeName(in_type),
                     " is not supported (float32 or int8)");
  if (Status s = PrepareUnary(ctx, in_type, DType::kInt8); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (out.per_channel)
    return ctx.Error(Status::kUnsupportedType, "per-channel QUANTIZE output is not supported");
  return in_type == DType::kInt8 ? PrepareRequantize(ctx, in, out) : Status::kOk;
}

void EvalQuantize(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8)
    ref::RequantizeS8(*static_cast<const ref::RequantizeParams*>(n.params), in.elements(),
                      in.as<int8_t>(), out.as<int8_t>());
  else
    ref::QuantizeF32ToS8(out.scale, out.zero_point, in.elements(), in.as<float>(),
                         out.as<int8_t>());
}

Status PrepareDequantize(PrepareContext& ctx) {
  return PrepareUnary(ctx, DType::kInt8, DType::kFloat32);
}

void EvalDequantize(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  ref::DequantizeS8(static_cast<double>(in.scale), in.zero_point, in.elements(),
                    in.as<int8_t>(), Out(n, t, 0).as<float>());
}

}  // namespace mote::micro
