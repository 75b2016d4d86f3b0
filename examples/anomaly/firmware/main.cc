// The anomaly example's device loop on a Cortex-M board (QEMU): per window of
// 64 samples, read the (simulated) 12-bit ADC, convert counts to sensor units
// and then to int8 with the model's input scale and zero point (saturating;
// clamped samples are counted), Invoke, dequantize the output probability,
// compare it with the threshold, report, and sleep (SysTick + WFI) until the
// next window.
//
// The stream has spikes injected into known windows (adc_sim.h), so the loop
// can score itself: exit status 0 only if every spike window was flagged and
// no normal window was. Everything about the model's quantization is read
// from the model at run time (input(0)/output(0) scale and zero point).
//
// Output, one line per window plus the bytes the model saw (tests/target/
// anomaly_vs_host.py runs the same bytes through the host runtime):
//   window 3: p=1.00 q=127 ANOMALY spike@41 clamped=0
//     in=bfc5...
// then a summary line and `result: PASS` or `result: FAIL`.
//
// Freestanding: no heap, no exceptions, no stdio (semihosting output).
#include <stdint.h>
#include <string.h>

#include "examples/anomaly/firmware/adc_sim.h"
#include "examples/anomaly/firmware/sleep.h"
#include "firmware/board.h"
#include "micro/runtime/interpreter.h"

extern "C" {
extern const uint8_t mote_model[], mote_model_end[];
}

namespace {

using mote::micro::DType;
using mote::micro::Interpreter;
using mote::micro::Status;
using mote::micro::Tensor;

constexpr float kThreshold = 0.5f;       // p >= kThreshold: anomaly
constexpr uint32_t kSleepPerWindow = 8;  // SysTick periods between windows (duty cycle)
constexpr size_t kArenaBytes = 4096;     // `mote inspect` says 1736 B on the host

alignas(16) uint8_t g_arena[kArenaBytes];
uint16_t g_raw[anomaly::kWindow];
int8_t g_window[anomaly::kWindow];  // the model's input bytes, kept for the report

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

void WriteHex(const int8_t* p, int n) {
  static const char kDigits[] = "0123456789abcdef";
  char buf[2 * anomaly::kWindow + 1];
  for (int i = 0; i < n; ++i) {
    const uint8_t b = static_cast<uint8_t>(p[i]);
    buf[2 * i] = kDigits[b >> 4];
    buf[2 * i + 1] = kDigits[b & 15];
  }
  buf[2 * n] = '\0';
  MoteWrite(buf);
}

// Sensor value -> int8 with the model's input quantization: round half away
// from zero (as the TFLite converter's quantize), then saturate. Returns
// true if the value had to be clamped.
bool QuantizeS8(float x, float scale, int32_t zero_point, int8_t* q) {
  const float r = x / scale;
  int32_t v = static_cast<int32_t>(r >= 0.0f ? r + 0.5f : r - 0.5f) + zero_point;
  bool clamped = false;
  if (v < -128) v = -128, clamped = true;
  if (v > 127) v = 127, clamped = true;
  *q = static_cast<int8_t>(v);
  return clamped;
}

}  // namespace

int main(void) {
  MoteWrite("mote-fw anomaly loop\n");
  Interpreter interp(mote_model, static_cast<size_t>(mote_model_end - mote_model), g_arena,
                     sizeof(g_arena));
  if (interp.AllocateTensors() != Status::kOk) {
    MoteWrite("mote-fw: AllocateTensors failed: ");
    MoteWrite(interp.error());
    MoteWrite("\n");
    return 2;
  }
  Tensor& in = *interp.input(0);
  Tensor& out = *interp.output(0);
  if (interp.inputs_size() != 1 || interp.outputs_size() != 1 || in.type != DType::kInt8 ||
      out.type != DType::kInt8 || !in.quantized || !out.quantized ||
      in.elements() != anomaly::kWindow || out.elements() != 1) {
    MoteWrite("mote-fw: expected an int8 model with input [1,64,1] and output [1,1]\n");
    return 2;
  }
  // The quantization comes from the model, not from constants in this file.
  const float in_scale = in.scale, out_scale = out.scale;
  const int32_t in_zp = in.zero_point, out_zp = out.zero_point;
  MoteWrite("model ");
  MoteWriteU(static_cast<uint32_t>(mote_model_end - mote_model));
  MoteWrite(" B, arena_used=");
  MoteWriteU(static_cast<uint32_t>(interp.arena_used_bytes()));
  MoteWrite(" B, input scale=");
  WriteFixed(in_scale, 6);
  MoteWrite(" zero_point=");
  MoteWriteI(in_zp);
  MoteWrite(" (int8 covers ");
  WriteFixed((-128 - in_zp) * in_scale, 3);
  MoteWrite(" .. ");
  WriteFixed((127 - in_zp) * in_scale, 3);
  MoteWrite("), output scale=");
  WriteFixed(out_scale, 8);
  MoteWrite(" zero_point=");
  MoteWriteI(out_zp);
  MoteWrite("\nADC 12-bit, ");
  WriteFixed(anomaly::kVoltsPerCount * 1000.0f / anomaly::kGainVoltsPerUnit, 3);
  MoteWrite(" milli-units/count; threshold p >= ");
  WriteFixed(kThreshold, 2);
  MoteWrite("; sleep ");
  MoteWriteU(kSleepPerWindow);
  MoteWrite(" SysTick periods per window\n");

  anomaly::SleepInit();
  anomaly::AdcSim adc;
  uint32_t flagged = 0, hits = 0, misses = 0, false_alarms = 0, clamped_total = 0;
  for (int w = 0; w < anomaly::kStreamWindows; ++w) {
    // Read: one window from the ADC.
    for (int t = 0; t < anomaly::kWindow; ++t) g_raw[t] = adc.Read();
    // Preprocess: counts -> sensor units -> int8 (saturating).
    uint32_t clamped = 0;
    for (int t = 0; t < anomaly::kWindow; ++t)
      clamped += QuantizeS8(anomaly::AdcCountsToUnits(g_raw[t]), in_scale, in_zp, &g_window[t]) ? 1 : 0;
    clamped_total += clamped;
    // (The input tensor's bytes are reused for activations during Invoke.)
    memcpy(in.data, g_window, sizeof(g_window));
    // Infer.
    if (interp.Invoke() != Status::kOk) {
      MoteWrite("mote-fw: Invoke failed\n");
      return 2;
    }
    // Decide.
    const int8_t q = out.as<int8_t>()[0];
    const float p = static_cast<float>(q - out_zp) * out_scale;
    const bool anomaly_flag = p >= kThreshold;
    const bool expected = anomaly::IsSpikeWindow(w);
    flagged += anomaly_flag;
    hits += anomaly_flag && expected;
    misses += !anomaly_flag && expected;
    false_alarms += anomaly_flag && !expected;
    // Report.
    MoteWrite("window ");
    MoteWriteU(static_cast<uint32_t>(w));
    MoteWrite(": p=");
    WriteFixed(p, 2);
    MoteWrite(" q=");
    MoteWriteI(q);
    MoteWrite(anomaly_flag ? " ANOMALY" : " normal");
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
    WriteHex(g_window, anomaly::kWindow);
    MoteWrite("\n");
    // Sleep until the next window.
    anomaly::SleepTicks(kSleepPerWindow);
  }
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
  MoteWrite("\nsleep: ticks=");
  MoteWriteU(anomaly::SleepTickCount());
  MoteWrite(" wfi=");
  MoteWriteU(anomaly::SleepWfiCount());
  const bool pass = misses == 0 && false_alarms == 0;
  MoteWrite(pass ? "\nresult: PASS\n" : "\nresult: FAIL\n");
  return pass ? 0 : 1;
}
