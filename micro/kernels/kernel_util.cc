#include "micro/kernels/kernel_util.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro {

Status ChannelMultipliers(PrepareContext& ctx, int channels, bool float_product,
                          ref::ChannelQuant* quant) {
  const Tensor& input = ctx.input(0);
  const Tensor& output = ctx.output(0);
  int num_scales = 0;
  const float* scales = ctx.Scales(1, &num_scales);
  if (scales == nullptr || (num_scales != 1 && num_scales != channels))
    return ctx.Error(Status::kBadModel, "filter has ", num_scales,
                     " scales for ", channels, " output channels");
  quant->per_channel = num_scales != 1;
  const int n = quant->per_channel ? channels : 1;
  int32_t* mult = ctx.NewArray<int32_t>(n);
  int32_t* shift = ctx.NewArray<int32_t>(n);
  if (mult == nullptr || shift == nullptr)
    return ctx.Error(Status::kArenaTooSmall, "no arena left for channel multipliers");
  quant->mult = mult;
  quant->shift = shift;
  for (int c = 0; c < n; ++c) {
    const float fs = scales[c];
    const double product = float_product
                               ? static_cast<double>(input.scale * fs)
                               : static_cast<double>(input.scale) * static_cast<double>(fs);
    int s = 0;
    ref::QuantizeMultiplier(product / static_cast<double>(output.scale), &mult[c], &s);
    shift[c] = s;
  }
  return Status::kOk;
}

Status CheckWeightedOpTypes(PrepareContext& ctx, const Tensor& input,
                            const Tensor& filter, const Tensor* bias,
                            const Tensor& output) {
  if (input.type == DType::kFloat32) {
    if (filter.type != DType::kFloat32)
      return ctx.Error(Status::kHybridModel, "float32 input with ",
                       DTypeName(filter.type),
                       " weights: dynamic-range (hybrid) quantized models are not "
                       "supported; convert with full integer quantization or keep float32");
    if (Status s = ctx.ExpectType(output, "output", DType::kFloat32); s != Status::kOk) return s;
    if (bias != nullptr) return ctx.ExpectType(*bias, "bias", DType::kFloat32);
    return Status::kOk;
  }
  if (input.type != DType::kInt8)
    return ctx.Error(Status::kUnsupportedType, "input type ", DTypeName(input.type),
                     " is not supported (int8 or float32)");
  if (Status s = ctx.ExpectType(filter, "filter", DType::kInt8); s != Status::kOk) return s;
  if (Status s = ctx.ExpectType(output, "output", DType::kInt8); s != Status::kOk) return s;
  if (bias != nullptr)
    if (Status s = ctx.ExpectType(*bias, "bias", DType::kInt32); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(input, "input"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(filter, "filter"); s != Status::kOk) return s;
  return ctx.ExpectQuantized(output, "output");
}

Status ExpectDims(PrepareContext& ctx, const Tensor& out, const int32_t* expect, int n) {
  bool same = out.rank == n;
  for (int i = 0; same && i < n; ++i) same = out.dims[i] == expect[i];
  if (same) return Status::kOk;
  if (n == 4)
    return ctx.Error(Status::kShapeMismatch, "output shape should be [", expect[0], ",",
                     expect[1], ",", expect[2], ",", expect[3], "]");
  return ctx.Error(Status::kShapeMismatch, "output shape does not match the computed shape");
}

}  // namespace mote::micro
