// 16x8-mode ADD, MUL, QUANTIZE and DEQUANTIZE (int16 activations): Prepare
// validates and precomputes, Eval calls micro/kernels/ref/elementwise.h.
// Registered beside the int8/float32 kernels through micro/runtime/ops_s16.def.
#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/elementwise.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct BinaryDataS16 {
  ref::Broadcast bc;
  ref::AddParamsS8 add;
  ref::MulParamsS8 mul;
};

Status PrepareBinaryS16(PrepareContext& ctx, bool is_add) {
  if (Status s = ctx.ExpectCounts(2, 2, 1); s != Status::kOk) return s;
  Tensor& a = ctx.input(0);
  Tensor& b = ctx.input(1);
  Tensor& out = ctx.output(0);
  if (Status s = ExpectSymmetricS16(ctx, a, "input 0"); s != Status::kOk) return s;
  if (Status s = ExpectSymmetricS16(ctx, b, "input 1"); s != Status::kOk) return s;
  if (Status s = ExpectSymmetricS16(ctx, out, "output"); s != Status::kOk) return s;
  auto* d = ctx.New<BinaryDataS16>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  if (Status s = PrepareBroadcastBinary(ctx, &d->bc); s != Status::kOk) return s;
  int32_t lo, hi;
  if (Status s = ActivationRangeS16(ctx, ctx.OptionU8(0, 0), out, &lo, &hi); s != Status::kOk)
    return s;
  const double max_in = a.scale > b.scale ? a.scale : b.scale;
  const double real = is_add ? 2.0 * max_in / ((1 << 15) * static_cast<double>(out.scale))
                             : static_cast<double>(a.scale) * b.scale / out.scale;
  if (Status s = ExpectRequantScale(ctx, real, "output"); s != Status::kOk) return s;
  if (is_add)
    ref::AddPrepareS16(a.scale, 0, b.scale, 0, out.scale, 0, lo, hi, &d->add);
  else
    ref::MulPrepareS8(a.scale, 0, b.scale, 0, out.scale, 0, lo, hi, &d->mul);
  ctx.node().params = d;
  return Status::kOk;
}

bool IsIntQ(DType t) { return t == DType::kInt8 || t == DType::kInt16; }

}  // namespace

Status PrepareAddS16(PrepareContext& ctx) { return PrepareBinaryS16(ctx, true); }
Status PrepareMulS16(PrepareContext& ctx) { return PrepareBinaryS16(ctx, false); }

void EvalAddS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const BinaryDataS16*>(n.params);
  ref::AddS16(d.add, d.bc, In(n, t, 0).as<int16_t>(), In(n, t, 1).as<int16_t>(),
              Out(n, t, 0).as<int16_t>());
}

void EvalMulS16(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const BinaryDataS16*>(n.params);
  ref::MulS16(d.mul, d.bc, In(n, t, 0).as<int16_t>(), In(n, t, 1).as<int16_t>(),
              Out(n, t, 0).as<int16_t>());
}

// float32 -> int16, int8 -> int16, int16 -> int8, int16 -> int16.
Status PrepareQuantizeS16(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const bool from_float = in.type == DType::kFloat32;
  if (!(from_float || IsIntQ(in.type)) || !IsIntQ(out.type))
    return ctx.Error(Status::kUnsupportedType, "quantizing ", DTypeName(in.type), " to ",
                     DTypeName(out.type), " is not supported (float32, int8 or int16 to int8 "
                     "or int16, one of them int16)");
  if (from_float && out.type != DType::kInt16)
    return ctx.Error(Status::kUnsupportedType, "float32 input with int8 output");
  if (in.elements() != out.elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  if (Status s = ctx.ExpectQuantized(out, "output"); s != Status::kOk) return s;
  if (out.per_channel)
    return ctx.Error(Status::kUnsupportedType, "per-channel QUANTIZE output is not supported");
  if (DTypeSize(out.type) <= DTypeSize(in.type)) ctx.AllowInPlace(0, 0);
  if (from_float) return Status::kOk;
  if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
  return PrepareRequantize(ctx, in, out);
}

void EvalQuantizeS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  const int size = in.elements();
  const auto* p = static_cast<const ref::RequantizeParams*>(n.params);
  if (in.type == DType::kFloat32)
    ref::QuantizeF32ToS16(out.scale, out.zero_point, size, in.as<float>(), out.as<int16_t>());
  else if (in.type == DType::kInt8)
    ref::RequantizeS8ToS16(*p, size, in.as<int8_t>(), out.as<int16_t>());
  else if (out.type == DType::kInt8)
    ref::RequantizeS16ToS8(*p, size, in.as<int16_t>(), out.as<int8_t>());
  else
    ref::RequantizeS16(*p, size, in.as<int16_t>(), out.as<int16_t>());
}

Status PrepareDequantizeS16(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(1, 1, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  if (Status s = ctx.ExpectType(in, "input", DType::kInt16); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(in, "input"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(ctx.output(0), "output", DType::kFloat32); s != Status::kOk)
    return s;
  if (in.elements() != ctx.output(0).elements())
    return ctx.Error(Status::kShapeMismatch, "input and output sizes differ");
  return Status::kOk;
}

void EvalDequantizeS16(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  ref::DequantizeS16(static_cast<double>(in.scale), in.zero_point, in.elements(),
                     in.as<int16_t>(), Out(n, t, 0).as<float>());
}

}  // namespace mote::micro
