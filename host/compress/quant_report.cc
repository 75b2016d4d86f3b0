#include "host/compress/quant_report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "host/compress/evaluate.h"
#include "host/io/tflite_writer.h"

namespace mote::compress {

using train::Layer;
using train::Tensor;

namespace {

constexpr int kReshape = 22;

double Sqnr(const float* x, const float* xq, size_t n) {
  double sig = 0, noise = 0;
  for (size_t i = 0; i < n; ++i) {
    sig += static_cast<double>(x[i]) * x[i];
    const double d = static_cast<double>(x[i]) - xq[i];
    noise += d * d;
  }
  if (noise == 0) return 99.0;  // exact: report a large finite number (JSON has no infinity)
  if (sig == 0) return -99.0;
  return std::clamp(10.0 * std::log10(sig / noise), -99.0, 99.0);
}

bool IsRelu(const Layer& l) {
  if (l.type() == "ReLU6") return true;
  if (l.type() != "ReLU") return false;
  const auto c = l.Config();
  return !c.contains("max_value") || c["max_value"].get<float>() == 6.0f;
}

// "conv_12" -> 12; -1 if the name does not end in _<digits> after a known prefix.
int LayerOfName(const std::string& name) {
  static const char* const kPrefixes[] = {"conv_", "depthwise_", "dense_", "pool_", "gap_",
                                          "relu_", "sigmoid_", "softmax_", "tanh_"};
  for (const char* p : kPrefixes) {
    const std::string pre = p;
    if (name.rfind(pre, 0) != 0) continue;
    const std::string rest = name.substr(pre.size());
    if (rest.empty() || rest.size() > 6 ||
        !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return -1;
    return std::stoi(rest);
  }
  return -1;
}

void WeightStats(const train::Sequential& m, int i, const Layer* bn, LayerQuantReport* r) {
  const Layer& l = *m.layers()[i];
  const train::Param* kp = l.FindParam("kernel");
  const auto& ks = kp->shape;
  const int out_ch = l.type() == "DepthwiseConv2D" ? ks[ks.size() - 2] * ks.back() : ks.back();
  std::vector<float> w = kp->value;
  if (bn) {
    const float eps = bn->Config()["epsilon"].get<float>();
    const auto& gamma = bn->FindParam("gamma")->value;
    const auto& var = bn->FindParam("moving_variance")->value;
    for (int c = 0; c < out_ch; ++c) {
      const float s = gamma[c] / std::sqrt(var[c] + eps);
      for (size_t k = c; k < w.size(); k += out_ch) w[k] *= s;
    }
  }
  r->has_weights = true;
  r->per_channel = l.type() != "Dense";
  r->channel_min.assign(out_ch, std::numeric_limits<float>::infinity());
  r->channel_max.assign(out_ch, -std::numeric_limits<float>::infinity());
  for (size_t k = 0; k < w.size(); ++k) {
    r->channel_min[k % out_ch] = std::min(r->channel_min[k % out_ch], w[k]);
    r->channel_max[k % out_ch] = std::max(r->channel_max[k % out_ch], w[k]);
  }
  std::vector<double> ranges(out_ch);
  for (int c = 0; c < out_ch; ++c) ranges[c] = double(r->channel_max[c]) - r->channel_min[c];
  std::vector<double> sorted = ranges;
  std::sort(sorted.begin(), sorted.end());
  const double median = out_ch % 2 ? sorted[out_ch / 2] : 0.5 * (sorted[out_ch / 2 - 1] + sorted[out_ch / 2]);
  r->channel_range_ratio = median > 0 ? sorted.back() / median : 0.0;
}

void Suggest(LayerQuantReport* r) {
  if (r->act_outlier_ratio > 4.0) {
    r->suggestion = "clip outliers";
    r->reason = "the activation range is set by a few values (max |x| is " +
                std::to_string(r->act_outlier_ratio).substr(0, 5) +
                "x the 99.9th percentile): clip the range (e.g. ReLU6) or train with QAT";
  } else if (r->has_weights && !r->per_channel && r->channel_range_ratio > 20.0) {
    r->suggestion = "clip outliers";
    r->reason = "per-tensor weights: the widest output unit's range is " +
                std::to_string(r->channel_range_ratio).substr(0, 5) +
                "x the median, so most units get few int8 levels; clip or regularize the weights";
  } else if (r->sqnr_db < 20.0) {
    r->suggestion = "int16 activations";
    r->reason = "SQNR below 20 dB: int8 activations are too coarse here (mote quantize --activations int16)";
  } else if (r->sqnr_db < 30.0) {
    r->suggestion = "QAT";
    r->reason = "SQNR below 30 dB: let training adapt to the rounding (mote quantize --qat)";
  } else {
    r->suggestion = "ok";
    r->reason = "SQNR at least 30 dB";
  }
}

}  // namespace

std::optional<QuantReport> MakeQuantReport(train::Sequential& m, const QuantizedModel& q,
                                           const Tensor& cal, std::string* err) {
  if (cal.shape.empty() || cal.shape[0] < 1) {
    *err = "the calibration set is empty";
    return std::nullopt;
  }
  auto& layers = m.layers();
  // Float activations of every layer: acts[0] input, acts[i + 1] layer i's output.
  std::vector<Tensor> acts(layers.size() + 1);
  acts[0] = cal;
  for (size_t i = 0; i < layers.size(); ++i) layers[i]->Forward(acts[i], &acts[i + 1], false);

  QuantReport rep;
  rep.model = m.name;
  rep.samples = cal.shape[0];
  {
    std::vector<float> xq(cal.data.size());
    for (size_t k = 0; k < xq.size(); ++k)
      xq[k] = q.input.scale * static_cast<float>(QuantizeValue(cal.data[k], q.input) - q.input.zero_point);
    rep.input_sqnr_db = Sqnr(cal.data.data(), xq.data(), xq.size());
  }
  double prev = rep.input_sqnr_db;
  const auto& ops = q.model.ops;
  for (size_t k = 0; k < ops.size(); ++k) {
    if (ops[k].builtin == kReshape) continue;
    const int out_t = ops[k].outputs[0];
    const auto& tensor = q.model.tensors[out_t];
    int first = LayerOfName(tensor.name);
    if (tensor.name == "output") first = static_cast<int>(layers.size()) - 1;
    if (first < 0 || first >= static_cast<int>(layers.size())) continue;
    LayerQuantReport r;
    r.op = static_cast<int>(k);
    r.tensor = tensor.name;
    int last = first;
    const Layer* bn = nullptr;
    const std::string& ty = layers[first]->type();
    r.layers = ty;
    if (ty == "Conv1D" || ty == "Conv2D" || ty == "DepthwiseConv2D" || ty == "Dense") {
      if (last + 1 < int(layers.size()) && layers[last + 1]->type() == "BatchNormalization") {
        bn = layers[++last].get();
        r.layers += "+BatchNormalization";
      }
      if (last + 1 < int(layers.size()) && IsRelu(*layers[last + 1])) r.layers += "+" + layers[++last]->type();
      WeightStats(m, first, bn, &r);
    }
    r.layer = last;
    r.q = {tensor.scale.empty() ? 1.0f : tensor.scale[0],
           tensor.zero_point.empty() ? 0 : static_cast<int32_t>(tensor.zero_point[0])};
    // Cut the int8 model after op k and run it with the device runtime.
    host::TfliteModel cut = q.model;
    cut.ops.resize(k + 1);
    cut.outputs = {out_t};
    auto run = RunInt8(host::WriteTflite(cut), cal, err);
    if (!run) {
      *err = "op " + std::to_string(k) + " (" + tensor.name + "): " + *err;
      return std::nullopt;
    }
    const Tensor& f = acts[last + 1];
    if (f.data.size() != run->dequantized.data.size()) {
      *err = "op " + std::to_string(k) + " (" + tensor.name + "): " +
             std::to_string(run->dequantized.data.size()) + " int8 values for " +
             std::to_string(f.data.size()) + " float values of layer " + std::to_string(last);
      return std::nullopt;
    }
    r.sqnr_db = Sqnr(f.data.data(), run->dequantized.data.data(), f.data.size());
    r.sqnr_drop_db = prev - r.sqnr_db;
    prev = r.sqnr_db;
    r.act_min = *std::min_element(f.data.begin(), f.data.end());
    r.act_max = *std::max_element(f.data.begin(), f.data.end());
    std::vector<float> mag(f.data.size());
    for (size_t j = 0; j < mag.size(); ++j) mag[j] = std::fabs(f.data[j]);
    std::sort(mag.begin(), mag.end());
    const float p999 = mag[static_cast<size_t>(0.999 * (mag.size() - 1))];
    r.act_outlier_ratio = p999 > 0 ? mag.back() / p999 : 1.0;
    Suggest(&r);
    rep.layers.push_back(std::move(r));
  }
  std::vector<int> order(rep.layers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return rep.layers[a].sqnr_drop_db > rep.layers[b].sqnr_drop_db;
  });
  order.resize(std::min<size_t>(3, order.size()));
  rep.worst = order;
  return rep;
}

nlohmann::json QuantReport::ToJson() const {
  nlohmann::json j{{"model", model}, {"samples", samples}, {"input_sqnr_db", input_sqnr_db}};
  j["layers"] = nlohmann::json::array();
  for (const auto& r : layers) {
    nlohmann::json l{{"op", r.op},
                     {"tensor", r.tensor},
                     {"layers", r.layers},
                     {"layer", r.layer},
                     {"sqnr_db", r.sqnr_db},
                     {"sqnr_drop_db", r.sqnr_drop_db},
                     {"activation", {{"min", r.act_min}, {"max", r.act_max},
                                     {"scale", r.q.scale}, {"zero_point", r.q.zero_point},
                                     {"outlier_ratio", r.act_outlier_ratio}}},
                     {"suggestion", r.suggestion},
                     {"reason", r.reason}};
    if (r.has_weights)
      l["weights"] = {{"per_channel", r.per_channel}, {"channel_min", r.channel_min},
                      {"channel_max", r.channel_max}, {"range_ratio_max_median", r.channel_range_ratio}};
    j["layers"].push_back(l);
  }
  j["worst"] = nlohmann::json::array();
  for (int w : worst) j["worst"].push_back({{"tensor", layers[w].tensor}, {"sqnr_drop_db", layers[w].sqnr_drop_db},
                                           {"suggestion", layers[w].suggestion}});
  return j;
}

}  // namespace mote::compress
