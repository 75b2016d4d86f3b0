#include "host/train/optimizer.h"

#include <cmath>

namespace mote::train {

bool OptimizerConfig::FromJson(const nlohmann::json& j, std::string* err) {
  if (j.is_string()) {
    type = j.get<std::string>();
  } else if (j.is_object()) {
    type = j.value("type", type);
    learning_rate = j.value("learning_rate", j.value("lr", learning_rate));
    beta_1 = j.value("beta_1", beta_1);
    beta_2 = j.value("beta_2", beta_2);
    epsilon = j.value("epsilon", epsilon);
    momentum = j.value("momentum", momentum);
    nesterov = j.value("nesterov", nesterov);
    use_ema = j.value("use_ema", use_ema);
    ema_momentum = j.value("ema_momentum", ema_momentum);
  } else {
    *err = "\"optimizer\" must be a name or an object";
    return false;
  }
  if (type != "adam" && type != "sgd") {
    *err = "unknown optimizer \"" + type + "\" (expected adam or sgd)";
    return false;
  }
  if (!(learning_rate > 0.0f) || !(momentum >= 0.0f && momentum < 1.0f)) {
    *err = "optimizer: learning_rate must be > 0 and momentum in [0, 1)";
    return false;
  }
  if (!(ema_momentum >= 0.0f && ema_momentum < 1.0f)) {
    *err = "optimizer: ema_momentum must be in [0, 1) (got " + std::to_string(ema_momentum) + ")";
    return false;
  }
  return true;
}

nlohmann::json OptimizerConfig::ToJson() const {
  nlohmann::json j;
  if (type == "sgd")
    j = {{"type", type}, {"learning_rate", learning_rate}, {"momentum", momentum}, {"nesterov", nesterov}};
  else
    j = {{"type", type}, {"learning_rate", learning_rate}, {"beta_1", beta_1},
         {"beta_2", beta_2}, {"epsilon", epsilon}};
  if (use_ema) {
    j["use_ema"] = true;
    j["ema_momentum"] = ema_momentum;
  }
  return j;
}

void Optimizer::UpdateAverages(const std::vector<Param*>& params) {
  if (average_.empty()) {  // the first step: the averages start at the weights
    for (const Param* p : params) average_.push_back(p->value);
    return;
  }
  const float m = c_.ema_momentum;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::vector<float>& w = params[i]->value;
    for (size_t k = 0; k < w.size(); ++k) average_[i][k] = m * average_[i][k] + (1.0f - m) * w[k];
  }
}

void Optimizer::Finalize(const std::vector<Param*>& params) const {
  if (!c_.use_ema || average_.empty()) return;
  for (size_t i = 0; i < params.size(); ++i) params[i]->value = average_[i];
}

void Optimizer::Update(const std::vector<Param*>& params, float lr) {
  if (m_.size() != params.size()) {
    m_.assign(params.size(), {});
    v_.assign(params.size(), {});
    for (size_t i = 0; i < params.size(); ++i) {
      m_[i].assign(params[i]->value.size(), 0.0f);
      if (c_.type == "adam") v_[i].assign(params[i]->value.size(), 0.0f);
    }
  }
  ++t_;
  if (c_.type == "adam") {
    const double b1t = std::pow(static_cast<double>(c_.beta_1), static_cast<double>(t_));
    const double b2t = std::pow(static_cast<double>(c_.beta_2), static_cast<double>(t_));
    const float alpha = static_cast<float>(lr * std::sqrt(1.0 - b2t) / (1.0 - b1t));
    for (size_t i = 0; i < params.size(); ++i) {
      Param& p = *params[i];
      for (size_t k = 0; k < p.value.size(); ++k) {
        const float g = p.grad[k];
        m_[i][k] += (g - m_[i][k]) * (1.0f - c_.beta_1);
        v_[i][k] += (g * g - v_[i][k]) * (1.0f - c_.beta_2);
        p.value[k] -= alpha * m_[i][k] / (std::sqrt(v_[i][k]) + c_.epsilon);
      }
    }
    return;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    Param& p = *params[i];
    for (size_t k = 0; k < p.value.size(); ++k) {
      const float g = p.grad[k];
      if (c_.momentum == 0.0f) {
        p.value[k] -= lr * g;
        continue;
      }
      m_[i][k] = c_.momentum * m_[i][k] - lr * g;
      p.value[k] += c_.nesterov ? c_.momentum * m_[i][k] - lr * g : m_[i][k];
    }
  }
}

void Optimizer::Step(const std::vector<Param*>& params, float lr) {
  Update(params, lr);
  if (c_.use_ema) UpdateAverages(params);
}

}  // namespace mote::train
