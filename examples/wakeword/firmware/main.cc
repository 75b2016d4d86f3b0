// The wake-word example's device loop on a Cortex-M board (QEMU): a short
// recording (16 kHz mono WAV embedded in flash, standing in for the
// microphone) is fed to the fixed-point front end in 20 ms DMA-sized blocks;
// every hop the model runs on the last 49 frames and its int8 posteriors go
// through the decision logic (micro/wakeword/detector.h); then the core
// sleeps (SysTick + WFI) until the next hop. With look-back
// (MOTE_WW_LOOK_BACK = S > 1) a hop whose best keyword score, or the last
// hop's, reaches MOTE_WW_GATE_UNITS also runs the model on the S - 1 windows
// between the two hops, from the front end's frame history. With verifiers
// (MOTE_WW_VERIFIERS > 0, a cascade) every window the model runs whose best
// keyword score reaches MOTE_WW_VERIFY_UNITS also runs the verifier models on
// the same frames, and the window scores the mean of all of them.
//
// The front-end config and the labels come from the model's manifest
// (FindManifest -> DecodeConfig); input and output quantization from the
// model. The decision parameters are compile-time constants (MOTE_WW_HOP_MS,
// MOTE_WW_THRESHOLD_UNITS, MOTE_WW_WINDOW, MOTE_WW_REFRACTORY_MS,
// MOTE_WW_LOOK_BACK, MOTE_WW_GATE_UNITS, MOTE_WW_VERIFIERS,
// MOTE_WW_VERIFY_UNITS; the verifier models from the point file too) read by the build from the
// operating point file that the ctest also passes to `mote wakeword
// --point`, whose detections and inference count must be the same
// (tests/target/wakeword_vs_host.py).
//
// Output:
//   detect t_ms=<ms> label=<index> name=<label> score=<units>
//   summary: hops=.. inferences=.. verified=.. detections=.. audio_ms=.. stack_used=.. wfi=..
// Each hop's work (front end + model + decision) sits between MoteMarkBegin
// and MoteMarkEnd, so the instruction-count plugin prints one count per hop.
//
// Freestanding: no heap, no exceptions, no stdio (semihosting output).
#include <stdint.h>
#include <string.h>

#include "examples/anomaly/firmware/sleep.h"
#include "firmware/board.h"
#include "micro/dsp/config.h"
#include "micro/dsp/frontend.h"
#include "micro/runtime/interpreter.h"
#include "micro/safety/manifest.h"
#include "micro/wakeword/detector.h"

extern "C" {
extern const uint8_t mote_model[], mote_model_end[];
extern const uint8_t ww_stream[], ww_stream_end[];
extern const uint8_t* const ww_verifiers[];  // [begin, end) per verifier model
}

// The operating point: firmware/CMakeLists.txt defines these from
// examples/wakeword/operating_point.json (or MOTE_WAKEWORD_POINT).
#if !defined(MOTE_WW_HOP_MS) || !defined(MOTE_WW_THRESHOLD_UNITS) || !defined(MOTE_WW_WINDOW) || \
    !defined(MOTE_WW_REFRACTORY_MS) || !defined(MOTE_WW_LOOK_BACK) || !defined(MOTE_WW_GATE_UNITS) || \
    !defined(MOTE_WW_VERIFIERS) || !defined(MOTE_WW_VERIFY_UNITS)
#error "MOTE_WW_* operating point not defined: build through firmware/CMakeLists.txt"
#endif

namespace {

using mote::micro::DType;
using mote::micro::ErrorText;
using mote::micro::Interpreter;
using mote::micro::Manifest;
using mote::micro::Status;
using mote::micro::Tensor;
namespace dsp = mote::micro::dsp;
namespace ww = mote::micro::wakeword;

constexpr size_t kArenaBytes = 48 * 1024;
constexpr int kMaxVerifiers = 4;
constexpr size_t kVerifierArenaBytes = 32 * 1024;
static_assert(MOTE_WW_VERIFIERS <= kMaxVerifiers, "at most 4 verifier models");
constexpr size_t kScratchBytes = 8 * 1024;  // fixed-path KWS front end: ~7.1 KB + history
constexpr size_t kChunk = 320;              // 20 ms at 16 kHz: one DMA block
constexpr uint32_t kSleepTicksPerHop = 4;

alignas(16) uint8_t g_arena[kArenaBytes];
alignas(16) uint8_t g_verifier_arena[kMaxVerifiers][kVerifierArenaBytes];

// The build pads ww_verifiers to kMaxVerifiers entries ({0, 0} when unused).
size_t VerifierBytes(int i) { return static_cast<size_t>(ww_verifiers[2 * i + 1] - ww_verifiers[2 * i]); }
Interpreter g_verifiers[kMaxVerifiers] = {
    {ww_verifiers[0], VerifierBytes(0), g_verifier_arena[0], kVerifierArenaBytes},
    {ww_verifiers[2], VerifierBytes(1), g_verifier_arena[1], kVerifierArenaBytes},
    {ww_verifiers[4], VerifierBytes(2), g_verifier_arena[2], kVerifierArenaBytes},
    {ww_verifiers[6], VerifierBytes(3), g_verifier_arena[3], kVerifierArenaBytes}};
alignas(8) uint8_t g_scratch[kScratchBytes];

uint32_t ReadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

// Finds the 16-bit mono PCM samples of a RIFF/WAVE file; false if it is not one.
bool FindPcm(const uint8_t* p, size_t n, const int16_t** samples, size_t* count, uint32_t* rate) {
  if (n < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WAVE", 4) != 0) return false;
  bool fmt_ok = false;
  for (size_t at = 12; at + 8 <= n;) {
    const uint32_t size = ReadU32(p + at + 4);
    const uint8_t* body = p + at + 8;
    if (size > n - at - 8) return false;
    if (memcmp(p + at, "fmt ", 4) == 0 && size >= 16) {
      const uint16_t format = static_cast<uint16_t>(body[0] | body[1] << 8);
      const uint16_t channels = static_cast<uint16_t>(body[2] | body[3] << 8);
      const uint16_t bits = static_cast<uint16_t>(body[14] | body[15] << 8);
      *rate = ReadU32(body + 4);
      fmt_ok = format == 1 && channels == 1 && bits == 16;
    } else if (memcmp(p + at, "data", 4) == 0) {
      if (!fmt_ok || (reinterpret_cast<uintptr_t>(body) & 1) != 0) return false;
      *samples = reinterpret_cast<const int16_t*>(body);
      *count = size / 2;
      return true;
    }
    at += 8 + size + (size & 1);
  }
  return false;
}

int Fail(const char* what, const char* detail) {
  MoteWrite("mote-fw: ");
  MoteWrite(what);
  MoteWrite(detail);
  MoteWrite("\n");
  return 2;
}

void WriteSpan(const mote::micro::ByteSpan& s) {
  char buf[33];
  const uint32_t n = s.size < 32 ? s.size : 32;
  memcpy(buf, s.data, n);
  buf[n] = '\0';
  MoteWrite(buf);
}

}  // namespace

int main(void) {
  MoteWrite("mote-fw wakeword loop\n");
  const int16_t* pcm = nullptr;
  size_t samples = 0;
  uint32_t rate = 0;
  if (!FindPcm(ww_stream, static_cast<size_t>(ww_stream_end - ww_stream), &pcm, &samples, &rate))
    return Fail("embedded stream is not a 16-bit mono PCM WAV", "");

  Interpreter interp(mote_model, static_cast<size_t>(mote_model_end - mote_model), g_arena,
                     sizeof(g_arena));
  if (interp.AllocateTensors() != Status::kOk) return Fail("AllocateTensors: ", interp.error());
  Manifest m;
  ErrorText err;
  if (FindManifest(&interp.model(), &m, &err) != Status::kOk)
    return Fail("manifest: ", err.c_str());
  if (!m.present || m.front_end.size == 0 || m.num_labels == 0)
    return Fail("the model's manifest needs labels and a front_end config", "");
  dsp::FrontEndConfig fc;
  static dsp::FeatureNorm norm;  // 1 KB: static, not on the stack
  if (dsp::DecodeConfig(m.front_end.data, m.front_end.size, &fc, &norm, &err) != Status::kOk)
    return Fail("front end: ", err.c_str());
  if (fc.sample_rate_hz != rate) return Fail("stream rate differs from the front end's", "");
  // Look-back: a grid step of hop / S must be whole front-end frames.
  constexpr uint32_t kStepMs = MOTE_WW_HOP_MS / MOTE_WW_LOOK_BACK;
  static_assert(MOTE_WW_HOP_MS % MOTE_WW_LOOK_BACK == 0, "hop must be a multiple of look-back");
  const uint32_t step_samples = kStepMs * rate / 1000;
  const uint32_t frame_hop = static_cast<uint32_t>(dsp::HopSamples(fc));
  if (kStepMs * rate % 1000 != 0 || step_samples % frame_hop != 0)
    return Fail("look-back step is not a whole number of front-end frames", "");
  const int step_frames = static_cast<int>(step_samples / frame_hop);
  const int history = (MOTE_WW_LOOK_BACK - 1) * step_frames;
  const size_t fe_scratch = dsp::FrontEnd::ScratchBytes(fc, dsp::FrontEndPath::kFixed, history);
  if (fe_scratch == 0 || fe_scratch > sizeof(g_scratch))
    return Fail("front-end scratch too small", "");
  dsp::FrontEnd fe;
  if (fe.Init(fc, fc.normalize ? &norm : nullptr, dsp::FrontEndPath::kFixed, g_scratch,
              sizeof(g_scratch), &err, history) != Status::kOk)
    return Fail("front end: ", err.c_str());
  Tensor& in = *interp.input(0);
  const Tensor& out = *interp.output(0);
  if (in.type != DType::kInt8 || out.type != DType::kInt8 || !in.quantized || !out.quantized ||
      in.elements() != fc.frames * fe.num_features() ||
      out.elements() != static_cast<int>(m.num_labels) || m.num_labels > ww::kMaxClasses)
    return Fail("expected int8 input [frames x features] and one int8 score per label", "");

  ww::DetectorConfig dc;
  dc.num_classes = static_cast<uint16_t>(m.num_labels);
  dc.window = MOTE_WW_WINDOW;
  dc.hop_ms = MOTE_WW_HOP_MS;
  dc.refractory_ms = MOTE_WW_REFRACTORY_MS;
  dc.sub_hops = MOTE_WW_LOOK_BACK;
  dc.gate = MOTE_WW_GATE_UNITS;
  for (uint32_t k = 0; k < m.num_labels; ++k) {
    const mote::micro::ByteSpan l = m.Label(k);
    const bool ignored = (l.size == 9 && memcmp(l.data, "_silence_", 9) == 0) ||
                         (l.size == 9 && memcmp(l.data, "_unknown_", 9) == 0);
    if (ignored) dc.ignore_mask |= 1u << k;
    dc.threshold[k] = MOTE_WW_THRESHOLD_UNITS;
  }
  dc.verify = MOTE_WW_VERIFIERS > 0 ? MOTE_WW_VERIFY_UNITS : 0;
  ww::Detector det;
  if (det.Init(dc, &err) != Status::kOk) return Fail("detector: ", err.c_str());
  // Verifiers: the model's labels and front end (the same manifest bytes), int8 in and out.
  size_t verifier_arena = 0;
  for (int v = 0; v < MOTE_WW_VERIFIERS; ++v) {
    Interpreter& vi = g_verifiers[v];
    if (vi.AllocateTensors() != Status::kOk) return Fail("verifier AllocateTensors: ", vi.error());
    Manifest vm;
    if (FindManifest(&vi.model(), &vm, &err) != Status::kOk) return Fail("verifier manifest: ", err.c_str());
    const Tensor& vin = *vi.input(0);
    const Tensor& vout = *vi.output(0);
    bool same = vm.num_labels == m.num_labels && vm.front_end.size == m.front_end.size &&
                memcmp(vm.front_end.data, m.front_end.data, m.front_end.size) == 0 &&
                vin.type == DType::kInt8 && vout.type == DType::kInt8 && vin.quantized &&
                vout.quantized && vin.elements() == in.elements() && vout.elements() == out.elements();
    for (uint32_t k = 0; same && k < m.num_labels; ++k)
      same = vm.Label(k).size == m.Label(k).size &&
             memcmp(vm.Label(k).data, m.Label(k).data, m.Label(k).size) == 0;
    if (!same)
      return Fail("a verifier needs the model's labels, front end and int8 input / output shapes", "");
    verifier_arena += vi.arena_used_bytes();
  }

  const size_t hop = static_cast<size_t>(static_cast<uint64_t>(MOTE_WW_HOP_MS) * rate / 1000);
  MoteWrite("model ");
  MoteWriteU(static_cast<uint32_t>(mote_model_end - mote_model));
  MoteWrite(" B, arena_used=");
  MoteWriteU(static_cast<uint32_t>(interp.arena_used_bytes()));
  MoteWrite(" B, fe_scratch=");
  MoteWriteU(static_cast<uint32_t>(fe_scratch));
  MoteWrite(" B, stream ");
  MoteWriteU(static_cast<uint32_t>(samples));
  MoteWrite(" samples, hop ");
  MoteWriteU(MOTE_WW_HOP_MS);
  MoteWrite(" ms, window ");
  MoteWriteU(MOTE_WW_WINDOW);
  MoteWrite(", threshold ");
  MoteWriteU(MOTE_WW_THRESHOLD_UNITS);
  MoteWrite(" units, look-back ");
  MoteWriteU(MOTE_WW_LOOK_BACK);
  MoteWrite(" gate ");
  MoteWriteU(MOTE_WW_GATE_UNITS);
  MoteWrite(" units, refractory ");
  MoteWriteU(MOTE_WW_REFRACTORY_MS);
  MoteWrite(" ms, verifiers ");
  MoteWriteU(MOTE_WW_VERIFIERS);
  MoteWrite(" at ");
  MoteWriteU(dc.verify);
  MoteWrite(" units (arena_used=");
  MoteWriteU(static_cast<uint32_t>(verifier_arena));
  MoteWrite(" B)\n");

  uint32_t inferences = 0, verified = 0;
  bool failed = false;
  // One window (`back` frames behind the newest) through the model and, when
  // its best keyword reaches the verify level, the verifiers: the window's
  // scores. Returns the model's own best keyword score (the look-back gate).
  auto run_window = [&](int back, uint8_t* scores) -> uint8_t {
    fe.CopyFramesS8(in.as<int8_t>(), in.scale, in.zero_point, back);
    failed |= interp.Invoke() != Status::kOk;
    ++inferences;
    ww::ToScores(out.as<int8_t>(), out.zero_point, dc.num_classes, scores);
    const uint8_t best = det.BestKeyword(scores);
    if (MOTE_WW_VERIFIERS == 0 || !det.Verifies(best)) return best;
    ww::ScoreMean mean;
    mean.Add(scores, dc.num_classes);
    for (int v = 0; v < MOTE_WW_VERIFIERS; ++v) {
      Tensor& vin = *g_verifiers[v].input(0);
      const Tensor& vout = *g_verifiers[v].output(0);
      fe.CopyFramesS8(vin.as<int8_t>(), vin.scale, vin.zero_point, back);
      failed |= g_verifiers[v].Invoke() != Status::kOk;
      mean.AddS8(vout.as<int8_t>(), vout.zero_point, dc.num_classes);
    }
    mean.Mean(dc.num_classes, scores);
    ++verified;
    return best;
  };

  anomaly::SleepInit();
  MoteStackPaint();
  uint32_t hops = 0, detections = 0;
  for (size_t pos = 0; pos + hop <= samples; pos += hop, ++hops) {
    MoteMarkBegin();
    for (size_t done = 0; done < hop; done += kChunk) {  // one DMA block at a time
      const size_t n = hop - done < kChunk ? hop - done : kChunk;
      fe.PushSamples(pcm + pos + done, n);
    }
    // Up to one detection per grid step, reported after the hop's work.
    ww::Detection found[MOTE_WW_LOOK_BACK];
    int n_found = 0;
    if (fe.frames_ready() == fc.frames) {
      uint8_t scores[ww::kMaxClasses];
      const uint8_t best = run_window(0, scores);
      const uint32_t t_ms = static_cast<uint32_t>(static_cast<uint64_t>(pos + hop) * 1000 / rate);
      const int runs = det.Anchor(scores, best);
      for (int j = MOTE_WW_LOOK_BACK - 1; j >= 1; --j) {  // oldest first
        if (static_cast<uint32_t>(j) * kStepMs > t_ms) continue;
        const uint32_t tj = t_ms - static_cast<uint32_t>(j) * kStepMs;
        bool fired;
        if (runs > 0 && fe.frames_ready(j * step_frames) == fc.frames) {
          run_window(j * step_frames, scores);
          fired = det.Push(scores, tj, &found[n_found]);
        } else {
          fired = det.Skip(tj, &found[n_found]);
        }
        n_found += fired ? 1 : 0;
      }
      n_found += det.PushAnchor(t_ms, &found[n_found]) ? 1 : 0;
    }
    MoteMarkEnd();
    if (failed) return Fail("Invoke failed", "");
    for (int i = 0; i < n_found; ++i) {
      const ww::Detection& d = found[i];
      ++detections;
      MoteWrite("detect t_ms=");
      MoteWriteU(d.time_ms);
      MoteWrite(" label=");
      MoteWriteI(d.label);
      MoteWrite(" name=");
      WriteSpan(m.Label(static_cast<uint32_t>(d.label)));
      MoteWrite(" score=");
      MoteWriteU(d.score);
      MoteWrite("\n");
    }
    anomaly::SleepTicks(kSleepTicksPerHop);  // until the next hop's audio is in
  }
  MoteWrite("summary: hops=");
  MoteWriteU(hops);
  MoteWrite(" inferences=");
  MoteWriteU(inferences);
  MoteWrite(" verified=");
  MoteWriteU(verified);
  MoteWrite(" detections=");
  MoteWriteU(detections);
  MoteWrite(" audio_ms=");
  MoteWriteU(static_cast<uint32_t>(static_cast<uint64_t>(hops) * hop * 1000 / rate));
  MoteWrite(" stack_used=");
  MoteWriteU(static_cast<uint32_t>(MoteStackUsed()));
  MoteWrite(" wfi=");
  MoteWriteU(anomaly::SleepWfiCount());
  MoteWrite("\nresult: ");
  MoteWrite(detections > 0 ? "PASS" : "FAIL (no detection)");
  MoteWrite("\n");
  return detections > 0 ? 0 : 1;
}
