// BatchNormalization, Dropout and the activation layers.
#include <cmath>
#include <stdexcept>

#include "host/train/layers_internal.h"

namespace mote::train::internal {
namespace {

// Keras defaults: axis -1, momentum 0.99, epsilon 1e-3, gamma 1, beta 0,
// moving mean 0, moving variance 1. Training uses the batch's biased variance.
class BatchNorm : public Layer {
 public:
  BatchNorm(float momentum, float epsilon)
      : Layer("BatchNormalization"), momentum_(momentum), epsilon_(epsilon) {}
  Shape Build(const Shape& in, Rng&) override {
    if (in.empty()) throw std::invalid_argument("BatchNormalization needs a non-scalar input");
    in_ = out_ = in;
    const int c = in.back();
    params_.resize(4);
    params_[0].Init("gamma", {c});
    params_[1].Init("beta", {c});
    params_[2].Init("moving_mean", {c}, false);
    params_[3].Init("moving_variance", {c}, false);
    for (float& v : params_[0].value) v = 1.0f;
    for (float& v : params_[3].value) v = 1.0f;
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool training) override {
    const int c = in_.back();
    const size_t rows = x.size() / c;
    y->Reset(x.shape);
    mean_.assign(c, 0.0f);
    inv_std_.assign(c, 0.0f);
    const float* gamma = params_[0].value.data();
    const float* beta = params_[1].value.data();
    if (training) {
      std::vector<double> sum(c, 0.0), sq(c, 0.0);
      for (size_t r = 0; r < rows; ++r)
        for (int k = 0; k < c; ++k) sum[k] += x.ptr()[r * c + k];
      for (int k = 0; k < c; ++k) mean_[k] = static_cast<float>(sum[k] / rows);
      for (size_t r = 0; r < rows; ++r)
        for (int k = 0; k < c; ++k) {
          const double d = x.ptr()[r * c + k] - mean_[k];
          sq[k] += d * d;
        }
      for (int k = 0; k < c; ++k) {
        const float var = static_cast<float>(sq[k] / rows);
        inv_std_[k] = 1.0f / std::sqrt(var + epsilon_);
        float& mm = params_[2].value[k];
        float& mv = params_[3].value[k];
        mm = mm * momentum_ + mean_[k] * (1.0f - momentum_);
        mv = mv * momentum_ + var * (1.0f - momentum_);
      }
    } else {
      for (int k = 0; k < c; ++k) {
        mean_[k] = params_[2].value[k];
        inv_std_[k] = 1.0f / std::sqrt(params_[3].value[k] + epsilon_);
      }
    }
    training_ = training;
    for (size_t r = 0; r < rows; ++r)
      for (int k = 0; k < c; ++k)
        y->ptr()[r * c + k] = gamma[k] * (x.ptr()[r * c + k] - mean_[k]) * inv_std_[k] + beta[k];
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    const int c = in_.back();
    const size_t rows = x.size() / c;
    const float* gamma = params_[0].value.data();
    std::vector<double> sum_dy(c, 0.0), sum_dy_xhat(c, 0.0);
    for (size_t r = 0; r < rows; ++r)
      for (int k = 0; k < c; ++k) {
        const float xhat = (x.ptr()[r * c + k] - mean_[k]) * inv_std_[k];
        sum_dy[k] += dy.ptr()[r * c + k];
        sum_dy_xhat[k] += dy.ptr()[r * c + k] * xhat;
      }
    for (int k = 0; k < c; ++k) {
      params_[0].grad[k] = static_cast<float>(sum_dy_xhat[k]);
      params_[1].grad[k] = static_cast<float>(sum_dy[k]);
    }
    if (!dx) return;
    dx->Reset(x.shape);
    const float m = static_cast<float>(rows);
    for (size_t r = 0; r < rows; ++r)
      for (int k = 0; k < c; ++k) {
        const float g = dy.ptr()[r * c + k];
        if (!training_) {
          dx->ptr()[r * c + k] = g * gamma[k] * inv_std_[k];
          continue;
        }
        const float xhat = (x.ptr()[r * c + k] - mean_[k]) * inv_std_[k];
        dx->ptr()[r * c + k] =
            gamma[k] * inv_std_[k] / m *
            (m * g - static_cast<float>(sum_dy[k]) - xhat * static_cast<float>(sum_dy_xhat[k]));
      }
  }
  nlohmann::json Config() const override {
    return {{"type", "BatchNormalization"}, {"momentum", momentum_}, {"epsilon", epsilon_}};
  }
  float epsilon() const { return epsilon_; }

 private:
  float momentum_, epsilon_;
  bool training_ = false;
  std::vector<float> mean_, inv_std_;
};

// Inverted dropout: in training, zero with probability `rate`, scale the rest
// by 1 / (1 - rate). Its random stream is seeded when the model is built.
class Dropout : public Layer {
 public:
  explicit Dropout(float rate) : Layer("Dropout"), rate_(rate) {}
  Shape Build(const Shape& in, Rng& rng) override {
    in_ = out_ = in;
    rng_.Seed(rng.Next());
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool training) override {
    y->shape = x.shape;
    y->data = x.data;
    mask_.clear();
    if (!training || rate_ <= 0.0f) return;
    mask_.resize(x.size());
    const float keep = 1.0f / (1.0f - rate_);
    for (size_t i = 0; i < x.size(); ++i) {
      mask_[i] = rng_.Uniform01() < rate_ ? 0.0f : keep;
      y->data[i] *= mask_[i];
    }
  }
  void Backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    dx->shape = x.shape;
    dx->data = dy.data;
    for (size_t i = 0; i < mask_.size(); ++i) dx->data[i] *= mask_[i];
  }
  nlohmann::json Config() const override { return {{"type", "Dropout"}, {"rate", rate_}}; }

 private:
  float rate_;
  Rng rng_;
  std::vector<float> mask_;
};

class Activation : public Layer {
 public:
  Activation(std::string kind, float max_value)
      : Layer(kind == "relu" ? "ReLU" : kind == "relu6" ? "ReLU6" : kind == "sigmoid" ? "Sigmoid"
              : kind == "softmax" ? "Softmax" : "Tanh"),
        kind_(std::move(kind)), max_(max_value) {}
  Shape Build(const Shape& in, Rng&) override {
    in_ = out_ = in;
    return out_;
  }
  void Forward(const Tensor& x, Tensor* y, bool) override {
    y->Reset(x.shape);
    const float* a = x.ptr();
    float* b = y->ptr();
    const size_t n = x.size();
    if (kind_ == "relu" || kind_ == "relu6") {
      for (size_t i = 0; i < n; ++i) {
        float v = a[i] > 0.0f ? a[i] : 0.0f;
        if (max_ >= 0.0f && v > max_) v = max_;
        b[i] = v;
      }
    } else if (kind_ == "sigmoid") {
      for (size_t i = 0; i < n; ++i) b[i] = 1.0f / (1.0f + std::exp(-a[i]));
    } else if (kind_ == "tanh") {
      for (size_t i = 0; i < n; ++i) b[i] = std::tanh(a[i]);
    } else {  // softmax over the last axis
      const int c = in_.back();
      for (size_t r = 0; r < n / c; ++r) {
        float mx = a[r * c];
        for (int k = 1; k < c; ++k) mx = a[r * c + k] > mx ? a[r * c + k] : mx;
        float sum = 0.0f;
        for (int k = 0; k < c; ++k) sum += (b[r * c + k] = std::exp(a[r * c + k] - mx));
        for (int k = 0; k < c; ++k) b[r * c + k] /= sum;
      }
    }
  }
  void Backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override {
    if (!dx) return;
    dx->Reset(x.shape);
    const size_t n = x.size();
    const float* g = dy.ptr();
    float* o = dx->ptr();
    if (kind_ == "relu" || kind_ == "relu6") {
      // Branch-free selects (the sign of x is random: branches mispredict);
      // the same values as one loop with both tests.
      const float* a = x.ptr();
      if (max_ < 0.0f) {
        for (size_t i = 0; i < n; ++i) {
          const float gi = g[i];  // loaded unconditionally: the select vectorizes
          o[i] = a[i] > 0.0f ? gi : 0.0f;
        }
      } else {
        const float hi = max_;
        for (size_t i = 0; i < n; ++i) {
          const float gi = g[i];
          o[i] = (a[i] > 0.0f) & (a[i] < hi) ? gi : 0.0f;
        }
      }
    } else if (kind_ == "sigmoid") {
      for (size_t i = 0; i < n; ++i) o[i] = g[i] * y.data[i] * (1.0f - y.data[i]);
    } else if (kind_ == "tanh") {
      for (size_t i = 0; i < n; ++i) o[i] = g[i] * (1.0f - y.data[i] * y.data[i]);
    } else {
      const int c = in_.back();
      for (size_t r = 0; r < n / c; ++r) {
        float dot = 0.0f;
        for (int k = 0; k < c; ++k) dot += g[r * c + k] * y.data[r * c + k];
        for (int k = 0; k < c; ++k) o[r * c + k] = y.data[r * c + k] * (g[r * c + k] - dot);
      }
    }
  }
  nlohmann::json Config() const override {
    nlohmann::json j{{"type", type_}};
    if (kind_ == "relu" && max_ >= 0.0f) j["max_value"] = max_;
    return j;
  }

 private:
  std::string kind_;
  float max_;
};

}  // namespace

std::unique_ptr<Layer> MakeBatchNorm(const json& spec, std::string* err) {
  if (spec.contains("axis") && spec["axis"] != -1) {
    *err = "BatchNormalization: only axis -1 (channels last) is supported";
    return nullptr;
  }
  const float momentum = GetFloat(spec, "momentum", 0.99f, err);
  const float epsilon = GetFloat(spec, "epsilon", 1e-3f, err);
  if (err->empty() && !(momentum >= 0.0f && momentum < 1.0f)) *err = "\"momentum\" must be in [0, 1)";
  if (err->empty() && !(epsilon > 0.0f)) *err = "\"epsilon\" must be > 0";
  if (!err->empty()) return nullptr;
  return std::make_unique<BatchNorm>(momentum, epsilon);
}

std::unique_ptr<Layer> MakeDropout(const json& spec, std::string* err) {
  const float rate = GetFloat(spec, "rate", -1.0f, err);
  if (err->empty() && !(rate >= 0.0f && rate < 1.0f)) *err = "Dropout needs \"rate\" in [0, 1)";
  if (!err->empty()) return nullptr;
  return std::make_unique<Dropout>(rate);
}

std::unique_ptr<Layer> MakeActivation(const std::string& kind, float max_value, std::string*) {
  return std::make_unique<Activation>(kind, kind == "relu6" ? 6.0f : max_value);
}

}  // namespace mote::train::internal
