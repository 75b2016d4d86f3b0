#include "micro/safety/guards.h"

#include <string.h>

#include "micro/safety/le_bytes.h"

namespace mote::micro {
namespace {

bool GuardedType(DType t) {
  return t == DType::kInt8 || t == DType::kInt16 || t == DType::kFloat32;
}

}  // namespace

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kUnsure: return "unsure";
    case Outcome::kWarmingUp: return "warming_up";
    case Outcome::kFallback: return "fallback";
  }
  return "?";
}

const char* GuardEventName(GuardEvent e) {
  switch (e) {
    case GuardEvent::kNone: return "none";
    case GuardEvent::kNanInput: return "nan_input";
    case GuardEvent::kBadInput: return "bad_input";
    case GuardEvent::kInvokeError: return "invoke_error";
    case GuardEvent::kOverrun: return "overrun";
    case GuardEvent::kBadOutput: return "bad_output";
  }
  return "?";
}

int32_t QuantizeClamped(float x, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                        bool* clamped) {
  *clamped = false;
  const float y = x / scale;
  // Beyond +-2^30 the int conversion would overflow: saturate first.
  if (!(y < 1073741824.0f)) {
    *clamped = true;
    return qmax;
  }
  if (!(y > -1073741824.0f)) {
    *clamped = true;
    return qmin;
  }
  int32_t r = static_cast<int32_t>(y);  // toward zero
  const float frac = y - static_cast<float>(r);
  if (frac >= 0.5f) ++r;
  if (frac <= -0.5f) --r;
  const int64_t q = static_cast<int64_t>(r) + zero_point;
  if (q > qmax) {
    *clamped = true;
    return qmax;
  }
  if (q < qmin) {
    *clamped = true;
    return qmin;
  }
  return static_cast<int32_t>(q);
}

void ConfigFromManifest(const Manifest& m, GuardConfig* c) {
  if (m.has_thresholds) {
    c->confidence_threshold = m.confidence_threshold;
    c->hysteresis = m.hysteresis;
    c->anomaly_threshold = m.anomaly_threshold;
  }
  c->warmup_windows = m.warmup_windows;
  c->cycle_budget = m.cycle_budget;
  c->scale = m.scale;
  c->offset = m.offset;
  c->mean = m.mean;
  c->variance = m.variance;
}

Status GuardedModel::Init(Interpreter* interp, const GuardConfig& config, float* drift_state,
                          uint32_t drift_floats, ErrorText* err) {
  interp_ = nullptr;
  if (interp == nullptr || interp->inputs_size() < 1 || interp->outputs_size() < 1)
    return Fail(err, Status::kNotReady, "guard: the interpreter is not allocated");
  const Tensor& in = *interp->input(0);
  const Tensor& out = *interp->output(0);
  if (!GuardedType(in.type) || !GuardedType(out.type))
    return Fail(err, Status::kUnsupportedType,
                "guard: input 0 and output 0 must be int8, int16 or float32");
  if (in.type != DType::kFloat32 && !(in.scale > 0.0f))
    return Fail(err, Status::kUnsupportedType, "guard: integer input 0 is not quantized");
  const uint32_t n = static_cast<uint32_t>(in.elements());
  if (config.scale.count != config.offset.count ||
      (config.scale.count > 1 && config.scale.count != n))
    return Fail(err, Status::kBadArgument, "guard: input scaling has ",
                static_cast<int64_t>(config.scale.count), " values for ", static_cast<int64_t>(n),
                " input features");
  if (config.mean.count != 0 && config.mean.count != n)
    return Fail(err, Status::kBadArgument, "guard: calibration has ",
                static_cast<int64_t>(config.mean.count), " features, the model input ",
                static_cast<int64_t>(n));
  if (config.mode == DecisionMode::kReconstruction && out.elements() != in.elements())
    return Fail(err, Status::kShapeMismatch,
                "guard: reconstruction mode needs output 0 the size of input 0");
  if (!IsFinite(config.confidence_threshold) || !IsFinite(config.anomaly_threshold) ||
      !IsFinite(config.hysteresis) || config.hysteresis < 0.0f)
    return Fail(err, Status::kBadArgument, "guard: thresholds must be finite, hysteresis >= 0");
  if (config.cycle_budget != 0 && config.cycles == nullptr)
    return Fail(err, Status::kBadArgument, "guard: a cycle budget needs a cycle source");
  Status s = drift_.Init(config.mean, config.variance, drift_state, drift_floats, config.drift, err);
  if (s != Status::kOk) return s;
  interp_ = interp;
  config_ = config;
  features_ = n;
  Reset();
  return Status::kOk;
}

void GuardedModel::Reset() {
  counters_ = GuardCounters();
  warmup_left_ = config_.warmup_windows;
  held_label_ = -1;
  if (drift_.enabled()) drift_.Reset();
}

Decision GuardedModel::Fallback(GuardEvent e) {
  ++counters_.fallbacks;
  held_label_ = -1;
  Decision d;
  d.label = config_.fallback_label;
  d.outcome = Outcome::kFallback;
  d.event = e;
  return d;
}

float GuardedModel::OutputValue(const Tensor& t, uint32_t i) const {
  switch (t.type) {
    case DType::kInt8:
      return t.quantized ? (t.as<int8_t>()[i] - t.zero_point) * t.scale : t.as<int8_t>()[i];
    case DType::kInt16:
      return t.quantized ? (t.as<int16_t>()[i] - t.zero_point) * t.scale : t.as<int16_t>()[i];
    default: {
      float f;
      memcpy(&f, t.data + 4 * i, 4);
      return f;
    }
  }
}

float GuardedModel::Scale(uint32_t i) const {
  const F32Array& a = config_.scale;
  return a.count == 0 ? 1.0f : a[a.count == 1 ? 0 : i];
}

float GuardedModel::Offset(uint32_t i) const {
  const F32Array& a = config_.offset;
  return a.count == 0 ? 0.0f : a[a.count == 1 ? 0 : i];
}

float GuardedModel::InputValue(const float* raw, uint32_t i) const {
  const Tensor& in = *interp_->input(0);
  const float x = raw[i] * Scale(i) + Offset(i);
  if (in.type == DType::kFloat32) return x;
  bool clamped;
  const int32_t q = in.type == DType::kInt8
                        ? QuantizeClamped(x, in.scale, in.zero_point, -128, 127, &clamped)
                        : QuantizeClamped(x, in.scale, in.zero_point, -32768, 32767, &clamped);
  return static_cast<float>(q - in.zero_point) * in.scale;
}

Decision GuardedModel::Step(const float* raw, uint32_t count) {
  ++counters_.windows;
  if (interp_ == nullptr || raw == nullptr || count != features_) {
    ++counters_.errors;
    return Fallback(GuardEvent::kBadInput);
  }
  if (warmup_left_ > 0) {
    --warmup_left_;
    ++counters_.warmup_skips;
    Decision d;
    d.label = config_.fallback_label;
    d.outcome = Outcome::kWarmingUp;
    return d;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const float x = raw[i] * Scale(i) + Offset(i);
    if (!IsFinite(raw[i]) || !IsFinite(x)) {
      ++counters_.nan_windows;
      return Fallback(GuardEvent::kNanInput);
    }
  }
  Tensor& in = *interp_->input(0);
  int32_t qmin = -128, qmax = 127;
  if (in.type == DType::kInt16) qmin = -32768, qmax = 32767;
  drift_.BeginWindow();
  for (uint32_t i = 0; i < count; ++i) {
    const float x = raw[i] * Scale(i) + Offset(i);
    drift_.AddValue(i, x);
    if (in.type == DType::kFloat32) {
      memcpy(in.data + 4 * i, &x, 4);
      continue;
    }
    bool clamped = false;
    const int32_t q = QuantizeClamped(x, in.scale, in.zero_point, qmin, qmax, &clamped);
    if (clamped) ++counters_.clamped_values;
    if (in.type == DType::kInt8) in.as<int8_t>()[i] = static_cast<int8_t>(q);
    else in.as<int16_t>()[i] = static_cast<int16_t>(q);
  }
  drift_.EndWindow();
  const uint32_t t0 = config_.cycles ? config_.cycles(config_.cycles_context) : 0;
  const Status s = interp_->Invoke();
  const uint32_t elapsed = config_.cycles ? config_.cycles(config_.cycles_context) - t0 : 0;
  ++counters_.invocations;
  if (config_.cycles != nullptr) {
    if (counters_.latency_count == 0 || elapsed < counters_.latency_min)
      counters_.latency_min = elapsed;
    if (elapsed > counters_.latency_max) counters_.latency_max = elapsed;
    counters_.latency_sum += elapsed;
    ++counters_.latency_count;
  }
  if (s != Status::kOk) {
    ++counters_.errors;
    return Fallback(GuardEvent::kInvokeError);
  }
  if (config_.cycle_budget != 0 && elapsed > config_.cycle_budget) {
    ++counters_.overruns;
    return Fallback(GuardEvent::kOverrun);
  }
  return Decide(*interp_->output(0), raw);
}

Decision GuardedModel::Decide(const Tensor& out, const float* raw) {
  const uint32_t k = static_cast<uint32_t>(out.elements());
  Decision d;
  d.outcome = Outcome::kOk;
  if (config_.mode == DecisionMode::kReconstruction) {
    float sum = 0.0f;
    for (uint32_t i = 0; i < k; ++i) {
      // The input tensor's memory may have been reused during Invoke: the
      // model's input value is recomputed from the raw window.
      const float e = OutputValue(out, i) - InputValue(raw, i);
      sum += e * e;
    }
    d.score = k ? sum / static_cast<float>(k) : 0.0f;
    if (!IsFinite(d.score)) {
      ++counters_.errors;
      return Fallback(GuardEvent::kBadOutput);
    }
    const bool anomalous = held_label_ == 1
                               ? d.score >= config_.anomaly_threshold - config_.hysteresis
                               : d.score > config_.anomaly_threshold;
    d.label = anomalous ? 1 : 0;
    d.confidence = 1.0f;
    held_label_ = d.label;
    return d;
  }
  if (k == 0) {
    ++counters_.errors;
    return Fallback(GuardEvent::kBadOutput);
  }
  if (k == 1) {
    const float p = OutputValue(out, 0);
    d.label = p >= 0.5f ? 1 : 0;
    d.confidence = d.label ? p : 1.0f - p;
    d.score = p;
  } else {
    d.score = OutputValue(out, 0);
    for (uint32_t i = 1; i < k; ++i) {
      const float v = OutputValue(out, i);
      if (v > d.score) d.score = v, d.label = static_cast<int32_t>(i);
    }
    d.confidence = d.score;
  }
  if (!IsFinite(d.score)) {
    ++counters_.errors;
    return Fallback(GuardEvent::kBadOutput);
  }
  // Hysteresis: keeping the held label needs threshold - hysteresis, taking a
  // new one (or the first) needs threshold + hysteresis.
  const bool keep = d.label == held_label_;
  const float need = keep ? config_.confidence_threshold - config_.hysteresis
                          : config_.confidence_threshold + config_.hysteresis;
  if (d.confidence >= need) {
    held_label_ = d.label;
  } else {
    d.outcome = Outcome::kUnsure;
    ++counters_.low_confidence;
    if (keep) held_label_ = -1;
  }
  return d;
}

}  // namespace mote::micro
