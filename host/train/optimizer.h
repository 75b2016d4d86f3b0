// Optimizers with Keras semantics and defaults.
//   adam: beta_1 0.9, beta_2 0.999, epsilon 1e-7 (bias-corrected step size)
//   sgd:  momentum 0 (m = momentum*m - lr*g; w += m), optional nesterov
//   use_ema (off by default), ema_momentum 0.99: after every step each
//     trainable weight's average a = m*a + (1-m)*w (a = w after the first
//     step); Finalize() overwrites the weights with the averages (Keras's
//     use_ema, as fit() does at the end of training).
//
//   Optimizer opt(OptimizerConfig{"adam", 1e-3f});
//   opt.Step(params, lr);   // after Backward has set every grad
#ifndef MOTE_HOST_TRAIN_OPTIMIZER_H_
#define MOTE_HOST_TRAIN_OPTIMIZER_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/train/tensor.h"

namespace mote::train {

struct OptimizerConfig {
  std::string type = "adam";  // "adam" | "sgd"
  float learning_rate = 1e-3f;
  float beta_1 = 0.9f, beta_2 = 0.999f, epsilon = 1e-7f;
  float momentum = 0.0f;
  bool nesterov = false;
  bool use_ema = false;
  float ema_momentum = 0.99f;
  // From {"type": "adam", "learning_rate": 0.01, ...}; false + *err on error.
  bool FromJson(const nlohmann::json& j, std::string* err);
  nlohmann::json ToJson() const;
};

class Optimizer {
 public:
  explicit Optimizer(OptimizerConfig c) : c_(std::move(c)) {}
  // One update of every trainable param with learning rate `lr`.
  void Step(const std::vector<Param*>& params, float lr);
  // With use_ema: the weights take their moving averages (no-op before the
  // first step or without use_ema). REQUIRES: the params of Step().
  void Finalize(const std::vector<Param*>& params) const;

 private:
  OptimizerConfig c_;
  long long t_ = 0;
  std::vector<std::vector<float>> m_, v_, average_;
  void Update(const std::vector<Param*>& params, float lr);
  void UpdateAverages(const std::vector<Param*>& params);
};

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_OPTIMIZER_H_
