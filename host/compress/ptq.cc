#include "host/compress/ptq.h"

#include "micro/kernels/ref/logistic.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mote::compress {
namespace {

using host::TfliteOp;
using host::TfliteTensor;
using micro::Activation;
using micro::DType;
using train::Layer;
using train::Tensor;

constexpr int kAveragePool2D = 1, kConv2D = 3, kDepthwiseConv2D = 4, kFullyConnected = 9,
              kLogistic = 14, kMaxPool2D = 17, kRelu = 19, kRelu6 = 21, kReshape = 22,
              kSoftmax = 25, kTanh = 28;

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

struct Range {
  float min = INFINITY, max = -INFINITY;
  void Add(const Tensor& t) {
    for (float v : t.data) {
      min = std::min(min, v);
      max = std::max(max, v);
    }
  }
};

bool IsRelu(const Layer& l, Activation* act) {
  if (l.type() == "ReLU6") {
    *act = Activation::kRelu6;
    return true;
  }
  if (l.type() != "ReLU") return false;
  const auto c = l.Config();
  if (!c.contains("max_value")) {
    *act = Activation::kRelu;
    return true;
  }
  if (c["max_value"].get<float>() == 6.0f) {
    *act = Activation::kRelu6;
    return true;
  }
  return false;
}

class Lowering {
 public:
  Lowering(train::Sequential& m, std::vector<Range> ranges, bool s16)
      : m_(m), ranges_(std::move(ranges)), s16_(s16) {}

  bool Run(QuantizedModel* out, std::string* err) {
    auto& layers = m_.layers();
    // Input tensor: [1] + input shape.
    std::vector<int32_t> shape{1};
    for (int d : m_.input_shape()) shape.push_back(d);
    QuantParams in_q = Choose(ranges_[0]);
    out->input = in_q;
    cur_ = Activation_("input", shape, in_q);
    cur_q_ = in_q;
    model_.inputs = {cur_};
    for (size_t i = 0; i < layers.size(); ++i) {
      Layer& l = *layers[i];
      const std::string& t = l.type();
      const std::string where = "layer " + std::to_string(i) + " (" + t + "): ";
      const auto cfg = l.Config();
      if (t == "Dropout") continue;
      if (t == "Conv1D" || t == "Conv2D" || t == "DepthwiseConv2D" || t == "Dense") {
        size_t last = i;
        const Layer* bn = nullptr;
        if (last + 1 < layers.size() && layers[last + 1]->type() == "BatchNormalization")
          bn = layers[++last].get();
        Activation act = Activation::kNone;
        if (last + 1 < layers.size() && IsRelu(*layers[last + 1], &act)) ++last;
        const bool feeds_logistic = last + 1 < layers.size() && layers[last + 1]->type() == "Sigmoid";
        const QuantParams oq =
            feeds_logistic && !s16_
                ? ChooseLogisticInputParams(ranges_[last + 1].min, ranges_[last + 1].max)
                : Choose(ranges_[last + 1]);
        if (t == "Dense") {
          if (!Dense(l, bn, act, oq, "dense_" + std::to_string(i), err)) return Fail(where, err);
        } else {
          if (!Conv(l, bn, act, oq, t == "DepthwiseConv2D", t == "Conv1D",
                    (t == "DepthwiseConv2D" ? "depthwise_" : "conv_") + std::to_string(i), err))
            return Fail(where, err);
        }
        i = last;
        continue;
      }
      if (t == "MaxPooling1D" || t == "MaxPooling2D" || t == "AveragePooling1D" ||
          t == "AveragePooling2D") {
        const bool one_d = t.back() == 'D' && t[t.size() - 2] == '1';
        To4D(one_d);
        TfliteOp op;
        op.builtin = t[0] == 'M' ? kMaxPool2D : kAveragePool2D;
        op.version = 2;
        const auto ps = cfg["pool_size"], st = cfg["strides"];
        op.filter_h = one_d ? 1 : ps[0].get<int>();
        op.filter_w = ps.back().get<int>();
        op.stride_h = one_d ? 1 : st[0].get<int>();
        op.stride_w = st.back().get<int>();
        op.padding = cfg["padding"] == "same" ? micro::Padding::kSame : micro::Padding::kValid;
        Emit(op, OutShape4(l, one_d), cur_q_, "pool_" + std::to_string(i));
        continue;
      }
      if (t == "GlobalAveragePooling1D" || t == "GlobalAveragePooling2D") {
        const bool one_d = t == "GlobalAveragePooling1D";
        To4D(one_d);
        const auto& s = model_.tensors[cur_].shape;
        TfliteOp op;
        op.builtin = kAveragePool2D;
        op.version = 2;
        op.filter_h = s[1];
        op.filter_w = s[2];
        op.stride_h = op.stride_w = 1;
        Emit(op, {1, 1, 1, s[3]}, cur_q_, "gap_" + std::to_string(i));
        Reshape({1, s[3]}, "gap_" + std::to_string(i) + "_flat");
        continue;
      }
      if (t == "Flatten") {
        Reshape({1, static_cast<int32_t>(train::ShapeSize(l.output_shape()))},
                "flatten_" + std::to_string(i));
        continue;
      }
      Activation act;
      if (IsRelu(l, &act)) {
        if (s16_) {
          *err = "a ReLU that does not follow Conv1D/Conv2D/DepthwiseConv2D/Dense (or their "
                 "BatchNormalization) cannot be fused, and 16x8 mode has no RELU kernel";
          return Fail(where, err);
        }
        TfliteOp op;
        op.builtin = act == Activation::kRelu6 ? kRelu6 : kRelu;
        op.version = 2;
        Emit(op, model_.tensors[cur_].shape, ChooseInt8Params(ranges_[i + 1].min, ranges_[i + 1].max),
             "relu_" + std::to_string(i));
        continue;
      }
      if (t == "Sigmoid" || t == "Softmax" || t == "Tanh") {
        TfliteOp op;
        op.builtin = t == "Sigmoid" ? kLogistic : t == "Softmax" ? kSoftmax : kTanh;
        op.version = 2;
        const QuantParams q = s16_           ? QuantParams{1.0f / 32768, 0}
                              : t == "Tanh" ? QuantParams{1.0f / 128, 0}
                                            : QuantParams{1.0f / 256, -128};
        Emit(op, model_.tensors[cur_].shape, q, (t == "Sigmoid" ? "sigmoid_" : t == "Softmax" ? "softmax_" : "tanh_") + std::to_string(i));
        continue;
      }
      if (t == "BatchNormalization")
        *err = "a BatchNormalization that does not follow Conv1D/Conv2D/DepthwiseConv2D/Dense "
               "cannot be folded (not supported yet)";
      else
        *err = "ReLU with max_value other than 6 has no int8 TFLite equivalent";
      return Fail(where, err);
    }
    // The output tensor's shape is [1] + the model output shape.
    std::vector<int32_t> want{1};
    for (int d : m_.output_shape()) want.push_back(d);
    if (model_.tensors[cur_].shape != want) Reshape(want, "output");
    model_.outputs = {cur_};
    model_.tensors[cur_].name = "output";
    out->output = cur_q_;
    out->model = std::move(model_);
    return true;
  }

 private:
  bool Fail(const std::string& where, std::string* err) {
    *err = where + *err;
    return false;
  }
  int Activation_(const std::string& name, std::vector<int32_t> shape, QuantParams q) {
    TfliteTensor t;
    t.name = name;
    t.shape = std::move(shape);
    t.type = s16_ ? DType::kInt16 : DType::kInt8;
    t.scale = {q.scale};
    t.zero_point = {q.zero_point};
    return model_.AddTensor(std::move(t));
  }
  void Emit(TfliteOp op, std::vector<int32_t> out_shape, QuantParams q, const std::string& name) {
    const int out = Activation_(name, std::move(out_shape), q);
    op.inputs.insert(op.inputs.begin(), cur_);
    op.outputs = {out};
    model_.ops.push_back(std::move(op));
    cur_ = out;
    cur_q_ = q;
  }
  void Reshape(std::vector<int32_t> shape, const std::string& name) {
    TfliteTensor s;
    s.name = name + "_shape";
    s.shape = {static_cast<int32_t>(shape.size())};
    s.type = DType::kInt32;
    s.data = Bytes(shape);
    const int shape_t = model_.AddTensor(std::move(s));
    TfliteOp op;
    op.builtin = kReshape;
    op.inputs = {shape_t};
    op.new_shape = shape;
    Emit(op, shape, cur_q_, name);
  }
  // 1-D layers run on [1, 1, W, C].
  void To4D(bool one_d) {
    const auto s = model_.tensors[cur_].shape;
    if (one_d && s.size() == 3) Reshape({1, 1, s[1], s[2]}, "expand_" + std::to_string(cur_));
  }
  static std::vector<int32_t> OutShape4(const Layer& l, bool one_d) {
    const auto& o = l.output_shape();
    if (one_d) return {1, 1, o[0], o[1]};
    return {1, o[0], o[1], o[2]};
  }

  // Weights (and bias) with a BatchNormalization folded in, as float.
  static void Fold(const Layer* bn, int out_ch, std::vector<float>& w, std::vector<float>& b,
                   int channel_stride) {
    if (!bn) return;
    const float eps = bn->Config()["epsilon"].get<float>();
    const auto& gamma = bn->FindParam("gamma")->value;
    const auto& beta = bn->FindParam("beta")->value;
    const auto& mean = bn->FindParam("moving_mean")->value;
    const auto& var = bn->FindParam("moving_variance")->value;
    for (int c = 0; c < out_ch; ++c) {
      const float s = gamma[c] / std::sqrt(var[c] + eps);
      b[c] = (b[c] - mean[c]) * s + beta[c];
      (void)channel_stride;
      for (size_t k = c; k < w.size(); k += out_ch) w[k] *= s;
    }
  }

  int ConstInt8(const std::string& name, std::vector<int32_t> shape, const std::vector<int8_t>& q,
                std::vector<float> scales, int dim) {
    TfliteTensor t;
    t.name = name;
    t.shape = std::move(shape);
    t.type = DType::kInt8;
    t.data = Bytes(q);
    t.zero_point.assign(scales.size(), 0);
    t.scale = std::move(scales);
    t.quantized_dimension = dim;
    return model_.AddTensor(std::move(t));
  }
  // int32 (int8 mode) or int64 (16x8 mode) bias.
  int ConstBias(const std::string& name, const std::vector<float>& b, const std::vector<float>& wscale) {
    std::vector<int32_t> q(b.size());
    std::vector<int64_t> q64(b.size());
    std::vector<float> scales(b.size());
    for (size_t c = 0; c < b.size(); ++c) {
      const float ws = wscale.size() == 1 ? wscale[0] : wscale[c];
      const double s = static_cast<double>(cur_q_.scale) * ws;
      scales[c] = static_cast<float>(s);
      const double v = std::round(b[c] / s);
      q[c] = static_cast<int32_t>(std::clamp(v, -2147483647.0, 2147483647.0));
      q64[c] = static_cast<int64_t>(std::clamp(v, -1099511627776.0, 1099511627776.0));  // 2^40
    }
    TfliteTensor t;
    t.name = name;
    t.shape = {static_cast<int32_t>(b.size())};
    t.type = s16_ ? DType::kInt64 : DType::kInt32;
    t.data = s16_ ? Bytes(q64) : Bytes(q);
    if (wscale.size() == 1) scales.resize(1);
    t.zero_point.assign(scales.size(), 0);
    t.scale = std::move(scales);
    return model_.AddTensor(std::move(t));
  }
  // Symmetric int8 in [-127, 127]; one scale per group of `inner` values
  // strided by `channels` (channel = index % channels), or one for all.
  static std::vector<float> QuantizeWeights(const std::vector<float>& w, int channels,
                                            bool per_channel, std::vector<int8_t>* q) {
    const int groups = per_channel ? channels : 1;
    std::vector<float> amax(groups, 0.0f);
    for (size_t k = 0; k < w.size(); ++k) {
      const int g = per_channel ? static_cast<int>(k % channels) : 0;
      amax[g] = std::max(amax[g], std::fabs(w[k]));
    }
    std::vector<float> scale(groups);
    for (int g = 0; g < groups; ++g) scale[g] = amax[g] > 0 ? amax[g] / 127.0f : 1e-9f;
    q->resize(w.size());
    for (size_t k = 0; k < w.size(); ++k) {
      const float s = scale[per_channel ? k % channels : 0];
      (*q)[k] = static_cast<int8_t>(std::clamp(std::round(w[k] / s), -127.0f, 127.0f));
    }
    return scale;
  }

  bool Conv(const Layer& l, const Layer* bn, Activation act, QuantParams oq, bool depthwise,
            bool one_d, const std::string& name, std::string* err) {
    To4D(one_d);
    const auto cfg = l.Config();
    const auto& kshape = l.FindParam("kernel")->shape;
    std::vector<float> w = l.FindParam("kernel")->value;  // [kh,kw,cin,cout] / [kh,kw,cin,mult]
    const int kh = one_d ? 1 : kshape[0], kw = one_d ? kshape[0] : kshape[1];
    const int cin = kshape[kshape.size() - 2], last = kshape.back();
    const int out_ch = depthwise ? cin * last : last;
    const Param* bias = l.FindParam("bias");
    std::vector<float> b = bias ? bias->value : std::vector<float>(out_ch, 0.0f);
    Fold(bn, out_ch, w, b, 1);
    std::vector<int8_t> q;
    const std::vector<float> ws = QuantizeWeights(w, out_ch, true, &q);
    int filter;
    if (depthwise) {  // Keras [kh,kw,cin,mult] is TFLite [1,kh,kw,cin*mult] byte for byte
      filter = ConstInt8(name + "_filter", {1, kh, kw, out_ch}, q, ws, 3);
    } else {  // [kh,kw,cin,cout] -> [cout,kh,kw,cin]
      std::vector<int8_t> t(q.size());
      for (int y = 0; y < kh; ++y)
        for (int x = 0; x < kw; ++x)
          for (int c = 0; c < cin; ++c)
            for (int o = 0; o < out_ch; ++o)
              t[((size_t(o) * kh + y) * kw + x) * cin + c] = q[((size_t(y) * kw + x) * cin + c) * out_ch + o];
      filter = ConstInt8(name + "_filter", {out_ch, kh, kw, cin}, t, ws, 0);
    }
    const int bias_t = ConstBias(name + "_bias", b, ws);
    TfliteOp op;
    op.builtin = depthwise ? kDepthwiseConv2D : kConv2D;
    op.version = 3;
    op.inputs = {filter, bias_t};
    const auto st = cfg["strides"];
    op.stride_h = one_d ? 1 : st[0].get<int>();
    op.stride_w = st.back().get<int>();
    op.padding = cfg["padding"] == "same" ? micro::Padding::kSame : micro::Padding::kValid;
    op.activation = act;
    if (depthwise) op.depth_multiplier = cfg["depth_multiplier"].get<int>();
    (void)err;
    Emit(op, OutShape4(l, one_d), oq, name);
    return true;
  }

  bool Dense(const Layer& l, const Layer* bn, Activation act, QuantParams oq, const std::string& name,
             std::string* err) {
    const auto& shape = model_.tensors[cur_].shape;
    if (shape.size() != 2) Reshape({1, static_cast<int32_t>(l.input_shape()[0])}, name + "_in");
    std::vector<float> w = l.FindParam("kernel")->value;  // [d, u]
    const int d = l.FindParam("kernel")->shape[0], u = l.FindParam("kernel")->shape[1];
    const Param* bias = l.FindParam("bias");
    std::vector<float> b = bias ? bias->value : std::vector<float>(u, 0.0f);
    Fold(bn, u, w, b, 1);
    std::vector<int8_t> q;
    const std::vector<float> ws = QuantizeWeights(w, u, false, &q);
    std::vector<int8_t> t(q.size());  // [d,u] -> [u,d]
    for (int i = 0; i < d; ++i)
      for (int o = 0; o < u; ++o) t[size_t(o) * d + i] = q[size_t(i) * u + o];
    const int filter = ConstInt8(name + "_weights", {u, d}, t, ws, 0);
    const int bias_t = ConstBias(name + "_bias", b, ws);
    TfliteOp op;
    op.builtin = kFullyConnected;
    op.version = 4;
    op.inputs = {filter, bias_t};
    op.activation = act;
    (void)err;
    Emit(op, {1, u}, oq, name);
    return true;
  }

  QuantParams Choose(const Range& r) const {
    return s16_ ? ChooseInt16Params(r.min, r.max) : ChooseInt8Params(r.min, r.max);
  }

  using Param = train::Param;
  train::Sequential& m_;
  std::vector<Range> ranges_;
  bool s16_;
  host::TfliteModel model_;
  int cur_ = 0;
  QuantParams cur_q_;
};

}  // namespace

QuantParams ChooseLogisticInputParams(float min, float max) {
  const QuantParams base = ChooseInt8Params(min, max);
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  if (!(max > min)) return base;
  int8_t in[256], fixed[256];
  for (int v = 0; v < 256; ++v) in[v] = static_cast<int8_t>(v - 128);
  for (int k = 0; k <= 1000; ++k) {
    const double scale = (static_cast<double>(max) - min) / 255.0 * (1.0 + k / 1000.0);
    QuantParams q;
    q.scale = static_cast<float>(scale);
    q.zero_point = static_cast<int32_t>(std::clamp(std::round(-128.0 - min / scale), -128.0, 127.0));
    micro::ref::LogisticParamsS8 p;
    micro::ref::LogisticPrepareS8(q.scale, q.zero_point, &p);
    micro::ref::LogisticS8(p, 256, in, fixed);
    bool same = true;
    for (int v = 0; v < 256 && same; ++v) {
      const float x = q.scale * static_cast<float>(in[v] - q.zero_point);
      const float y = 1.0f / (1.0f + std::exp(-x));
      const float r = std::round(y * 256.0f) - 128.0f;
      same = fixed[v] == static_cast<int8_t>(std::clamp(r, -128.0f, 127.0f));
    }
    if (same) return q;
  }
  return base;
}

QuantParams ChooseInt16Params(float min, float max) {
  const float amax = std::max(std::fabs(min), std::fabs(max));
  QuantParams q;
  if (amax > 0) q.scale = static_cast<float>(static_cast<double>(amax) / 32767.0);
  return q;  // all zero (or NaN): scale 1
}

QuantParams ChooseInt8Params(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  QuantParams q;
  if (!(max > min)) return q;  // all zero: scale 1, zero point 0
  const double scale = (static_cast<double>(max) - min) / 255.0;
  const double zp = -128.0 - min / scale;
  q.scale = static_cast<float>(scale);
  q.zero_point = static_cast<int32_t>(std::clamp(std::round(zp), -128.0, 127.0));
  return q;
}

int8_t QuantizeValue(float x, const QuantParams& q) {
  const float v = std::round(x / q.scale) + static_cast<float>(q.zero_point);
  return static_cast<int8_t>(std::clamp(v, -128.0f, 127.0f));
}

std::optional<QuantizedModel> QuantizeInt8(train::Sequential& m, const Tensor& rep, std::string* err) {
  return Quantize(m, rep, ActivationBits::kInt8, err);
}

std::vector<ActivationRange> CalibrateRanges(train::Sequential& m, const Tensor& rep) {
  auto& layers = m.layers();
  std::vector<Range> ranges(layers.size() + 1);
  const int n = rep.shape.empty() ? 0 : rep.shape[0];
  const size_t per = rep.per_item();
  for (int b = 0; b < n; b += 64) {
    const int e = std::min(n, b + 64);
    Tensor cur;
    cur.shape = rep.shape;
    cur.shape[0] = e - b;
    cur.data.assign(rep.data.begin() + size_t(b) * per, rep.data.begin() + size_t(e) * per);
    ranges[0].Add(cur);
    for (size_t i = 0; i < layers.size(); ++i) {
      Tensor next;
      layers[i]->Forward(cur, &next, false);
      ranges[i + 1].Add(next);
      std::swap(cur, next);
    }
  }
  std::vector<ActivationRange> out(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) out[i] = {ranges[i].min, ranges[i].max};
  return out;
}

std::optional<QuantizedModel> QuantizeWithRanges(train::Sequential& m,
                                                 const std::vector<ActivationRange>& ranges,
                                                 ActivationBits bits, const std::string& how,
                                                 std::string* err) {
  const bool s16 = bits == ActivationBits::kInt16;
  if (ranges.size() != m.layers().size() + 1) {
    *err = "internal error: " + std::to_string(ranges.size()) + " activation ranges for " +
           std::to_string(m.layers().size()) + " layers";
    return std::nullopt;
  }
  std::vector<Range> r(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (!std::isfinite(ranges[i].min) || !std::isfinite(ranges[i].max)) {
      *err = "activation range " + std::to_string(i) + " is not finite";
      return std::nullopt;
    }
    r[i].min = ranges[i].min;
    r[i].max = ranges[i].max;
  }
  QuantizedModel out;
  Lowering lower(m, std::move(r), s16);
  if (!lower.Run(&out, err)) return std::nullopt;
  out.model.description = std::string(s16 ? "mote 16x8 (int16 activations, int8 weights; " :
                                            "mote int8 (") + how + ")";
  return out;
}

std::optional<QuantizedModel> Quantize(train::Sequential& m, const Tensor& rep, ActivationBits bits,
                                       std::string* err) {
  if (rep.shape.empty() || rep.shape[0] < 1) {
    *err = "the representative dataset is empty";
    return std::nullopt;
  }
  const int n = rep.shape[0];
  return QuantizeWithRanges(m, CalibrateRanges(m, rep), bits,
                            "post-training quantization, " + std::to_string(n) + " calibration samples",
                            err);
}

}  // namespace mote::compress
