// Wake-word decision logic: turns the stream of classifier posteriors (one
// vector per inference, every `hop_ms`) into keyword detections.
//
// Contract: integer only, no heap, no globals. Scores are in "posterior
// units": the model's quantized output minus its zero point (an int8 softmax
// with scale 1/256 and zero point -128 gives 0..255 = p * 256). Per class the
// detector keeps the last `window` scores and their sum (moving average). A
// class fires when
//   * it is not ignored (`_silence_`, `_unknown_`: bit set in ignore_mask),
//   * its sum over the last `window` inferences is >= threshold * window
//     (the average reaches the threshold; `window` inferences seen so far),
//   * it has the highest sum of the classes that pass,
//   * no keyword fired in the last `refractory_ms` (a class that passes
//     during that time is disarmed as part of the same utterance), and
//   * the class is armed: after a class fires it stays disarmed until its
//     average falls below the threshold again, so one long utterance gives
//     one detection even when it outlasts the refractory period.
// Time is the caller's (milliseconds of stream at the inference), so the
// detector does not care how often it is called.
//
// Look-back (sub_hops S > 1): the model runs every hop on the newest window
// (the anchor); when the best keyword score of this anchor or of the previous
// one reaches `gate`, it also runs on the S - 1 windows between the two
// anchors (hop / S apart, from the front end's history: FrontEnd::Init's
// `history`, CopyFramesS8's `back`). The detector then works on a grid of
// hop / S: `window` counts grid steps, and a step whose window did not run
// counts as all-zero scores (it can only lower an average). Near a keyword
// the detector sees the stream every hop / S; on everything else the model
// runs once per hop. Per hop, with the anchor's output q at time t:
//
//   const int runs = d.Anchor(q, zp);      // 0, or S - 1 when the gate opens
//   for (int j = S - 1; j >= 1; --j) {      // oldest first; none before time 0
//     const uint32_t tj = t - j * (hop_ms / S);
//     if (runs > 0 && fe.frames_ready(j * step_frames) == frames) {
//       fe.CopyFramesS8(input, scale, zero_point, j * step_frames);  model.Invoke();
//       fired = d.PushS8(output, zp, tj, &det);
//     } else {
//       fired = d.Skip(tj, &det);
//     }
//   }
//   fired = d.PushAnchor(t, &det);          // with S = 1 this is all there is
//
// Verifiers (a cascade, `verify` > 0): the first model runs on every window
// as above; on a window whose best keyword score from it reaches `verify`,
// one or more verifier models also run on the same frames (each with its own
// input quantization), and the window's scores become the mean of all the
// models' scores (ScoreMean, rounded half up). The look-back gate still looks
// at the first model's score alone. Per window:
//
//   uint8_t s[kMaxClasses];
//   ToScores(first_output, first_zp, n, s);
//   const uint8_t best = d.BestKeyword(s);
//   if (d.Verifies(best)) {
//     ScoreMean m;  m.Add(s, n);
//     for (each verifier v) { copy the frames into v's input; v.Invoke(); m.AddS8(v_out, v_zp, n); }
//     m.Mean(n, s);
//   }
//   anchor: runs = d.Anchor(s, best);   windows between: fired = d.Push(s, tj, &det);
//
//   DetectorConfig c;
//   c.num_classes = 12; c.window = 3; c.hop_ms = 250; c.refractory_ms = 1000;
//   for (int k = 0; k < 12; ++k) c.threshold[k] = 179;   // p >= 0.7
//   c.ignore_mask = (1u << 0) | (1u << 1);             // _silence_, _unknown_
//   Detector d;
//   if (d.Init(c, &err) != Status::kOk) ...
//   Detection det;
//   if (d.PushS8(output_s8, -128, now_ms, &det)) report(det.label, det.score, det.time_ms);
#ifndef MOTE_MICRO_WAKEWORD_DETECTOR_H_
#define MOTE_MICRO_WAKEWORD_DETECTOR_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/status.h"

namespace mote::micro::wakeword {

constexpr int kMaxClasses = 32;
constexpr int kMaxWindow = 16;
constexpr uint32_t kMinHopMs = 10;
constexpr uint32_t kMaxHopMs = 2000;
constexpr int kMaxSubHops = 8;

struct DetectorConfig {
  uint16_t num_classes = 0;     // 1..kMaxClasses
  uint16_t window = 1;          // inferences averaged, 1..kMaxWindow
  uint32_t hop_ms = 250;        // time between inferences (documents the caller's hop)
  uint32_t refractory_ms = 1000;
  uint32_t ignore_mask = 0;     // bit k: class k never fires
  uint16_t threshold[kMaxClasses] = {};  // posterior units; > 255 never fires for int8
  uint16_t sub_hops = 1;        // look-back: grid steps per hop, 1..kMaxSubHops (1 = off);
                                // hop_ms must be a multiple
  uint16_t gate = 0;            // look-back: best keyword score (units) of this or the
                                // previous anchor that runs the windows between (0: always)
  uint16_t verify = 0;          // verifiers: the first model's best keyword score (units)
                                // at which they run on a window (0: no verifiers)
};

// Scores of an int8 output: clamp(q - zero_point, 0, 255) per class.
void ToScores(const int8_t* q, int32_t zero_point, int num_classes, uint8_t* scores);

// The per-class mean of several models' scores for one window, rounded half
// up: (sum + models / 2) / models. At most 255 models.
class ScoreMean {
 public:
  void Add(const uint8_t* scores, int num_classes);
  void AddS8(const int8_t* q, int32_t zero_point, int num_classes);
  void Mean(int num_classes, uint8_t* out) const;  // REQUIRES: at least one Add
  int models() const { return models_; }

 private:
  uint32_t sum_[kMaxClasses] = {};
  int models_ = 0;
};

struct Detection {
  int label = -1;        // class index
  uint32_t time_ms = 0;  // the time passed to Push
  uint16_t score = 0;    // average over the window, posterior units (rounded down)
};

class Detector {
 public:
  // Checks the config (err names the field) and resets.
  Status Init(const DetectorConfig& c, ErrorText* err);
  // Forgets the history (as at the start of a stream); keeps the config.
  void Reset();

  // One inference: scores[k] for k < num_classes. Returns true and fills
  // *out when a keyword fires. REQUIRES: Init returned kOk, time_ms does not
  // decrease.
  bool Push(const uint8_t* scores, uint32_t time_ms, Detection* out);
  // The same from an int8 output: score = clamp(q - zero_point, 0, 255).
  bool PushS8(const int8_t* q, int32_t zero_point, uint32_t time_ms, Detection* out);

  // Look-back (see above). Anchor keeps the hop's anchor output and returns
  // how many earlier windows to run: sub_hops - 1 when the gate is open
  // (always 0 with sub_hops 1). Each of those grid steps is then PushS8
  // (window run) or Skip (not run: all-zero scores), oldest first, and
  // PushAnchor pushes the kept anchor last.
  int Anchor(const int8_t* q, int32_t zero_point);
  // The same from scores (a verified window's mean); `gate_best` is the first
  // model's best keyword score, which the look-back gate compares.
  int Anchor(const uint8_t* scores, uint8_t gate_best);
  bool Skip(uint32_t time_ms, Detection* out);
  bool PushAnchor(uint32_t time_ms, Detection* out);

  // The highest score of a class that is not ignored.
  uint8_t BestKeyword(const uint8_t* scores) const;
  // True when the verifiers run on a window whose first model's best keyword
  // score is `best` (verify > 0 and best >= verify).
  bool Verifies(uint8_t best) const { return config_.verify > 0 && best >= config_.verify; }

  // Sum over the last window() scores of class k (for reports and tests).
  uint32_t sum(int k) const { return sum_[k]; }
  uint32_t inferences() const { return count_; }
  const DetectorConfig& config() const { return config_; }

 private:
  DetectorConfig config_{};
  uint8_t history_[kMaxWindow][kMaxClasses] = {};
  uint16_t sum_[kMaxClasses] = {};
  uint32_t armed_ = 0;  // bit k: class k may fire
  uint32_t count_ = 0;
  int head_ = 0;
  bool fired_ = false;
  uint32_t last_fire_ms_ = 0;
  uint8_t anchor_[kMaxClasses] = {};
  uint8_t last_anchor_best_ = 0;  // best keyword score of the previous anchor
  bool ready_ = false;
};

}  // namespace mote::micro::wakeword

#endif  // MOTE_MICRO_WAKEWORD_DETECTOR_H_
