#include "micro/safety/drift.h"

namespace mote::micro {

Status DriftMonitor::Init(const F32Array& mean, const F32Array& variance, float* state,
                          uint32_t state_floats, const DriftConfig& config, ErrorText* err) {
  *this = DriftMonitor();
  if (mean.count != variance.count)
    return Fail(err, Status::kBadArgument, "drift: ", static_cast<int64_t>(mean.count),
                " calibration means but ", static_cast<int64_t>(variance.count), " variances");
  if (mean.count > 65535)
    return Fail(err, Status::kBadArgument, "drift: more than 65535 features");
  if (mean.count > 0 && (state == nullptr || state_floats / 2 < mean.count))
    return Fail(err, Status::kBadArgument, "drift: state needs ",
                static_cast<int64_t>(2 * mean.count), " floats, got ",
                static_cast<int64_t>(state_floats));
  if (!(config.shift_limit > 0.0f) || !(config.ratio_limit >= 0.0f))
    return Fail(err, Status::kBadArgument, "drift: limits must be positive");
  cal_mean_ = mean;
  cal_var_ = variance;
  state_ = state;
  features_ = mean.count;
  config_ = config;
  Reset();
  return Status::kOk;
}

void DriftMonitor::Reset() {
  for (uint32_t i = 0; i < 2 * features_; ++i) state_[i] = 0.0f;
  n_ = 0;
  alarm_ = false;
  max_shift_ = 0.0f;
  max_ratio_ = 1.0f;
  worst_ = 0;
}

void DriftMonitor::Add(const float* values) {
  BeginWindow();
  for (uint32_t f = 0; f < features_; ++f) AddValue(f, values[f]);
  EndWindow();
}

void DriftMonitor::BeginWindow() {
  if (features_ > 0) ++n_;
}

void DriftMonitor::AddValue(uint32_t feature, float value) {
  if (feature >= features_ || n_ == 0) return;
  float& m = state_[2 * feature];
  float& m2 = state_[2 * feature + 1];
  const float d = value - m;
  m += d / static_cast<float>(n_);
  m2 += d * (value - m);
}

void DriftMonitor::EndWindow() {
  if (features_ > 0) Evaluate();
}

void DriftMonitor::Evaluate() {
  max_shift_ = 0.0f;
  max_ratio_ = 1.0f;
  worst_ = 0;
  float worst_ratio_dev = 1.0f;  // max(r, 1/r)
  bool ratio_alarm = false;
  for (uint32_t f = 0; f < features_; ++f) {
    const float v = cal_var_[f] + kDriftEpsilon;
    const float d = mean(f) - cal_mean_[f];
    const float shift2 = d * d / v;  // squared: one square root after the loop
    if (shift2 > max_shift_) {
      max_shift_ = shift2;
      worst_ = static_cast<uint16_t>(f);
    }
    const float r = (variance(f) + kDriftEpsilon) / v;
    const float dev = r >= 1.0f ? r : 1.0f / r;
    if (dev > worst_ratio_dev) {
      worst_ratio_dev = dev;
      max_ratio_ = r;
    }
    if (config_.ratio_limit > 0.0f && dev > config_.ratio_limit) ratio_alarm = true;
  }
  max_shift_ = __builtin_sqrtf(max_shift_);
  alarm_ = n_ >= config_.min_windows && (max_shift_ > config_.shift_limit || ratio_alarm);
}

}  // namespace mote::micro
