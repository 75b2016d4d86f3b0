// RESHAPE, SQUEEZE, EXPAND_DIMS (byte copies), CONCATENATION and PAD.
#include <string.h>

#include "micro/kernels/kernel_util.h"
#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

// Output has the same bytes as input 0, in another shape.
Status PrepareCopy(PrepareContext& ctx) {
  if (ctx.num_outputs() != 1 || ctx.num_inputs() < 1 || !ctx.HasInput(0))
    return ctx.Error(Status::kBadModel, "expects a data input and one output");
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type != out.type)
    return ctx.Error(Status::kBadModel, "input is ", DTypeName(in.type), ", output is ",
                     DTypeName(out.type));
  if (in.bytes != out.bytes)
    return ctx.Error(Status::kShapeMismatch, "input has ", in.elements(),
                     " elements, output has ", out.elements());
  if ((in.type == DType::kInt8 || in.type == DType::kInt16) &&
      (in.scale != out.scale || in.zero_point != out.zero_point))
    return ctx.Error(Status::kBadModel, "input and output quantization differ");
  ctx.AllowInPlace(0, 0);  // usually an alias; otherwise memmove copies
  return Status::kOk;
}

void EvalCopy(const Node& n, Tensor* t) {
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.data != out.data) memmove(out.data, in.data, in.bytes);
}

struct PadData {
  int rank;
  int32_t before[kMaxRank];
  int32_t in_dims[kMaxRank];
  int32_t out_dims[kMaxRank];
  int32_t pad_value;  // int8 value, or float bits
};

template <typename T>
void PadImpl(const PadData& d, const T* in, T* out, T value) {
  int total = 1;
  for (int i = 0; i < d.rank; ++i) total *= d.out_dims[i];
  int idx[kMaxRank] = {};
  for (int o = 0; o < total; ++o) {
    bool inside = true;
    int src = 0;
    for (int i = 0; i < d.rank; ++i) {
      const int v = idx[i] - d.before[i];
      if (v < 0 || v >= d.in_dims[i]) inside = false;
      src = src * d.in_dims[i] + (inside ? v : 0);
    }
    out[o] = inside ? in[src] : value;
    for (int i = d.rank - 1; i >= 0; --i) {
      if (++idx[i] < d.out_dims[i]) break;
      idx[i] = 0;
    }
  }
}

}  // namespace

Status PrepareReshape(PrepareContext& ctx) { return PrepareCopy(ctx); }
Status PrepareSqueeze(PrepareContext& ctx) { return PrepareCopy(ctx); }
Status PrepareExpandDims(PrepareContext& ctx) { return PrepareCopy(ctx); }
void EvalReshape(const Node& n, Tensor* t) { EvalCopy(n, t); }
void EvalSqueeze(const Node& n, Tensor* t) { EvalCopy(n, t); }
void EvalExpandDims(const Node& n, Tensor* t) { EvalCopy(n, t); }

Status PrepareConcatenation(PrepareContext& ctx) {
  using namespace field;
  if (ctx.num_inputs() < 1 || ctx.num_outputs() != 1)
    return ctx.Error(Status::kBadModel, "expects inputs and one output");
  const Tensor& out = ctx.output(0);
  int axis = ctx.OptionI32(kConcatAxis, 0);
  if (axis < 0) axis += out.rank;
  if (axis < 0 || axis >= out.rank)
    return ctx.Error(Status::kBadModel, "axis ", axis, " out of range for rank ", out.rank);
  if (ctx.OptionU8(kConcatActivation, 0) != 0)
    return ctx.Error(Status::kUnsupportedOp, "fused activation is not supported");
  int64_t along = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.HasInput(i)) return ctx.Error(Status::kBadModel, "input ", i, " is missing");
    const Tensor& in = ctx.input(i);
    if (in.type != out.type || (in.type != DType::kInt8 && in.type != DType::kInt16 &&
                                in.type != DType::kFloat32))
      return ctx.Error(Status::kUnsupportedType, "input ", i, " is ", DTypeName(in.type),
                       ", output is ", DTypeName(out.type));
    if (in.rank != out.rank) return ctx.Error(Status::kShapeMismatch, "input ", i, " rank differs");
    for (int k = 0; k < out.rank; ++k)
      if (k != axis && in.dims[k] != out.dims[k])
        return ctx.Error(Status::kShapeMismatch, "input ", i, " dimension ", k, " differs");
    if (in.type != DType::kFloat32 && (in.scale != out.scale || in.zero_point != out.zero_point))
      return ctx.Error(Status::kUnsupportedOp, "input ", i,
                       " quantization differs from the output (requantizing concat)");
    along += in.dims[axis];
  }
  if (along != out.dims[axis])
    return ctx.Error(Status::kShapeMismatch, "inputs add up to ", along, " along axis ", axis,
                     ", output has ", out.dims[axis]);
  auto* axis_store = ctx.New<int32_t>();
  if (axis_store == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  *axis_store = axis;
  ctx.node().params = axis_store;
  return Status::kOk;
}

void EvalConcatenation(const Node& n, Tensor* t) {
  const int axis = *static_cast<const int32_t*>(n.params);
  const Tensor& out = Out(n, t, 0);
  const size_t elem = DTypeSize(out.type);
  int outer = 1;
  for (int k = 0; k < axis; ++k) outer *= out.dims[k];
  size_t inner = elem;
  for (int k = axis + 1; k < out.rank; ++k) inner *= static_cast<size_t>(out.dims[k]);
  uint8_t* dst = out.data;
  for (int o = 0; o < outer; ++o) {
    for (int i = 0; i < n.num_inputs; ++i) {
      const Tensor& in = In(n, t, i);
      const size_t chunk = inner * static_cast<size_t>(in.dims[axis]);
      memcpy(dst, in.data + o * chunk, chunk);
      dst += chunk;
    }
  }
}

Status PreparePad(PrepareContext& ctx) {
  if (Status s = ctx.ExpectCounts(2, 3, 1); s != Status::kOk) return s;
  const Tensor& in = ctx.input(0);
  const Tensor& pads = ctx.input(1);
  const Tensor& out = ctx.output(0);
  if (in.type != out.type || (in.type != DType::kInt8 && in.type != DType::kFloat32))
    return ctx.Error(Status::kUnsupportedType, "input ", DTypeName(in.type), ", output ",
                     DTypeName(out.type));
  if (!pads.is_const || pads.type != DType::kInt32 || pads.rank != 2 ||
      pads.dims[0] != in.rank || pads.dims[1] != 2)
    return ctx.Error(Status::kBadModel, "paddings must be a constant int32 [rank, 2] tensor");
  auto* d = ctx.New<PadData>();
  if (d == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  d->rank = in.rank;
  const int32_t* p = pads.as<int32_t>();
  for (int i = 0; i < in.rank; ++i) {
    if (p[2 * i] < 0 || p[2 * i + 1] < 0 || p[2 * i] > (1 << 20) || p[2 * i + 1] > (1 << 20))
      return ctx.Error(Status::kBadModel, "padding of dimension ", i, " is out of range");
    d->before[i] = p[2 * i];
    d->in_dims[i] = in.dims[i];
    d->out_dims[i] = in.dims[i] + p[2 * i] + p[2 * i + 1];
  }
  if (Status s = ExpectDims(ctx, out, d->out_dims, in.rank); s != Status::kOk) return s;
  d->pad_value = 0;
  if (in.type == DType::kInt8) {
    if (in.scale != out.scale || in.zero_point != out.zero_point)
      return ctx.Error(Status::kBadModel, "input and output quantization differ");
    d->pad_value = out.zero_point;
  }
  if (ctx.HasInput(2)) {  // PADV2-style constant value
    const Tensor& v = ctx.input(2);
    if (!v.is_const || v.type != in.type || v.elements() != 1)
      return ctx.Error(Status::kBadModel, "pad value must be a constant scalar of the input type");
    if (in.type == DType::kInt8)
      d->pad_value = *v.as<int8_t>();
    else
      memcpy(&d->pad_value, v.data, 4);
  }
  ctx.node().params = d;
  return Status::kOk;
}

void EvalPad(const Node& n, Tensor* t) {
  const auto& d = *static_cast<const PadData*>(n.params);
  const Tensor& in = In(n, t, 0);
  Tensor& out = Out(n, t, 0);
  if (in.type == DType::kInt8) {
    PadImpl(d, in.as<int8_t>(), out.as<int8_t>(), static_cast<int8_t>(d.pad_value));
  } else {
    float v;
    memcpy(&v, &d.pad_value, 4);
    PadImpl(d, in.as<float>(), out.as<float>(), v);
  }
}

}  // namespace mote::micro
