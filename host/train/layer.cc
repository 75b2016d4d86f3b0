#include "host/train/layer.h"

#include <cmath>

#include "host/train/layers_internal.h"
#include "host/train/parallel.h"

namespace mote::train {

using nlohmann::json;

std::string ShapeString(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

const Param* Layer::FindParam(const std::string& name) const {
  for (const Param& p : params_)
    if (p.name == name) return &p;
  return nullptr;
}

void Layer::ChunkedBackward(int n, size_t work,
                            const std::function<void(int, int, std::vector<float*>&)>& body) {
  const int chunks = ChunkCount(n);
  std::vector<std::vector<std::vector<float>>> bufs(chunks);
  for (auto& b : bufs) {
    b.resize(params_.size());
    for (size_t i = 0; i < params_.size(); ++i)
      if (params_[i].trainable) b[i].assign(params_[i].value.size(), 0.0f);
  }
  ParallelFor(chunks, work, [&](int c) {
    int begin, end;
    ChunkRange(n, chunks, c, &begin, &end);
    std::vector<float*> g(params_.size(), nullptr);
    for (size_t i = 0; i < params_.size(); ++i) g[i] = bufs[c][i].empty() ? nullptr : bufs[c][i].data();
    body(begin, end, g);
  });
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].trainable) continue;
    std::vector<float>& grad = params_[i].grad;
    grad = bufs[0][i];
    for (int c = 1; c < chunks; ++c)
      for (size_t k = 0; k < grad.size(); ++k) grad[k] += bufs[c][i][k];
  }
}

void GlorotUniform(std::vector<float>& w, int fan_in, int fan_out, Rng& rng) {
  const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
  for (float& v : w) v = rng.Uniform(-limit, limit);
}

json ActivationSpec(const std::string& name, std::string* err) {
  if (name.empty() || name == "linear" || name == "none") return nullptr;
  if (name == "relu" || name == "relu6" || name == "sigmoid" || name == "softmax" ||
      name == "tanh")
    return json{{"type", "Activation"}, {"activation", name}};
  *err = "unknown activation \"" + name + "\" (expected relu, relu6, sigmoid, softmax, tanh, linear)";
  return nullptr;
}

std::unique_ptr<Layer> MakeLayer(const json& spec, std::string* err) {
  using namespace internal;
  if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
    *err = "layer spec needs a \"type\" string";
    return nullptr;
  }
  const std::string t = spec["type"].get<std::string>();
  std::unique_ptr<Layer> l;
  if (t == "Dense") l = MakeDense(spec, err);
  else if (t == "Conv1D") l = MakeConv(spec, true, err);
  else if (t == "Conv2D") l = MakeConv(spec, false, err);
  else if (t == "DepthwiseConv2D") l = MakeDepthwiseConv(spec, err);
  else if (t == "MaxPooling1D" || t == "MaxPool1D") l = MakePool(spec, true, true, err);
  else if (t == "MaxPooling2D" || t == "MaxPool2D") l = MakePool(spec, true, false, err);
  else if (t == "AveragePooling1D" || t == "AvgPool1D") l = MakePool(spec, false, true, err);
  else if (t == "AveragePooling2D" || t == "AvgPool2D") l = MakePool(spec, false, false, err);
  else if (t == "GlobalAveragePooling1D" || t == "GlobalAvgPool1D") l = MakeGlobalAveragePool(spec, true, err);
  else if (t == "GlobalAveragePooling2D" || t == "GlobalAvgPool2D") l = MakeGlobalAveragePool(spec, false, err);
  else if (t == "Flatten") l = MakeFlatten(spec, err);
  else if (t == "BatchNormalization") l = MakeBatchNorm(spec, err);
  else if (t == "Dropout") l = MakeDropout(spec, err);
  else if (t == "ReLU") l = MakeActivation("relu", GetFloat(spec, "max_value", -1.0f, err), err);
  else if (t == "ReLU6") l = MakeActivation("relu6", 6.0f, err);
  else if (t == "Sigmoid") l = MakeActivation("sigmoid", -1.0f, err);
  else if (t == "Softmax") l = MakeActivation("softmax", -1.0f, err);
  else if (t == "Tanh") l = MakeActivation("tanh", -1.0f, err);
  else if (t == "Activation") {
    if (!spec.contains("activation") || !spec["activation"].is_string()) {
      *err = "Activation needs an \"activation\" string";
      return nullptr;
    }
    const std::string a = spec["activation"].get<std::string>();
    if (a == "relu6") l = MakeActivation("relu6", 6.0f, err);
    else if (a == "relu" || a == "sigmoid" || a == "softmax" || a == "tanh")
      l = MakeActivation(a, -1.0f, err);
    else {
      *err = "unknown activation \"" + a + "\"";
      return nullptr;
    }
  } else {
    *err = "unknown layer type \"" + t +
           "\" (known: Dense, Conv1D, Conv2D, DepthwiseConv2D, MaxPooling1D/2D, "
           "AveragePooling1D/2D, GlobalAveragePooling1D/2D, BatchNormalization, Dropout, "
           "Flatten, ReLU, ReLU6, Activation, Sigmoid, Softmax, Tanh)";
    return nullptr;
  }
  if (!err->empty()) return nullptr;
  return l;
}

namespace internal {

int GetInt(const json& spec, const char* key, int def, std::string* err) {
  if (!spec.contains(key) || spec[key].is_null()) return def;
  if (!spec[key].is_number_integer()) {
    if (err->empty()) *err = std::string("\"") + key + "\" must be an integer";
    return def;
  }
  return spec[key].get<int>();
}

float GetFloat(const json& spec, const char* key, float def, std::string* err) {
  if (!spec.contains(key) || spec[key].is_null()) return def;
  if (!spec[key].is_number()) {
    if (err->empty()) *err = std::string("\"") + key + "\" must be a number";
    return def;
  }
  return spec[key].get<float>();
}

std::vector<int> GetInts(const json& spec, const char* key, int n, std::vector<int> def,
                         std::string* err) {
  if (!spec.contains(key) || spec[key].is_null()) return def;
  const json& v = spec[key];
  std::vector<int> r;
  if (v.is_number_integer()) {
    r.assign(n, v.get<int>());
  } else if (v.is_array() && static_cast<int>(v.size()) == n) {
    for (const auto& e : v) {
      if (!e.is_number_integer()) break;
      r.push_back(e.get<int>());
    }
  }
  bool ok = static_cast<int>(r.size()) == n;
  for (int x : r) ok = ok && x >= 1 && x <= 4096;
  if (!ok) {
    if (err->empty())
      *err = std::string("\"") + key + "\" must be a positive integer or a list of " +
             std::to_string(n);
    return def;
  }
  return r;
}

bool GetSamePadding(const json& spec, std::string* err) {
  if (!spec.contains("padding")) return false;
  const json& p = spec["padding"];
  if (p == "same") return true;
  if (p == "valid") return false;
  if (err->empty()) *err = "\"padding\" must be \"valid\" or \"same\"";
  return false;
}

}  // namespace internal
}  // namespace mote::train
