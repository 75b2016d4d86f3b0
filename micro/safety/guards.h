// Runtime guards around one inference: the "guarded step".
//
//   raw float features ─► NaN/Inf check ─► input = raw*scale + offset ─► drift monitor
//     ─► clamp to the range the input tensor's int8/int16 quantization can hold
//     ─► quantize ─► Invoke (timed by the watchdog) ─► dequantize ─► decision
//
// Contract: Step() never fails: on a rejected window (NaN/Inf), an interpreter
// error, a watchdog overrun (elapsed cycles > cycle_budget) or bad output it
// returns the configured safe default (outcome kFallback, status says why)
// and counts it. The first warmup_windows steps after Init() return
// kWarmingUp without running the model. Confidence below the threshold (with
// hysteresis, see Decide()) gives kUnsure. Quantization rounds half away from
// zero, as TFLite does. No heap; the caller owns the drift state memory.
//
//   static uint32_t Cycles(void*) { return DWT->CYCCNT; }   // port hook
//   GuardConfig cfg;
//   cfg.cycles = Cycles;
//   ConfigFromManifest(manifest, &cfg);                     // thresholds, budget, scaling
//   GuardedModel guard;
//   if (guard.Init(&interp, cfg, drift_state, kDriftFloats, &err) != Status::kOk) ...;
//   Decision d = guard.Step(features, kFeatures);
//   if (d.outcome == Outcome::kOk) Act(d.label);
#ifndef MOTE_MICRO_SAFETY_GUARDS_H_
#define MOTE_MICRO_SAFETY_GUARDS_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/runtime/interpreter.h"
#include "micro/safety/drift.h"
#include "micro/safety/manifest.h"
#include "micro/status.h"

namespace mote::micro {

enum class Outcome : uint8_t { kOk, kUnsure, kWarmingUp, kFallback };
const char* OutcomeName(Outcome o);

// How outputs become a decision.
enum class DecisionMode : uint8_t {
  // Scores per class: label = argmax, confidence = its dequantized score. A
  // single output p is binary: label = p >= 0.5, confidence = max(p, 1 - p).
  kClassifier,
  // Autoencoder: score = mean squared error between the model input and its
  // reconstruction; label 1 (anomaly) when score > anomaly_threshold, and it
  // stays 1 until score < anomaly_threshold - hysteresis. confidence = 1.
  kReconstruction,
};

// Why a decision fell back (kFallback), else kNone.
enum class GuardEvent : uint8_t { kNone, kNanInput, kBadInput, kInvokeError, kOverrun, kBadOutput };
const char* GuardEventName(GuardEvent e);

struct Decision {
  int32_t label = 0;
  float confidence = 0.0f;
  float score = 0.0f;  // kReconstruction: the error; kClassifier: the top score
  Outcome outcome = Outcome::kFallback;
  GuardEvent event = GuardEvent::kNone;
};

// Returns the current cycle (or microsecond) count; wraps modulo 2^32.
using CycleSource = uint32_t (*)(void* context);

struct GuardConfig {
  DecisionMode mode = DecisionMode::kClassifier;
  float confidence_threshold = 0.0f;  // kClassifier: below it the outcome is kUnsure
  float hysteresis = 0.0f;
  float anomaly_threshold = 0.0f;     // kReconstruction
  uint32_t warmup_windows = 0;
  uint32_t cycle_budget = 0;          // 0: no watchdog
  CycleSource cycles = nullptr;       // nullptr: no latency statistics, no watchdog
  void* cycles_context = nullptr;
  int32_t fallback_label = 0;         // the safe default decision
  F32Array scale, offset;             // input scaling (count 0: identity)
  F32Array mean, variance;            // calibration statistics (count 0: no drift monitor)
  DriftConfig drift;
};

// Copies thresholds (not the mode: the application picks it), warm-up, cycle budget, input scaling and calibration
// statistics from the manifest (the arrays still point into the model).
void ConfigFromManifest(const Manifest& m, GuardConfig* config);

struct GuardCounters {
  uint32_t invocations = 0;    // model runs
  uint32_t windows = 0;        // Step() calls
  uint32_t errors = 0;         // interpreter errors and bad outputs
  uint32_t overruns = 0;       // watchdog: elapsed > cycle_budget
  uint32_t fallbacks = 0;      // decisions with outcome kFallback
  uint32_t clamped_values = 0; // input values saturated to the quantized range
  uint32_t nan_windows = 0;    // windows rejected for NaN/Inf
  uint32_t low_confidence = 0; // kUnsure decisions
  uint32_t warmup_skips = 0;
  uint32_t latency_min = 0, latency_max = 0;  // cycles per Invoke (with a source)
  uint64_t latency_sum = 0;
  uint32_t latency_count = 0;
  uint32_t latency_mean() const {
    return latency_count ? static_cast<uint32_t>(latency_sum / latency_count) : 0;
  }
};

// x quantized to [qmin, qmax] with scale and zero point (round half away from
// zero); *clamped is set when x was outside the representable range.
int32_t QuantizeClamped(float x, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                        bool* clamped);

class GuardedModel {
 public:
  // REQUIRES: interp->AllocateTensors() returned kOk; interp, the config's
  // arrays and drift_state outlive this object. Input 0 and output 0 must be
  // int8, int16 or float32; drift_state holds 2 floats per calibrated feature.
  Status Init(Interpreter* interp, const GuardConfig& config, float* drift_state,
              uint32_t drift_floats, ErrorText* err);
  // One window of `count` raw features (REQUIRES count == features()).
  Decision Step(const float* raw, uint32_t count);
  // Ends warm-up, hysteresis state and counters as after Init() (a reboot).
  void Reset();

  uint32_t features() const { return features_; }
  const GuardCounters& counters() const { return counters_; }
  const DriftMonitor& drift() const { return drift_; }

 private:
  Decision Fallback(GuardEvent e);
  Decision Decide(const Tensor& out, const float* raw);
  float OutputValue(const Tensor& t, uint32_t i) const;
  // Input feature i as the model saw it (scaled, quantized, dequantized).
  float InputValue(const float* raw, uint32_t i) const;
  float Scale(uint32_t i) const;
  float Offset(uint32_t i) const;

  Interpreter* interp_ = nullptr;
  GuardConfig config_;
  DriftMonitor drift_;
  GuardCounters counters_;
  uint32_t features_ = 0;
  uint32_t warmup_left_ = 0;
  int32_t held_label_ = -1;  // hysteresis state: last confident label, or -1
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_GUARDS_H_
