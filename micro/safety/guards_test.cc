// Guards around a tiny FULLY_CONNECTED model (2 inputs -> 2 outputs) written
// with the host .tflite writer: clamping, NaN rejection, hysteresis, warm-up,
// watchdog, fallbacks, reconstruction scores; the drift monitor on
// in-distribution and shifted data.
#include "micro/safety/guards.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "host/io/file.h"
#include "host/io/tflite_writer.h"

namespace mote::micro {
namespace {

constexpr float kInScale = 1.0f / 64.0f;

std::vector<uint8_t> Le(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  return std::vector<uint8_t>(b, b + n);
}

// out = W x; W given as int8 with scale 1/127 (int8 model) or as floats.
std::vector<uint8_t> FcModel(DType type, const int8_t w[4], float big = 0.0f) {
  host::TfliteModel m;
  const bool q = type == DType::kInt8;
  const std::vector<float> s = q ? std::vector<float>{kInScale} : std::vector<float>{};
  const std::vector<int64_t> zp = q ? std::vector<int64_t>{0} : std::vector<int64_t>{};
  const int in = m.AddTensor({"in", {1, 2}, type, {}, s, zp});
  int wt, bias;
  if (q) {
    wt = m.AddTensor({"w", {2, 2}, DType::kInt8, Le(w, 4), {1.0f / 127.0f}, {0}});
    const int32_t b[2] = {0, 0};
    bias = m.AddTensor({"b", {2}, DType::kInt32, Le(b, 8), {kInScale / 127.0f}, {0}});
  } else {
    float wf[4];
    for (int i = 0; i < 4; ++i) wf[i] = big != 0.0f ? big : w[i] / 127.0f;
    wt = m.AddTensor({"w", {2, 2}, DType::kFloat32, Le(wf, 16), {}, {}});
    const float b[2] = {0, 0};
    bias = m.AddTensor({"b", {2}, DType::kFloat32, Le(b, 8), {}, {}});
  }
  const int out = m.AddTensor({"out", {1, 2}, type, {}, s, zp});
  host::TfliteOp op;
  op.builtin = 9;  // FULLY_CONNECTED
  op.inputs = {in, wt, bias};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return host::WriteTflite(m);
}

const int8_t kIdentity[4] = {127, 0, 0, 127};

struct Fixture {
  explicit Fixture(std::vector<uint8_t> model) : bytes(model.size()) {
    std::memcpy(bytes.data(), model.data(), model.size());
    interp = std::make_unique<Interpreter>(bytes.data(), bytes.size(), arena, sizeof(arena));
    EXPECT_EQ(interp->AllocateTensors(), Status::kOk) << interp->error();
  }
  Status Init(const GuardConfig& c) {
    ErrorText err;
    const Status s = guard.Init(interp.get(), c, drift_state, 8, &err);
    last_error = err.c_str();
    return s;
  }
  Decision Step(float a, float b) {
    const float x[2] = {a, b};
    return guard.Step(x, 2);
  }
  host::AlignedBytes bytes;
  alignas(16) uint8_t arena[4096];
  std::unique_ptr<Interpreter> interp;
  GuardedModel guard;
  float drift_state[8];
  std::string last_error;
};

TEST(GuardsTest, QuantizeRoundsHalfAwayFromZeroAndSaturates) {
  bool c = false;
  for (float x : {0.5f, -0.5f, 1.5f, -2.5f, 2.49f, -0.49f, 0.0f, 126.5f, -127.5f}) {
    EXPECT_EQ(QuantizeClamped(x, 1.0f, 0, -128, 127, &c), static_cast<int32_t>(std::round(x))) << x;
    EXPECT_FALSE(c) << x;
  }
  EXPECT_EQ(QuantizeClamped(127.5f, 1.0f, 0, -128, 127, &c), 127);
  EXPECT_TRUE(c);
  EXPECT_EQ(QuantizeClamped(-1e30f, 1.0f, 0, -128, 127, &c), -128);
  EXPECT_TRUE(c);
  EXPECT_EQ(QuantizeClamped(3e9f, 0.001f, 5, -32768, 32767, &c), 32767);
  EXPECT_TRUE(c);
  EXPECT_EQ(QuantizeClamped(1.0f, 0.001f, 5, -32768, 32767, &c), 1005);
  EXPECT_FALSE(c);
  EXPECT_EQ(QuantizeClamped(0.0f, 0.1f, -128, -128, 127, &c), -128);  // zero point kept
  EXPECT_FALSE(c);
}

TEST(GuardsTest, ClampsOutOfRangeInputsAndCountsThem) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  GuardConfig c;
  ASSERT_EQ(f.Init(c), Status::kOk) << f.last_error;
  const Decision d = f.Step(5.0f, -0.5f);  // 5.0 is past 127/64
  EXPECT_EQ(d.outcome, Outcome::kOk);
  EXPECT_EQ(d.label, 0);
  EXPECT_EQ(f.interp->input(0)->as<int8_t>()[0], 127);
  EXPECT_EQ(f.interp->input(0)->as<int8_t>()[1], -32);
  EXPECT_EQ(f.guard.counters().clamped_values, 1u);
  f.Step(-3.0f, -2.0f);  // -2.0 is exactly -128/64: representable
  EXPECT_EQ(f.interp->input(0)->as<int8_t>()[0], -128);
  EXPECT_EQ(f.guard.counters().clamped_values, 2u);
  EXPECT_EQ(f.guard.counters().invocations, 2u);
}

TEST(GuardsTest, InputScalingFromTheConfigIsApplied) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  const float scale[1] = {0.01f}, offset[1] = {-0.5f};
  GuardConfig c;
  c.scale = {reinterpret_cast<const uint8_t*>(scale), 1};
  c.offset = {reinterpret_cast<const uint8_t*>(offset), 1};
  ASSERT_EQ(f.Init(c), Status::kOk) << f.last_error;
  f.Step(100.0f, 50.0f);  // -> 0.5, 0.0
  EXPECT_EQ(f.interp->input(0)->as<int8_t>()[0], 32);
  EXPECT_EQ(f.interp->input(0)->as<int8_t>()[1], 0);
}

TEST(GuardsTest, NanAndInfWindowsAreRejectedWithoutInvoking) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  GuardConfig c;
  c.fallback_label = 1;
  ASSERT_EQ(f.Init(c), Status::kOk);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float bad : {nan, inf, -inf}) {
    const Decision d = f.Step(0.5f, bad);
    EXPECT_EQ(d.outcome, Outcome::kFallback);
    EXPECT_EQ(d.event, GuardEvent::kNanInput);
    EXPECT_EQ(d.label, 1);
  }
  EXPECT_EQ(f.guard.counters().nan_windows, 3u);
  EXPECT_EQ(f.guard.counters().fallbacks, 3u);
  EXPECT_EQ(f.guard.counters().invocations, 0u);
  const float x[3] = {0, 0, 0};
  EXPECT_EQ(f.guard.Step(x, 3).event, GuardEvent::kBadInput);  // wrong feature count
}

TEST(GuardsTest, HysteresisNeedsMoreToEnterThanToStay) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  GuardConfig c;
  c.confidence_threshold = 0.6f;
  c.hysteresis = 0.1f;  // enter at >= 0.7, stay at >= 0.5
  ASSERT_EQ(f.Init(c), Status::kOk);
  struct Want {
    float a, b;
    int label;
    Outcome outcome;
  } steps[] = {
      {0.65f, 0.0f, 0, Outcome::kUnsure},  // first label needs 0.7
      {0.75f, 0.0f, 0, Outcome::kOk},      // enters label 0
      {0.55f, 0.0f, 0, Outcome::kOk},      // stays: 0.55 >= 0.5
      {0.0f, 0.65f, 1, Outcome::kUnsure},  // a new label needs 0.7
      {0.56f, 0.0f, 0, Outcome::kOk},      // label 0 still held
      {0.45f, 0.0f, 0, Outcome::kUnsure},  // below 0.5: label 0 dropped
      {0.55f, 0.0f, 0, Outcome::kUnsure},  // re-entering needs 0.7 again
      {0.0f, 0.8f, 1, Outcome::kOk},
  };
  int unsure = 0;
  for (const auto& s : steps) {
    const Decision d = f.Step(s.a, s.b);
    EXPECT_EQ(d.label, s.label) << s.a << "," << s.b;
    EXPECT_EQ(d.outcome, s.outcome) << s.a << "," << s.b;
    EXPECT_NEAR(d.confidence, std::max(s.a, s.b), 1.0f / 128);
    unsure += s.outcome == Outcome::kUnsure;
  }
  EXPECT_EQ(f.guard.counters().low_confidence, static_cast<uint32_t>(unsure));
}

TEST(GuardsTest, WarmUpSkipsTheFirstWindows) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  GuardConfig c;
  c.warmup_windows = 3;
  c.fallback_label = 1;
  ASSERT_EQ(f.Init(c), Status::kOk);
  for (int i = 0; i < 3; ++i) {
    const Decision d = f.Step(0.9f, 0.0f);
    EXPECT_EQ(d.outcome, Outcome::kWarmingUp);
    EXPECT_EQ(d.label, 1);
  }
  EXPECT_EQ(f.guard.counters().invocations, 0u);
  EXPECT_EQ(f.Step(0.9f, 0.0f).outcome, Outcome::kOk);
  EXPECT_EQ(f.guard.counters().warmup_skips, 3u);
  EXPECT_EQ(f.guard.counters().invocations, 1u);
  f.guard.Reset();  // a reboot warms up again
  EXPECT_EQ(f.Step(0.9f, 0.0f).outcome, Outcome::kWarmingUp);
}

// A fake clock: each call returns the next value of a script.
struct Script {
  std::vector<uint32_t> t;
  size_t i = 0;
  static uint32_t Next(void* ctx) {
    auto* s = static_cast<Script*>(ctx);
    return s->t[s->i++ % s->t.size()];
  }
};

TEST(GuardsTest, WatchdogOverrunGivesTheSafeDefault) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  Script clock{{100, 400, 1000, 1500, 0xFFFFFF00u, 0x100u}};  // 300, 500, 0x200 cycles
  GuardConfig c;
  c.cycles = Script::Next;
  c.cycles_context = &clock;
  c.cycle_budget = 400;
  c.fallback_label = 1;
  ASSERT_EQ(f.Init(c), Status::kOk);
  Decision d = f.Step(0.9f, 0.0f);
  EXPECT_EQ(d.outcome, Outcome::kOk);
  EXPECT_EQ(d.label, 0);
  d = f.Step(0.9f, 0.0f);
  EXPECT_EQ(d.outcome, Outcome::kFallback);
  EXPECT_EQ(d.event, GuardEvent::kOverrun);
  EXPECT_EQ(d.label, 1);
  d = f.Step(0.9f, 0.0f);  // the counter wrapped: 0x200 = 512 cycles
  EXPECT_EQ(d.event, GuardEvent::kOverrun);
  const GuardCounters& k = f.guard.counters();
  EXPECT_EQ(k.overruns, 2u);
  EXPECT_EQ(k.fallbacks, 2u);
  EXPECT_EQ(k.latency_min, 300u);
  EXPECT_EQ(k.latency_max, 512u);
  EXPECT_EQ(k.latency_mean(), (300u + 500u + 512u) / 3u);
  // A budget without a clock is a configuration error.
  GuardConfig no_clock;
  no_clock.cycle_budget = 10;
  EXPECT_EQ(f.Init(no_clock), Status::kBadArgument);
  EXPECT_NE(f.last_error.find("cycle source"), std::string::npos);
}

TEST(GuardsTest, NonFiniteOutputIsAnErrorWithFallback) {
  // Float weights of 1e30: finite inputs give infinite outputs.
  Fixture f(FcModel(DType::kFloat32, kIdentity, 1e30f));
  GuardConfig c;
  c.fallback_label = 1;
  ASSERT_EQ(f.Init(c), Status::kOk) << f.last_error;
  const Decision d = f.Step(1e30f, 1e30f);
  EXPECT_EQ(d.outcome, Outcome::kFallback);
  EXPECT_EQ(d.event, GuardEvent::kBadOutput);
  EXPECT_EQ(d.label, 1);
  EXPECT_EQ(f.guard.counters().errors, 1u);
  EXPECT_EQ(f.Step(1e-30f, 0.0f).outcome, Outcome::kOk);  // outputs 1.0: finite again
}

TEST(GuardsTest, ReconstructionScoreWithHysteresis) {
  const int8_t keep_first[4] = {127, 0, 0, 0};  // output = (x0, 0)
  Fixture f(FcModel(DType::kInt8, keep_first));
  GuardConfig c;
  c.mode = DecisionMode::kReconstruction;
  c.anomaly_threshold = 0.3f;
  c.hysteresis = 0.1f;
  ASSERT_EQ(f.Init(c), Status::kOk);
  // score = x1^2 / 2 with x1 quantized to 1/64.
  struct Want {
    float x1;
    int label;
  } steps[] = {{1.0f, 1}, {0.7f, 1}, {0.6f, 0}, {0.7f, 0}, {0.8f, 1}};
  for (const auto& s : steps) {
    const Decision d = f.Step(0.25f, s.x1);
    const float q = std::round(s.x1 * 64.0f) / 64.0f;
    EXPECT_NEAR(d.score, q * q / 2.0f, 1e-6f) << s.x1;
    EXPECT_EQ(d.label, s.label) << s.x1;
    EXPECT_EQ(d.outcome, Outcome::kOk);
  }
}

TEST(GuardsTest, InitRejectsMismatchedScalingAndCalibration) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  const float v[3] = {1, 1, 1};
  GuardConfig c;
  c.scale = c.offset = {reinterpret_cast<const uint8_t*>(v), 3};
  EXPECT_EQ(f.Init(c), Status::kBadArgument);
  GuardConfig d;
  d.mean = d.variance = {reinterpret_cast<const uint8_t*>(v), 3};
  EXPECT_EQ(f.Init(d), Status::kBadArgument);
  GuardConfig e;
  e.hysteresis = -1.0f;
  EXPECT_EQ(f.Init(e), Status::kBadArgument);
}

// Deterministic N(mu, sigma) samples (Box-Muller over an LCG).
struct Gauss {
  uint64_t s = 42;
  float Uniform() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (static_cast<float>(s >> 40) + 0.5f) / 16777216.0f;
  }
  float Next(float mu, float sigma) {
    const float u = Uniform(), v = Uniform();
    return mu + sigma * std::sqrt(-2.0f * std::log(u)) * std::cos(6.2831853f * v);
  }
};

TEST(DriftTest, QuietInDistributionAlarmsOnShiftAndSpread) {
  const float mean[2] = {1.0f, -2.0f}, var[2] = {4.0f, 0.25f};
  const F32Array m{reinterpret_cast<const uint8_t*>(mean), 2};
  const F32Array v{reinterpret_cast<const uint8_t*>(var), 2};
  float state[4];
  ErrorText err;
  struct Case {
    float mu1, sd1;  // feature 1's true distribution
    bool alarm;
  } cases[] = {{-2.0f, 0.5f, false}, {0.0f, 0.5f, true}, {-2.0f, 1.5f, true}};
  for (const auto& k : cases) {
    DriftMonitor d;
    ASSERT_EQ(d.Init(m, v, state, 4, DriftConfig{}, &err), Status::kOk) << err.c_str();
    Gauss g;
    for (int i = 0; i < 15; ++i) {
      const float x[2] = {g.Next(1.0f, 2.0f), g.Next(k.mu1, k.sd1)};
      d.Add(x);
      EXPECT_FALSE(d.alarm()) << "no alarm before min_windows";
    }
    for (int i = 0; i < 2000; ++i) {
      const float x[2] = {g.Next(1.0f, 2.0f), g.Next(k.mu1, k.sd1)};
      d.Add(x);
    }
    EXPECT_EQ(d.alarm(), k.alarm) << k.mu1 << " " << k.sd1 << ": shift " << d.max_shift()
                                  << " ratio " << d.max_ratio();
    if (k.alarm) EXPECT_EQ(d.worst_feature() == 1 || d.max_ratio() > 4.0f, true);
    EXPECT_NEAR(d.mean(0), 1.0f, 0.2f);  // Welford running mean
    EXPECT_NEAR(d.variance(0), 4.0f, 0.5f);
  }
  DriftMonitor d;
  EXPECT_EQ(d.Init(m, v, state, 3, DriftConfig{}, &err), Status::kBadArgument);
}

TEST(DriftTest, GuardFeedsScaledInputsToTheMonitor) {
  Fixture f(FcModel(DType::kInt8, kIdentity));
  const float mean[2] = {0.0f, 0.0f}, var[2] = {0.01f, 0.01f};
  GuardConfig c;
  c.mean = {reinterpret_cast<const uint8_t*>(mean), 2};
  c.variance = {reinterpret_cast<const uint8_t*>(var), 2};
  c.drift.min_windows = 4;
  ASSERT_EQ(f.Init(c), Status::kOk) << f.last_error;
  for (int i = 0; i < 4; ++i) f.Step(0.9f, 0.0f);  // 9 standard deviations off on feature 0
  EXPECT_EQ(f.guard.drift().windows(), 4u);
  EXPECT_TRUE(f.guard.drift().alarm());
  EXPECT_EQ(f.guard.drift().worst_feature(), 0);
  EXPECT_NEAR(f.guard.drift().max_shift(), 0.9f / std::sqrt(0.01f + kDriftEpsilon), 1e-3f);
}

}  // namespace
}  // namespace mote::micro

#include "host/io/loaded_model.h"
#include "host/io/manifest.h"
#include "host/io/tflite_edit.h"
#include "micro/safety/telemetry.h"

namespace mote::micro {
namespace {

// The MLPerf Tiny anomaly autoencoder with a manifest: the guard takes its
// configuration from the manifest, quantizes like TFLite (std::round) and
// fills a telemetry record.
TEST(GuardsTest, RealAutoencoderConfiguredFromItsManifest) {
  std::string err;
  auto orig = host::LoadedModel::Open(std::string(MOTE_SHARED_DIR) +
                                          "/models/ad_autoencoder_int8.tflite", &err);
  ASSERT_TRUE(orig) << err;
  const uint32_t n = static_cast<uint32_t>(orig->interpreter().input(0)->elements());
  host::ManifestData md;
  md.name = "ad";
  md.version = {2, 0, 1};
  md.has_thresholds = true;
  md.anomaly_threshold = 50.0f;
  md.warmup_windows = 2;
  md.scale = {2.0f};
  md.offset = {-1.0f};
  md.mean.assign(n, 0.0f);
  md.variance.assign(n, 25.0f);
  auto rec = host::EncodeManifest(md, &err);
  ASSERT_TRUE(rec) << err;
  const std::vector<uint8_t> bytes(orig->bytes().data(), orig->bytes().data() + orig->bytes().size());
  auto edited = host::AddMetadata(bytes, kManifestMetadataName, *rec, &err);
  ASSERT_TRUE(edited) << err;
  auto m = host::LoadedModel::FromBytes(edited->data(), edited->size(), &err);
  ASSERT_TRUE(m) << err;
  Interpreter& interp = m->interpreter();
  Manifest man;
  ErrorText e;
  ASSERT_EQ(FindManifest(&interp.model(), &man, &e), Status::kOk) << e.c_str();
  GuardConfig c;
  c.mode = DecisionMode::kReconstruction;
  ConfigFromManifest(man, &c);
  EXPECT_EQ(c.anomaly_threshold, 50.0f);
  std::vector<float> drift_state(2 * n);
  GuardedModel g;
  ASSERT_EQ(g.Init(&interp, c, drift_state.data(), 2 * n, &e), Status::kOk) << e.c_str();
  std::vector<float> raw(n);
  for (int w = 0; w < 6; ++w) {
    for (uint32_t i = 0; i < n; ++i) raw[i] = std::sin(0.1f * i + w) * 40.0f;  // some saturate
    const Decision d = g.Step(raw.data(), n);
    if (w < 2) {
      EXPECT_EQ(d.outcome, Outcome::kWarmingUp);
      continue;
    }
    EXPECT_EQ(d.outcome, Outcome::kOk);
    EXPECT_EQ(d.label, d.score > 50.0f ? 1 : 0);
    // Oracle: the original model run on inputs quantized with std::round,
    // the mean squared error computed in double.
    Interpreter& ref = orig->interpreter();
    const Tensor& rin = *ref.input(0);
    std::vector<double> x(n);
    for (uint32_t i = 0; i < n; ++i) {
      const double q = std::min(127.0, std::max(-128.0, std::round(static_cast<double>(raw[i] * 2.0f - 1.0f) / rin.scale) + rin.zero_point));
      rin.as<int8_t>()[i] = static_cast<int8_t>(q);
      x[i] = (q - rin.zero_point) * static_cast<double>(rin.scale);
    }
    ASSERT_EQ(ref.Invoke(), Status::kOk);
    const Tensor& rout = *ref.output(0);
    const Tensor& gout = *interp.output(0);
    ASSERT_EQ(std::memcmp(rout.data, gout.data, rout.bytes), 0) << "window " << w;
    double mse = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const double y = (rout.as<int8_t>()[i] - rout.zero_point) * static_cast<double>(rout.scale);
      mse += (y - x[i]) * (y - x[i]);
    }
    mse /= n;
    EXPECT_NEAR(d.score, mse, 1e-4 * mse + 1e-6) << "window " << w;
  }
  EXPECT_GT(g.counters().clamped_values, 0u);
  Telemetry t;
  FillTelemetry(g, man, 77, 5, false, &t);
  EXPECT_EQ(t.model_version.major, 2);
  EXPECT_EQ(t.model_version.patch, 1);
  EXPECT_EQ(t.windows, 6u);
  EXPECT_EQ(t.invocations, 4u);
  EXPECT_EQ(t.warmup_skips, 2u);
  EXPECT_EQ(t.clamped_values, g.counters().clamped_values);
  EXPECT_EQ(t.drift_windows, 4u);
  EXPECT_EQ(t.flags, 1);
  uint8_t buf[kTelemetryBytes];
  ASSERT_EQ(EncodeTelemetry(t, buf, sizeof(buf), &e), Status::kOk);
  Telemetry back;
  ASSERT_EQ(DecodeTelemetry(buf, sizeof(buf), &back, &e), Status::kOk) << e.c_str();
  EXPECT_EQ(back.drift_max_shift, t.drift_max_shift);
}

}  // namespace
}  // namespace mote::micro
