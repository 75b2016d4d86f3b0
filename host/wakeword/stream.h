// Streaming wake-word detection on the host, exactly as the device does it:
// int16 samples are pushed into micro::dsp::FrontEnd in chunks (default
// 20 ms, a microphone DMA block), the model runs every hop once the ring holds
// a full window of frames (CopyFramesS8 with the model's input scale / zero
// point), and its int8 posteriors go through micro::wakeword::Detector.
//
// The two stages are split so a threshold sweep reruns only the cheap one:
// RunPosteriors (front end + model, the slow part) then Detect (decision).
// Score compares detections with a synth-stream ground truth CSV.
//
//   std::string err;
//   auto kws = KwsModel::Open("kws_int8.tflite", {}, &err);   // manifest: labels + front end
//   Posteriors p;
//   if (!RunPosteriors(kws.get(), samples, StreamOptions{}, &p, &err)) ...
//   DetectorConfig dc = MakeDetectorConfig(*kws, p, 0.7f, 3, 1000);
//   std::vector<StreamDetection> dets = Detect(p, dc);
//   StreamScore s = Score(dets, truth, kws->labels, ScoreOptions{}, p.duration_s);
#ifndef MOTE_HOST_WAKEWORD_STREAM_H_
#define MOTE_HOST_WAKEWORD_STREAM_H_

#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

#include "host/io/loaded_model.h"
#include "micro/dsp/config.h"
#include "micro/wakeword/detector.h"

namespace mote::host::wakeword {

// A keyword model with its front end and labels.
struct KwsModel {
  std::unique_ptr<LoadedModel> model;
  micro::dsp::FrontEndConfig fe;
  micro::dsp::FeatureNorm norm;
  std::vector<std::string> labels;
  float out_scale = 0.0f;
  int32_t out_zero_point = 0;

  // Labels and front end from the model's manifest; `frontend_blob` and
  // `labels` (when not empty) replace / supply what the manifest lacks.
  // Checks: int8 input of frames x features elements, int8 output with one
  // score per label.
  static std::unique_ptr<KwsModel> Open(const std::string& path,
                                        const std::vector<uint8_t>& frontend_blob,
                                        const std::vector<std::string>& labels, std::string* err);
};

// A verifier must see what the first model sees and score the same classes:
// the same labels and the same front-end config (with its normalisation).
// False and *why (naming the difference) otherwise.
bool SameFeaturesAndLabels(const KwsModel& first, const KwsModel& verifier, std::string* why);

struct StreamOptions {
  uint32_t hop_ms = 250;        // model every hop (a multiple of the front end's hop)
  uint32_t chunk_samples = 320; // PushSamples block
};

// Model outputs, one row per inference.
struct Posteriors {
  int num_classes = 0;
  uint32_t hop_ms = 0;
  double duration_s = 0.0;
  double window_s = 0.0;             // audio one inference sees
  std::vector<uint32_t> time_ms;     // stream time at the inference (end of its window)
  std::vector<int8_t> scores;        // [inference][class], raw int8 output
  int32_t zero_point = 0;            // the model's output zero point
};

// Runs the stream; false and *err on a front-end or model failure.
bool RunPosteriors(KwsModel* kws, const std::vector<int16_t>& samples, uint32_t sample_rate,
                   const StreamOptions& opt, Posteriors* out, std::string* err);
// The same for a cascade: the first model into *out and every verifier into
// (*verifier_out)[i], over the same grid. *err says "verifier: ..." when a
// verifier failed.
bool RunCascadePosteriors(KwsModel* first, const std::vector<std::unique_ptr<KwsModel>>& verifiers,
                          const std::vector<int16_t>& samples, uint32_t sample_rate,
                          const StreamOptions& opt, Posteriors* out,
                          std::vector<Posteriors>* verifier_out, std::string* err);

// Detector config: every label except `_silence_` / `_unknown_` (and names
// in `ignore`) gets the probability `threshold` (converted to output units).
micro::wakeword::DetectorConfig MakeDetectorConfig(const KwsModel& kws, uint32_t hop_ms,
                                                   float threshold, int window,
                                                   uint32_t refractory_ms,
                                                   const std::vector<std::string>& ignore = {});

struct StreamDetection {
  int label = -1;
  double time_s = 0.0;
  float score = 0.0f;  // average probability over the window
  int units = 0;       // the same in output units (Detection::score)
};

// The detector over the posteriors, as the device loop drives it. With
// look-back (c.sub_hops S > 1) `p` must come from RunPosteriors at hop
// c.hop_ms / S (every grid window); rows at multiples of c.hop_ms are the
// anchors, and the rows between two anchors count only when the detector's
// gate opens (micro/wakeword/detector.h), as the device runs them only then.
// *model_runs (optional): the inferences the device makes (anchors plus
// windows run by look-back). Empty when p.hop_ms != c.hop_ms / S.
// Verifiers (c.verify > 0): `verifiers` are the verifier models' posteriors
// over the same grid (RunPosteriors with the same options; empty result when
// a row count differs); a window run whose first-model best keyword score
// reaches c.verify is scored as the mean of all the models (ScoreMean), as
// the device does. *verified (optional): such windows (each costs one run
// of every verifier).
std::vector<StreamDetection> Detect(const KwsModel& kws, const Posteriors& p,
                                    const micro::wakeword::DetectorConfig& c,
                                    size_t* model_runs = nullptr,
                                    const std::vector<Posteriors>& verifiers = {},
                                    size_t* verified = nullptr);

// Front-end frames per look-back grid step (hop_ms / look_back: the `back`
// of CopyFramesS8 per step), or -1 when hop_ms is not a multiple of
// look_back or the step is not a whole number of frame hops.
int StepFrames(const KwsModel& kws, uint32_t hop_ms, int look_back);

// A probability as output units (q - zero point), rounded up: the smallest
// score that reaches it.
uint16_t ProbabilityUnits(const KwsModel& kws, float p);

// Ground truth: `keyword,start_s,end_s[,speaker]` rows (header line allowed).
struct TruthEvent {
  std::string keyword;
  double start_s = 0.0, end_s = 0.0;
  std::string speaker;  // optional 4th column (synth-stream writes it)
};
bool LoadTruth(const std::string& path, std::vector<TruthEvent>* out, std::string* err);

struct ScoreOptions {
  double tolerance_s = 0.25;  // added around each true keyword
  double span_s = 1.0;        // audio behind a detection (window + smoothing)
};

// False rejects of one group of true keywords (a speaker or a keyword label).
struct GroupMisses {
  std::string name;
  int keywords = 0, missed = 0;
};

struct StreamScore {
  int keywords = 0, detected = 0, false_rejects = 0;
  int false_accepts = 0;   // no overlapping true keyword, or a different one
  int wrong_keyword = 0;   // part of false_accepts: overlaps a different keyword
  int duplicates = 0;      // a second correct detection of the same keyword
  double non_keyword_hours = 0.0;
  double fa_per_hour = 0.0, frr = 0.0;
  // Standard error of frr with speakers as clusters (the truth's speaker
  // column): how much frr moves with another set of as many speakers. 0
  // without speakers or with fewer than two.
  double frr_se = 0.0;
  std::vector<int> detection_match;  // per detection: truth index, -1 (false accept)
  std::vector<int> missed;           // truth indices never detected, in stream order
};

// A detection at t covers [t - span, t]; it matches truth event i when the
// labels agree and the interval overlaps [start - tol, end + tol].
// non_keyword_hours = (duration - sum(end - start)) / 3600.
StreamScore Score(const std::vector<StreamDetection>& dets, const std::vector<TruthEvent>& truth,
                  const std::vector<std::string>& labels, const ScoreOptions& opt,
                  double duration_s);

// Several recordings scored as one (`scores[r]` of `truths[r]`): counts and
// hours summed, frr and fa_per_hour of the sums, frr_se over the speakers of
// all of them (a name in two recordings is one speaker). `missed` and
// `detection_match` index the truths one after another, as if concatenated.
StreamScore Pool(const std::vector<StreamScore>& scores,
                 const std::vector<std::vector<TruthEvent>>& truths);

// Where the false rejects concentrate: the truth rows grouped by speaker
// (rows that name none left out) or by keyword, with the misses of each
// (`missed`: StreamScore::missed of that truth), most misses first, then by
// name. Score uses the speaker groups for frr_se; reports call it for the
// rows they print, not every sweep row.
enum class GroupBy { kSpeaker, kKeyword };
std::vector<GroupMisses> MissesBy(const std::vector<TruthEvent>& truth, const std::vector<int>& missed,
                                  GroupBy by);

}  // namespace mote::host::wakeword

#endif  // MOTE_HOST_WAKEWORD_STREAM_H_
