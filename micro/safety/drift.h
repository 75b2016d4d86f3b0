// Input drift monitor: running mean and variance per feature (Welford, float)
// compared with the calibration statistics the manifest carries.
//
// Contract: per feature f with calibration mean m_f and variance v_f, after n
// windows with running mean u_f and variance s_f:
//   shift_f = |u_f - m_f| / sqrt(v_f + kDriftEpsilon)      (standardized mean shift)
//   ratio_f = (s_f + kDriftEpsilon) / (v_f + kDriftEpsilon)  (variance ratio)
// The alarm is on when n >= min_windows and max_f shift_f > shift_limit, or
// (ratio_limit > 0) some ratio_f > ratio_limit or < 1 / ratio_limit. The
// caller owns the state memory (2 floats per feature). No heap.
//
//   static float drift_state[2 * kFeatures];
//   DriftMonitor drift;
//   drift.Init(manifest.mean, manifest.variance, drift_state, 2 * kFeatures, {});
//   drift.Add(features);              // once per window, the model's input values
//   if (drift.alarm()) ReportDrift(drift.max_shift(), drift.worst_feature());
#ifndef MOTE_MICRO_SAFETY_DRIFT_H_
#define MOTE_MICRO_SAFETY_DRIFT_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/safety/manifest.h"
#include "micro/status.h"

namespace mote::micro {

constexpr float kDriftEpsilon = 1e-6f;

struct DriftConfig {
  float shift_limit = 3.0f;   // standardized mean shift that raises the alarm
  float ratio_limit = 4.0f;   // variance ratio limit (0: not checked)
  uint32_t min_windows = 16;  // no alarm before this many windows
};

class DriftMonitor {
 public:
  // REQUIRES: state holds >= 2 * mean.count floats and outlives the monitor.
  // mean/variance: the calibration statistics (same count; count 0 disables).
  Status Init(const F32Array& mean, const F32Array& variance, float* state,
              uint32_t state_floats, const DriftConfig& config, ErrorText* err);
  // One window of `features()` values (the model's input, after scaling).
  void Add(const float* values);
  // The same, one value at a time: BeginWindow(), AddValue() per feature, EndWindow().
  void BeginWindow();
  void AddValue(uint32_t feature, float value);
  void EndWindow();
  void Reset();

  bool enabled() const { return features_ > 0; }
  uint32_t features() const { return features_; }
  uint32_t windows() const { return n_; }
  bool alarm() const { return alarm_; }
  float max_shift() const { return max_shift_; }
  float max_ratio() const { return max_ratio_; }   // farthest from 1 (above or below)
  uint16_t worst_feature() const { return worst_; }
  float mean(uint32_t f) const { return state_[2 * f]; }
  float variance(uint32_t f) const { return n_ ? state_[2 * f + 1] / static_cast<float>(n_) : 0.0f; }

 private:
  void Evaluate();

  F32Array cal_mean_, cal_var_;
  float* state_ = nullptr;  // per feature: running mean, M2
  uint32_t features_ = 0;
  uint32_t n_ = 0;
  DriftConfig config_;
  bool alarm_ = false;
  float max_shift_ = 0.0f, max_ratio_ = 1.0f;
  uint16_t worst_ = 0;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_DRIFT_H_
