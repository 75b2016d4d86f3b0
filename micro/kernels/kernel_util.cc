#include "micro/kernels/kernel_util.h"

#include <string.h>

#include "micro/kernels/ref/quant.h"

namespace mote::micro {

Status ChannelMultipliers(PrepareContext& ctx, int channels, ref::ChannelQuant* quant) {
  const Tensor& input = ctx.input(0);
  const Tensor& output = ctx.output(0);
  int num_scales = 0;
  const float* scales = ctx.Scales(1, &num_scales);
  if (scales == nullptr || (num_scales != 1 && num_scales != channels))
    return ctx.Error(Status::kBadModel, "filter has ", num_scales,
                     " scales for ", channels, " output channels");
  const bool per_channel = num_scales != 1;
  int32_t* mults = nullptr;
  int8_t* shifts = nullptr;
  if (per_channel) {
    mults = ctx.NewArray<int32_t>(channels);
    shifts = static_cast<int8_t*>(ctx.Allocate(static_cast<size_t>(channels)));
    if (mults == nullptr || shifts == nullptr)
      return ctx.Error(Status::kArenaTooSmall, "no arena left for channel multipliers");
  }
  for (int c = 0; c < (per_channel ? channels : 1); ++c) {
    const double product = static_cast<double>(input.scale) * static_cast<double>(scales[c]);
    const double real = product / static_cast<double>(output.scale);
    if (Status s = ExpectRequantScale(ctx, real, "output channel"); s != Status::kOk) return s;
    int32_t mult = 0;
    int shift = 0;
    ref::QuantizeMultiplier(real, &mult, &shift);  // real < 2^30: shift in [-31, 30]
    if (per_channel) {
      mults[c] = mult;
      shifts[c] = static_cast<int8_t>(shift);
    } else {
      quant->mult = mult;
      quant->shift = shift;
    }
  }
  quant->channel_mult = mults;
  quant->channel_shift = shifts;
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
  if (bias != nullptr) {
    if (Status s = ctx.ExpectType(*bias, "bias", DType::kInt32); s != Status::kOk) return s;
    // Its values bound the accumulator (ExpectAccumulatorFits).
    if (!bias->is_const) return ctx.Error(Status::kUnsupportedOp, "int32 bias must be constant");
  }
  if (Status s = ctx.ExpectQuantized(input, "input"); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(filter, "filter"); s != Status::kOk) return s;
  return ctx.ExpectQuantized(output, "output");
}

Status ExpectAccumulatorFits(PrepareContext& ctx, const Tensor& input, const Tensor& weights,
                             int32_t weights_offset, const Tensor* bias, int channels, int k,
                             int channel_stride, int k_stride) {
  const int64_t zp = input.zero_point;
  const int64_t max_in = 127 - zp > 128 + zp ? 127 - zp : 128 + zp;  // max |x - zp|, int8 x
  const int64_t w_off = weights_offset < 0 ? -int64_t{weights_offset} : weights_offset;
  const int8_t* w = weights.is_const ? weights.as<int8_t>() : nullptr;
  const int32_t* b = bias != nullptr ? bias->as<int32_t>() : nullptr;
  for (int c = 0; c < channels; ++c) {
    int64_t sum = 0;  // sum of |w + weights_offset| over the channel
    if (w == nullptr) {
      sum = int64_t{k} * (128 + w_off);
    } else {
      const int8_t* wc = w + static_cast<int64_t>(c) * channel_stride;
      for (int j = 0; j < k; ++j) {
        const int32_t v = wc[static_cast<int64_t>(j) * k_stride] + weights_offset;
        sum += v < 0 ? -v : v;
      }
    }
    const int64_t bias_abs = b == nullptr ? 0 : (b[c] < 0 ? -int64_t{b[c]} : b[c]);
    if (sum * max_in + bias_abs > INT32_MAX)
      return ctx.Error(Status::kBadModel, "output channel ", c,
                       " can overflow the int32 accumulator (bias ", b == nullptr ? 0 : b[c],
                       ", weights sum ", sum, ")");
  }
  return Status::kOk;
}

Status PrepareBroadcastBinary(PrepareContext& ctx, ref::Broadcast* bc) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  const Tensor& out = ctx.output(0);
  if (!ref::MakeBroadcast(a.dims, a.rank, b.dims, b.rank, bc))
    return ctx.Error(Status::kShapeMismatch, "input shapes cannot be broadcast");
  bool same = out.rank == bc->rank;
  for (int i = 0; same && i < out.rank; ++i) same = out.dims[i] == bc->dims[i];
  if (!same) return ctx.Error(Status::kShapeMismatch, "output shape is not the broadcast shape");
  if (a.elements() == out.elements()) {
    ctx.AllowInPlace(0, 0);
  } else if (b.elements() == out.elements()) {
    ctx.AllowInPlace(1, 0);
  }
  return Status::kOk;
}

Status PrepareRequantize(PrepareContext& ctx, const Tensor& in, const Tensor& out) {
  if (Status s = ExpectRequantScale(ctx, static_cast<double>(in.scale) / out.scale, "output");
      s != Status::kOk)
    return s;
  auto* p = ctx.New<ref::RequantizeParams>();
  if (p == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left");
  ref::RequantizePrepare(in.scale, in.zero_point, out.scale, out.zero_point, p);
  ctx.node().params = p;
  return Status::kOk;
}

Status ExpectRequantScale(PrepareContext& ctx, double real, const char* what) {
  if (real < 1073741824.0) return Status::kOk;  // 2^30; also false for NaN
  return ctx.Error(Status::kBadModel, what,
                   " requantization scale is 2^30 or more: the quantization scales are broken");
}

uint32_t SlidingWindowGap(const ref::Shape4& in, const ref::Shape4& out, int stride_h,
                          int stride_w, int pad_h, int pad_w, uint32_t in_elem_bytes,
                          uint32_t out_elem_bytes) {
  const int64_t in_pixel = int64_t{in.c} * in_elem_bytes;
  const int64_t out_pixel = int64_t{out.c} * out_elem_bytes;
  // Walk output pixels backwards keeping the lowest input pixel any later
  // window still reads; the gap is the largest overshoot of a write end.
  int64_t lowest = INT64_MAX, gap = 0;
  for (int64_t p = int64_t{out.n} * out.h * out.w - 1; p >= 0; --p) {
    const int b = static_cast<int>(p / (int64_t{out.h} * out.w));
    const int oy = static_cast<int>(p / out.w % out.h);
    const int ox = static_cast<int>(p % out.w);
    int iy = oy * stride_h - pad_h;
    int ix = ox * stride_w - pad_w;
    iy = iy < 0 ? 0 : (iy >= in.h ? in.h - 1 : iy);
    ix = ix < 0 ? 0 : (ix >= in.w ? in.w - 1 : ix);
    const int64_t first = (int64_t{b} * in.h + iy) * in.w + ix;
    if (first < lowest) lowest = first;
    const int64_t overshoot = (p + 1) * out_pixel - lowest * in_pixel;
    if (overshoot > gap) gap = overshoot;
  }
  return gap > 0xffffffff ? 0xffffffffu : static_cast<uint32_t>(gap);
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

Status ExpectSymmetricS16(PrepareContext& ctx, const Tensor& t, const char* what) {
  if (Status s = ctx.ExpectType(t, what, DType::kInt16); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(t, what); s != Status::kOk) return s;
  if (t.per_channel) return ctx.Error(Status::kBadModel, what, " must have one scale");
  if (t.zero_point != 0)
    return ctx.Error(Status::kBadModel, what, " zero point is ", t.zero_point,
                     ": int16 activations must be symmetric (zero point 0)");
  return Status::kOk;
}

Status ActivationRangeS16(PrepareContext& ctx, uint8_t act, const Tensor& out, int32_t* lo,
                          int32_t* hi) {
  // The int8 helper's rounding, widened: run it, then redo the bounds on the
  // int16 range (q(v) as TFLM: zero point + round(v / scale)).
  const auto q = [&out](float v) {
    float steps = ref::RoundAway(v / out.scale);
    steps = steps > 1.0e9f ? 1.0e9f : (steps < -1.0e9f ? -1.0e9f : steps);
    return out.zero_point + static_cast<int32_t>(steps);
  };
  *lo = -32768;
  *hi = 32767;
  switch (static_cast<Activation>(act)) {
    case Activation::kNone: return Status::kOk;
    case Activation::kRelu: *lo = q(0.0f) > *lo ? q(0.0f) : *lo; return Status::kOk;
    case Activation::kRelu6:
      *lo = q(0.0f) > *lo ? q(0.0f) : *lo;
      *hi = q(6.0f) < *hi ? q(6.0f) : *hi;
      return Status::kOk;
    case Activation::kReluN1To1:
      *lo = q(-1.0f) > *lo ? q(-1.0f) : *lo;
      *hi = q(1.0f) < *hi ? q(1.0f) : *hi;
      return Status::kOk;
    default:
      return ctx.Error(Status::kUnsupportedOp, "fused activation ", act, " is not supported");
  }
}

Status CheckWeightedOpS16(PrepareContext& ctx, const Tensor& weights, int32_t weights_offset,
                          const Tensor* bias, int channels, int k, int channel_stride,
                          int k_stride, BiasS16* out) {
  if (Status s = ctx.ExpectType(weights, "weights", DType::kInt8); s != Status::kOk) return s;
  if (Status s = ctx.ExpectQuantized(weights, "weights"); s != Status::kOk) return s;
  if (!weights.is_const) return ctx.Error(Status::kUnsupportedOp, "weights must be constant");
  out->is64 = bias != nullptr && bias->type == DType::kInt64;
  const bool* bias64 = &out->is64;
  if (bias != nullptr) {
    if (bias->type != DType::kInt64 && bias->type != DType::kInt32)
      return ctx.Error(Status::kUnsupportedType, "bias is ", DTypeName(bias->type),
                       ": the 16x8 kernels take int64 or int32 bias");
    if (!bias->is_const) return ctx.Error(Status::kUnsupportedOp, "bias must be constant");
    if (bias->elements() != channels)
      return ctx.Error(Status::kShapeMismatch, "bias has ", bias->elements(),
                       " elements, expected ", channels);
  }
  // |x| <= 32768; the int64 requantization needs |acc| < 2^47.
  const int64_t limit = *bias64 ? (int64_t{1} << 47) - 1 : INT32_MAX;
  const int8_t* w = weights.as<int8_t>();
  for (int c = 0; c < channels; ++c) {
    int64_t sum = 0;
    const int8_t* wc = w + static_cast<int64_t>(c) * channel_stride;
    for (int j = 0; j < k; ++j) {
      const int64_t v = int64_t{wc[static_cast<int64_t>(j) * k_stride]} + weights_offset;
      sum += v < 0 ? -v : v;
    }
    int64_t b = 0;
    if (bias != nullptr && *bias64) {
      memcpy(&b, bias->data + 8 * static_cast<size_t>(c), 8);  // may be 4-byte aligned
    } else if (bias != nullptr) {
      b = bias->as<int32_t>()[c];
    }
    if (b > limit || b < -limit || sum * 32768 > limit - (b < 0 ? -b : b))
      return ctx.Error(Status::kBadModel, "output channel ", c, " can overflow the ",
                       *bias64 ? "int64 (47-bit)" : "int32", " accumulator (bias ", b,
                       ", weights sum ", sum, ")");
  }
  out->data = bias != nullptr ? bias->data : nullptr;
  if (out->is64 && reinterpret_cast<uintptr_t>(bias->data) % 8 != 0) {
    void* copy = ctx.Allocate(8 * static_cast<size_t>(channels));  // 8-byte aligned
    if (copy == nullptr) return ctx.Error(Status::kArenaTooSmall, "no arena left for the bias");
    memcpy(copy, bias->data, 8 * static_cast<size_t>(channels));
    out->data = copy;
  }
  return Status::kOk;
}

Status ExpectShiftsS64(PrepareContext& ctx, const ref::ChannelQuant& q, int channels) {
  const int n = q.channel_shift != nullptr ? channels : 1;
  for (int c = 0; c < n; ++c) {
    const int shift = q.channel_shift != nullptr ? q.channel_shift[c] : q.shift;
    if (shift > 7)
      return ctx.Error(Status::kBadModel, "output channel ", c,
                       " requantization scale is 128 or more (int64 bias)");
  }
  return Status::kOk;
}

}  // namespace mote::micro
