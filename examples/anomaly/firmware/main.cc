// The anomaly example's device loop on a Cortex-M board (QEMU), with the
// field-safety pieces of micro/safety/ in the path a real device takes:
//
//   boot:  the signed model (manifest + Ed25519 signature, from `mote demo
//          anomaly`) is installed into slot A of a simulated NOR flash in RAM
//          (the factory image), then a field update into slot B; ModelSlots
//          with VerifySignedModel (the public key is linked into the image)
//          refuses an unsigned or tampered update and boots the newest slot
//          whose signature verifies, falling back to the older one.
//   setup: the manifest read from the booted model configures the guarded
//          step (input scaling, threshold, calibration statistics for the
//          drift monitor, warm-up, watchdog cycle budget).
//   loop:  per window of 64 samples, read the (simulated) 12-bit ADC, convert
//          counts to sensor units, run the guarded step (clamp + quantize
//          with the model's input scale/zero point, Invoke timed by SysTick,
//          decide), write a field-log record for every anomaly or fallback
//          into a flash log ring, and sleep (SysTick + WFI).
//   end:   a telemetry record (hex) that `mote telemetry decode` reads.
//
// ANOMALY_SCENARIO (compile time) picks what goes wrong: 0 nothing; 1 the
// update has one flipped bit (refused at install; then written committed by
// an unchecked writer, refused again at boot: slot A runs); 2 a front-end
// gain fault from window 30 on saturates the inputs (clamp counters > 0).
//
// The stream has spikes injected into known windows (adc_sim.h), so the loop
// can score itself: exit status 0 only if every spike window was flagged and
// no normal window was. Output, one line per window plus the bytes the model
// saw (tests/target/anomaly_vs_host.py runs the same bytes through `mote run`):
//   window 3: p=1.00 q=127 ANOMALY spike@41 clamped=0
//     in=bfc5...
// Freestanding: no heap, no exceptions, no stdio (semihosting output).
#include <stdint.h>
#include <string.h>

#include "examples/anomaly/firmware/adc_sim.h"
#include "examples/anomaly/firmware/sleep.h"
#include "firmware/board.h"
#include "micro/runtime/interpreter.h"
#include "micro/safety/field_log.h"
#include "micro/safety/field_log_ring.h"
#include "micro/safety/flash_sim.h"
#include "micro/safety/guards.h"
#include "micro/safety/manifest.h"
#include "micro/safety/slot_verifier.h"
#include "micro/safety/slots.h"
#include "micro/safety/telemetry.h"

#ifndef ANOMALY_SCENARIO
#define ANOMALY_SCENARIO 0
#endif

extern "C" {
// The signed model and the public key that verifies it (gen/anomaly_model.S).
extern const uint8_t mote_model[], mote_model_end[];
extern const uint8_t mote_public_key[32];
}

namespace {

using namespace mote::micro;

constexpr int kScenarioTampered = 1, kScenarioSaturated = 2;
constexpr int kGainFaultFrom = 30;         // scenario 2: first saturated window
constexpr float kGainFault = 4.0f;
constexpr uint32_t kSleepPerWindow = 8;    // SysTick periods between windows (duty cycle)
constexpr size_t kArenaBytes = 4096;       // the manifest says what the model needs
constexpr uint32_t kFeatures = anomaly::kWindow;
constexpr uint32_t kDeviceId = 42;

// Simulated NOR flash in RAM: slot A | slot B | field log ring.
constexpr size_t kSector = 1024;
constexpr size_t kSlotBytes = 16 * kSector;
constexpr size_t kLogOffset = 2 * kSlotBytes, kLogBytes = 8 * kSector;
constexpr SlotLayout kLayout = {{0, kSlotBytes}, kSlotBytes};

alignas(16) uint8_t g_flash[2 * kSlotBytes + kLogBytes];
alignas(16) uint8_t g_update[kSlotBytes];  // a received update, in RAM
alignas(16) uint8_t g_arena[kArenaBytes];
float g_drift[2 * kFeatures];
float g_units[kFeatures];
int8_t g_window[kFeatures];  // the model's input bytes, kept for the report

void Line(const char* a, const char* b = "", const char* c = "", const char* d = "") {
  MoteWrite(a);
  MoteWrite(b);
  MoteWrite(c);
  MoteWrite(d);
  MoteWrite("\n");
}

// v with `decimals` digits after the point (|v| < 2^31 / 10^decimals).
void WriteFixed(float v, int decimals) {
  uint32_t pow10 = 1;
  for (int i = 0; i < decimals; ++i) pow10 *= 10;
  if (v < 0.0f) {
    MoteWrite("-");
    v = -v;
  }
  const uint32_t scaled = static_cast<uint32_t>(v * static_cast<float>(pow10) + 0.5f);
  MoteWriteU(scaled / pow10);
  if (decimals == 0) return;
  char frac[12];
  uint32_t f = scaled % pow10;
  for (int i = decimals - 1; i >= 0; --i, f /= 10) frac[i] = static_cast<char>('0' + f % 10);
  frac[decimals] = '\0';
  MoteWrite(".");
  MoteWrite(frac);
}

void WriteHex(const void* data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  const uint8_t* p = static_cast<const uint8_t*>(data);
  char buf[65];
  while (n > 0) {
    const size_t k = n < 32 ? n : 32;
    for (size_t i = 0; i < k; ++i) {
      buf[2 * i] = kDigits[p[i] >> 4];
      buf[2 * i + 1] = kDigits[p[i] & 15];
    }
    buf[2 * k] = '\0';
    MoteWrite(buf);
    p += k;
    n -= k;
  }
}

void WriteSpan(const ByteSpan& s) {
  char buf[33];
  const uint32_t n = s.size < 32 ? s.size : 32;
  memcpy(buf, s.data, n);
  buf[n] = '\0';
  MoteWrite(buf);
}

// The watchdog's clock: SysTick counting core cycles, free-running (no
// interrupt) while a window is processed. QEMU does not model DWT CYCCNT.
namespace wdclock {
inline volatile uint32_t& Reg(uintptr_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }
constexpr uint32_t kReload = 0xFFFFFF;
void Start() {
  Reg(0xE000E014) = kReload;
  Reg(0xE000E018) = 0;
  Reg(0xE000E010) = 0x5;  // core clock, enable, no interrupt
}
void Stop() { Reg(0xE000E010) = 0; }
// VAL reads 0 until the first reload after Start(): count that as 0 elapsed.
uint32_t Cycles(void*) {
  const uint32_t v = Reg(0xE000E018) & kReload;
  return v == 0 ? 0 : kReload - v;
}
}  // namespace wdclock

const char* SlotName(int slot) { return slot == 0 ? "A" : slot == 1 ? "B" : "-"; }

void ReportSlot(int i, const SlotInfo& s) {
  MoteWrite("  slot ");
  MoteWrite(SlotName(i));
  MoteWrite(": ");
  MoteWrite(SlotStateName(s.state));
  if (s.state == SlotState::kRejected) {
    MoteWrite(" (");
    MoteWrite(StatusName(s.verifier_status));
    MoteWrite(")");
  }
  if (s.state != SlotState::kEmpty) {
    MoteWrite(" model_version=");
    MoteWriteU(s.model_version);
    MoteWrite(" seq=");
    MoteWriteU(s.sequence);
  }
  MoteWrite("\n");
}

// Installs the factory image and the field update, then boots. Returns false
// when nothing verifiable is left (the device then fails safe).
bool BootSignedModel(SimFlash* flash, BootResult* boot) {
  SignedModelPolicy policy;
  policy.public_key = mote_public_key;
  ModelSlots slots(flash, kLayout, VerifySignedModel, &policy);
  ErrorText err;
  const size_t size = static_cast<size_t>(mote_model_end - mote_model);
  if (slots.Install(mote_model, size, 1, &err) != Status::kOk) {
    Line("factory model -> slot A: REFUSED: ", err.c_str(), ": ", policy.last_error.c_str());
  } else {
    MoteWrite("factory model -> slot A: ok (");
    MoteWriteU(static_cast<uint32_t>(size));
    MoteWrite(" B, signature verified)\n");
  }
  // The field update: the same signed model as version 2, or (scenario 1)
  // the same bytes with one bit flipped in transit.
  if (size > sizeof(g_update)) {
    Line("update: too large for the slot");
    return false;
  }
  memcpy(g_update, mote_model, size);
  if (ANOMALY_SCENARIO == kScenarioTampered) g_update[size / 2] ^= 0x10;
  if (slots.Install(g_update, size, 2, &err) != Status::kOk) {
    Line("update v2 -> slot B: REFUSED: ", StatusName(policy.last_status), ": ",
         policy.last_error.c_str());
    if (ANOMALY_SCENARIO == kScenarioTampered) {
      // Simulates an image that reached flash without a check (a debugger, an
      // old bootloader): committed with a correct CRC. Boot must refuse it.
      ModelSlots unchecked(flash, kLayout);
      if (unchecked.Install(g_update, size, 2, &err) == Status::kOk)
        Line("(simulated) the tampered update written to slot B without a signature check");
    }
  } else {
    Line("update v2 -> slot B: ok (signature verified)");
  }
  MoteStackPaint();
  MoteMarkBegin();  // instruction count of Boot(): both slots, CRC + signature each
  const Status s = slots.Boot(boot, &err);
  MoteMarkEnd();
  MoteWrite("boot: ");
  MoteWriteU(policy.checked);
  MoteWrite(" signature checks so far, stack ");
  MoteWriteU(static_cast<uint32_t>(MoteStackUsed()));
  MoteWrite(" B\n");
  ReportSlot(0, boot->info[0]);
  ReportSlot(1, boot->info[1]);
  if (s != Status::kOk) {
    Line("boot: no slot holds a model signed by this device's key: ", err.c_str());
    return false;
  }
  MoteWrite("booting slot ");
  MoteWrite(SlotName(boot->slot));
  MoteWrite(boot->fell_back ? " (fell back: the newer slot was refused)\n" : "\n");
  return true;
}

void ReportManifest(const Manifest& m, const Interpreter& interp, const Tensor& in) {
  MoteWrite("manifest: ");
  WriteSpan(m.name);
  MoteWrite(" ");
  MoteWriteU(m.version.major);
  MoteWrite(".");
  MoteWriteU(m.version.minor);
  MoteWrite(".");
  MoteWriteU(m.version.patch);
  MoteWrite(", labels");
  for (uint32_t i = 0; i < m.num_labels; ++i) {
    MoteWrite(i ? "," : " ");
    WriteSpan(m.Label(i));
  }
  MoteWrite(", anomaly threshold p >= ");
  WriteFixed(m.anomaly_threshold, 2);
  MoteWrite(", calibration ");
  MoteWriteU(m.mean.count);
  MoteWrite(" features, arena ");
  MoteWriteU(m.arena_bytes);
  MoteWrite(" B (used ");
  MoteWriteU(static_cast<uint32_t>(interp.arena_used_bytes()));
  MoteWrite(" B), cycle budget ");
  MoteWriteU(m.cycle_budget);
  MoteWrite(", warm-up ");
  MoteWriteU(m.warmup_windows);
  MoteWrite("\ninput scale=");
  WriteFixed(in.scale, 6);
  MoteWrite(" zero_point=");
  MoteWriteI(in.zero_point);
  MoteWrite(" (int8 covers ");
  WriteFixed((-128 - in.zero_point) * in.scale, 3);
  MoteWrite(" .. ");
  WriteFixed((127 - in.zero_point) * in.scale, 3);
  MoteWrite(")\n");
}

// Counts the records a ring dump yields.
class CountSink : public LogSink {
 public:
  Status Begin(size_t) override {
    ++records_;
    return Status::kOk;
  }
  Status Write(const uint8_t*, size_t) override { return Status::kOk; }
  uint32_t records() const { return records_; }

 private:
  uint32_t records_ = 0;
};

int FailSafe(const char* what, const ErrorText& err) {
  Line("mote-fw: ", what, ": ", err.c_str());
  Line("result: FAIL-SAFE (no model runs)");
  return 3;
}

}  // namespace

int main(void) {
  MoteWrite("mote-fw anomaly loop (field safety, scenario ");
  MoteWriteU(ANOMALY_SCENARIO);
  MoteWrite(")\n");
  ErrorText err;
  SimFlash flash(g_flash, sizeof(g_flash), kSector);
  BootResult boot;
  if (!BootSignedModel(&flash, &boot)) return FailSafe("boot", err);
  const uint32_t model_version = boot.info[boot.slot].model_version;

  Interpreter interp(boot.image, boot.size, g_arena, sizeof(g_arena));
  if (interp.AllocateTensors() != Status::kOk) {
    Line("mote-fw: AllocateTensors failed: ", interp.error());
    return 2;
  }
  Manifest manifest;
  if (FindManifest(&interp.model(), &manifest, &err) != Status::kOk) return FailSafe("manifest", err);
  if (!manifest.present) return FailSafe("manifest", err.Add("the model has no mote.manifest"));
  if (CheckRuntimeVersion(manifest, kRuntimeVersion, &err) != Status::kOk)
    return FailSafe("manifest", err);
  Tensor& in = *interp.input(0);
  Tensor& out = *interp.output(0);
  if (in.type != DType::kInt8 || !in.quantized || in.elements() != kFeatures ||
      out.elements() != 1 || !manifest.has_thresholds) {
    Line("mote-fw: expected an int8 model with input [1,64,1], output [1,1] and thresholds");
    return 2;
  }
  ReportManifest(manifest, interp, in);

  GuardConfig cfg;
  cfg.mode = DecisionMode::kClassifier;
  cfg.cycles = wdclock::Cycles;
  cfg.fallback_label = 0;  // safe default: "normal", no alarm on a broken window
  ConfigFromManifest(manifest, &cfg);
  GuardedModel guard;
  if (guard.Init(&interp, cfg, g_drift, 2 * kFeatures, &err) != Status::kOk)
    return FailSafe("guard", err);
  FlashLogRing ring(&flash, kLogOffset, kLogBytes);
  if (ring.Open(&err) != Status::kOk) return FailSafe("field log", err);

  MoteWrite("ADC 12-bit, ");
  WriteFixed(anomaly::kVoltsPerCount * 1000.0f / anomaly::kGainVoltsPerUnit, 3);
  MoteWrite(" milli-units/count; sleep ");
  MoteWriteU(kSleepPerWindow);
  MoteWrite(" SysTick periods per window\n");

  anomaly::SleepInit();
  anomaly::AdcSim adc;
  uint32_t flagged = 0, hits = 0, misses = 0, false_alarms = 0, clamped_total = 0, logged = 0;
  for (int w = 0; w < anomaly::kStreamWindows; ++w) {
    // Read: one window from the ADC, counts -> sensor units.
    const float gain = ANOMALY_SCENARIO == kScenarioSaturated && w >= kGainFaultFrom ? kGainFault : 1.0f;
    for (uint32_t t = 0; t < kFeatures; ++t) g_units[t] = anomaly::AdcCountsToUnits(adc.Read()) * gain;
    // The bytes the guard gives the model (same function, same arithmetic), for the report.
    uint32_t clamped = 0;
    for (uint32_t t = 0; t < kFeatures; ++t) {
      bool c = false;
      const float x = g_units[t] * manifest.Scale(t) + manifest.Offset(t);
      g_window[t] = static_cast<int8_t>(QuantizeClamped(x, in.scale, in.zero_point, -128, 127, &c));
      clamped += c ? 1 : 0;
    }
    clamped_total += clamped;
    // Guarded step: NaN check, scaling, drift, clamp + quantize, timed Invoke, decision.
    wdclock::Start();
    const Decision d = guard.Step(g_units, kFeatures);
    wdclock::Stop();
    const bool ran = d.outcome == Outcome::kOk || d.outcome == Outcome::kUnsure;
    const int8_t q = out.as<int8_t>()[0];
    const bool anomaly_flag = ran && d.score >= manifest.anomaly_threshold;
    const bool expected = anomaly::IsSpikeWindow(w);
    flagged += anomaly_flag;
    hits += anomaly_flag && expected;
    misses += !anomaly_flag && expected;
    false_alarms += anomaly_flag && !expected;
    // Field log: every anomaly and every window the model could not decide.
    if (anomaly_flag || !ran) {
      const LogContext ctx[] = {{kLogKeyUser, static_cast<int16_t>(clamped)},
                                {static_cast<uint8_t>(kLogKeyUser + 1), static_cast<int16_t>(d.event)}};
      LogRecord r;
      r.timestamp_ms = anomaly::SleepTickCount();  // ~1 ms per tick
      r.device_id = kDeviceId;
      r.model_version = model_version;
      r.decision = static_cast<uint8_t>(anomaly_flag ? 1 : 0);
      const float conf = d.confidence < 0.0f ? 0.0f : d.confidence > 1.0f ? 1.0f : d.confidence;
      r.confidence_q16 = static_cast<uint16_t>(conf * 65535.0f + 0.5f);
      r.context = ctx;
      r.context_count = 2;
      r.sample_type = SampleType::kInt8;
      r.samples = g_window;
      r.sample_count = static_cast<uint16_t>(kFeatures);
      if (AppendLogRecord(&ring, r, &err) == Status::kOk) ++logged;
      else Line("field log: append failed: ", err.c_str());
    }
    // Report.
    MoteWrite("window ");
    MoteWriteU(static_cast<uint32_t>(w));
    if (ran) {
      MoteWrite(": p=");
      WriteFixed(d.score, 2);
      MoteWrite(" q=");
      MoteWriteI(q);
      MoteWrite(anomaly_flag ? " ANOMALY" : " normal");
    } else {
      MoteWrite(": ");
      MoteWrite(OutcomeName(d.outcome));
      MoteWrite(" ");
      MoteWrite(GuardEventName(d.event));
    }
    if (expected) {
      MoteWrite(" spike@");
      MoteWriteU(static_cast<uint32_t>(adc.spike_at()));
      MoteWrite("+");
      WriteFixed(adc.spike_height(), 2);
    }
    if (clamped) {
      MoteWrite(" clamped=");
      MoteWriteU(clamped);
    }
    if (anomaly_flag != expected) MoteWrite(expected ? "  <- MISSED" : "  <- FALSE ALARM");
    MoteWrite("\n  in=");
    WriteHex(g_window, kFeatures);
    MoteWrite("\n");
    anomaly::SleepTicks(kSleepPerWindow);
  }
  const GuardCounters& c = guard.counters();
  MoteWrite("summary: windows=");
  MoteWriteU(anomaly::kStreamWindows);
  MoteWrite(" flagged=");
  MoteWriteU(flagged);
  MoteWrite(" expected=");
  MoteWriteU(anomaly::kSpikeCount);
  MoteWrite(" hits=");
  MoteWriteU(hits);
  MoteWrite(" misses=");
  MoteWriteU(misses);
  MoteWrite(" false_alarms=");
  MoteWriteU(false_alarms);
  MoteWrite(" clamped_samples=");
  MoteWriteU(clamped_total);
  MoteWrite("\nguard: invocations=");
  MoteWriteU(c.invocations);
  MoteWrite(" fallbacks=");
  MoteWriteU(c.fallbacks);
  MoteWrite(" overruns=");
  MoteWriteU(c.overruns);
  MoteWrite(" clamped_values=");
  MoteWriteU(c.clamped_values);
  MoteWrite(" latency_cycles(min/mean/max)=");
  MoteWriteU(c.latency_min);
  MoteWrite("/");
  MoteWriteU(c.latency_mean());
  MoteWrite("/");
  MoteWriteU(c.latency_max);
  MoteWrite(" drift=");
  MoteWrite(guard.drift().alarm() ? "ALARM" : "ok");
  CountSink dump;
  ring.Dump(&dump, &err);
  MoteWrite("\nfield log: ");
  MoteWriteU(logged);
  MoteWrite(" records written, ");
  MoteWriteU(dump.records());
  MoteWrite(" read back intact from the flash ring\n");
  Telemetry t;
  FillTelemetry(guard, manifest, anomaly::SleepTickCount() / 1000, 1, cfg.cycle_budget != 0, &t);
  uint8_t rec[kTelemetryBytes];
  if (EncodeTelemetry(t, rec, sizeof(rec), &err) != Status::kOk) return FailSafe("telemetry", err);
  MoteWrite("telemetry: ");
  WriteHex(rec, sizeof(rec));
  MoteWrite("\nsleep: ticks=");
  MoteWriteU(anomaly::SleepTickCount());
  MoteWrite(" wfi=");
  MoteWriteU(anomaly::SleepWfiCount());
  const bool pass = misses == 0 && false_alarms == 0;
  MoteWrite(pass ? "\nresult: PASS\n" : "\nresult: FAIL\n");
  return pass ? 0 : 1;
}
