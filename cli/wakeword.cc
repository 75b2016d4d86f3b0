// mote wakeword MODEL STREAM.wav [MORE.wav ...] [--point operating_point.json] [--hop 250ms]
//   [--threshold P] [--window K] [--refractory 1000ms] [--truth STREAM.csv ...] [--sweep] [--json]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/wakeword_sweep.h"
#include "host/dsp/config_json.h"
#include "host/io/wav.h"
#include "host/wakeword/stream.h"

namespace mote::cli {
namespace {

namespace ww = host::wakeword;
using nlohmann::json;

struct WakewordOptions {
  std::string model, frontend, labels, ignore, point, hop = "250ms", refractory = "1000ms";
  std::vector<std::string> streams, truth;  // one truth CSV per recording, or none
  std::vector<std::string> verifiers;       // verifier models (a cascade)
  int verify_units = 128;                   // first model's best keyword score that runs them
  std::vector<int> sweep_windows;
  float threshold = 0.6f;
  int window = 3;
  int threshold_units = -1;  // >= 0: exact threshold in output units (overrides --threshold)
  int look_back = 1;         // grid steps per hop (detector sub_hops)
  float gate = 0.0f;
  int gate_units = -1;       // >= 0: exact gate in output units (overrides --gate)
  int chunk = 320;
  double tolerance = 0.25;
  bool sweep = false, json = false;
};

// "250ms", "0.25s" or "250" (milliseconds) -> milliseconds.
uint32_t ParseMs(const std::string& what, const std::string& text) {
  std::string num = text;
  double mul = 1.0;
  if (num.size() > 2 && num.compare(num.size() - 2, 2, "ms") == 0) {
    num.resize(num.size() - 2);
  } else if (num.size() > 1 && num.back() == 's') {
    num.pop_back();
    mul = 1000.0;
  }
  char* end = nullptr;
  const double v = std::strtod(num.c_str(), &end);
  if (num.empty() || *end != '\0' || !std::isfinite(v) || v < 0 || v * mul > 3.6e6)
    throw CommandError(what + ": expected a duration like 250ms or 0.5s, got '" + text + "'");
  return static_cast<uint32_t>(std::lround(v * mul));
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::vector<uint8_t> LoadFrontEnd(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CommandError(path + ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    micro::dsp::FrontEndConfig c;
    micro::dsp::FeatureNorm n;
    try {
      host::dsp::ConfigFromJson(json::parse(bytes), &c, &n);
    } catch (const std::exception& e) {
      throw CommandError(path + ": " + e.what());
    }
    std::vector<uint8_t> blob(micro::dsp::kMaxConfigBytes);
    const size_t size = micro::dsp::EncodeConfig(c, c.normalize ? &n : nullptr, blob.data(),
                                                 blob.size());
    if (size == 0) throw CommandError(path + ": invalid front-end config");
    blob.resize(size);
    return blob;
  }
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

json ScoreJson(const ww::StreamScore& s) {
  return {{"keywords", s.keywords},         {"detected", s.detected},
          {"false_rejects", s.false_rejects}, {"frr", s.frr}, {"frr_se", s.frr_se},
          {"false_accepts", s.false_accepts}, {"wrong_keyword", s.wrong_keyword},
          {"duplicates", s.duplicates},       {"non_keyword_hours", s.non_keyword_hours},
          {"fa_per_hour", s.fa_per_hour}};
}

// --point FILE (operating_point.json of `mote demo wakeword`): hop, window,
// refractory, threshold and gate units, look-back, and when the file has them
// the verifiers (paths relative to the file) and verify_units, except those
// given on `cmd`'s command line.
void ApplyPoint(const std::string& path, const CLI::App& cmd, WakewordOptions* o) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CommandError(path + ": cannot open");
  json p;
  try {
    p = json::parse(f);
  } catch (const std::exception& e) {
    throw CommandError(path + ": not JSON: " + e.what());
  }
  auto get = [&](const char* key) {
    if (!p.is_object() || !p.contains(key) || !p[key].is_number_integer() || p[key].get<int64_t>() < 0 ||
        p[key].get<int64_t>() > 3600000)
      throw CommandError(path + ": needs '" + key + "', a whole number >= 0 (an operating point "
                         "written by `mote demo wakeword`)");
    return p[key].get<int>();
  };
  const int hop = get("hop_ms"), window = get("window"), refractory = get("refractory_ms");
  const int units = get("threshold_units"), look_back = get("look_back"), gate = get("gate_units");
  auto given = [&cmd](const char* flag) { return cmd.count(flag) > 0; };
  if (!given("--hop")) o->hop = std::to_string(hop) + "ms";
  if (!given("--window")) o->window = window;
  if (!given("--refractory")) o->refractory = std::to_string(refractory) + "ms";
  if (!given("--threshold-units") && !given("--threshold")) o->threshold_units = units;
  if (!given("--look-back")) o->look_back = look_back;
  if (!given("--gate-units") && !given("--gate")) o->gate_units = gate;
  if (p.contains("verifiers") && !given("--verifier")) {
    const json& v = p["verifiers"];
    if (!v.is_array() || v.empty())
      throw CommandError(path + ": 'verifiers' must be a list of model files (relative to it)");
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    o->verifiers.clear();
    for (const json& name : v) {
      if (!name.is_string()) throw CommandError(path + ": 'verifiers' must be a list of file names");
      o->verifiers.push_back((dir / name.get<std::string>()).string());
    }
    if (!given("--verify-units")) o->verify_units = get("verify_units");
  }
}

// One recording through the model and the detector, scored against its truth
// when there is one.
struct Recording {
  std::string path;
  ww::Posteriors post;
  std::vector<ww::TruthEvent> truth;
  std::vector<ww::StreamDetection> dets;
  size_t runs = 0, verified = 0;  // first-model runs; windows the verifiers ran on
  ww::StreamScore score;
};

// The misses per group, for the report.
json ByKeyword(const std::vector<ww::TruthEvent>& truth, const ww::StreamScore& s) {
  return GroupsJson(ww::MissesBy(truth, s.missed, ww::GroupBy::kKeyword));
}
json BySpeaker(const std::vector<ww::TruthEvent>& truth, const ww::StreamScore& s) {
  return GroupsJson(ww::MissesBy(truth, s.missed, ww::GroupBy::kSpeaker));
}

json RecordingJson(const Recording& r, const ww::KwsModel& kws) {
  json j;
  j["stream"] = r.path;
  j["duration_s"] = r.post.duration_s;
  j["inferences"] = r.runs;
  j["inferences_per_s"] = r.post.duration_s > 0 ? r.runs / r.post.duration_s : 0.0;
  j["verified"] = r.verified;
  j["verified_per_s"] = r.post.duration_s > 0 ? r.verified / r.post.duration_s : 0.0;
  j["detections"] = json::array();
  for (size_t i = 0; i < r.dets.size(); ++i) {
    const auto& d = r.dets[i];
    json dj = {{"time_s", d.time_s}, {"keyword", kws.labels[d.label]},
               {"label", d.label}, {"score", d.score}, {"units", d.units}};
    if (!r.truth.empty()) dj["truth"] = r.score.detection_match[i];
    j["detections"].push_back(dj);
  }
  if (!r.truth.empty()) {
    j["score"] = ScoreJson(r.score);
    j["score"]["missed"] = json::array();
    for (int i : r.score.missed) {
      const ww::TruthEvent& t = r.truth[static_cast<size_t>(i)];
      j["score"]["missed"].push_back({{"truth", i}, {"keyword", t.keyword}, {"start_s", t.start_s},
                                      {"end_s", t.end_s}, {"speaker", t.speaker}});
    }
    j["score"]["by_keyword"] = ByKeyword(r.truth, r.score);
    j["score"]["by_speaker"] = BySpeaker(r.truth, r.score);
  }
  return j;
}

// The FRR and false-accept lines of a score (one recording or pooled).
void PrintScore(const ww::StreamScore& s, const std::vector<ww::TruthEvent>& truth) {
  std::printf("keywords %d, detected %d, false rejects %d (%.1f %%", s.keywords, s.detected,
              s.false_rejects, 100.0 * s.frr);
  if (s.frr_se > 0) std::printf(", +- %.1f over speakers", 100.0 * s.frr_se);
  std::printf(")\n");
  const json by_keyword = ByKeyword(truth, s);
  PrintMisses("keyword", by_keyword, by_keyword.size());
  PrintMisses("speaker", BySpeaker(truth, s), 5);
  std::printf("false accepts %d (%d wrong keyword) in %.3f h without keywords: %.2f per hour;"
              " duplicates %d\n", s.false_accepts, s.wrong_keyword, s.non_keyword_hours,
              s.fa_per_hour, s.duplicates);
}

// Detections, and with a truth the keywords never detected, in stream order
// (a missed keyword at its end time).
void PrintRecording(const Recording& r, const ww::KwsModel& kws) {
  size_t m = 0;
  for (size_t i = 0; i <= r.dets.size(); ++i) {
    for (; m < r.score.missed.size(); ++m) {
      const ww::TruthEvent& t = r.truth[static_cast<size_t>(r.score.missed[m])];
      if (i < r.dets.size() && t.end_s > r.dets[i].time_s) break;
      std::printf("%10.2f s  %-10s %5s  MISSED%s%s\n", t.end_s, t.keyword.c_str(), "",
                  t.speaker.empty() ? "" : "  ", t.speaker.c_str());
    }
    if (i == r.dets.size()) break;
    std::printf("%10.2f s  %-10s %.3f", r.dets[i].time_s, kws.labels[r.dets[i].label].c_str(),
                r.dets[i].score);
    if (!r.truth.empty())
      std::printf("  %s", r.score.detection_match[i] < 0 ? "FALSE ACCEPT" : "ok");
    std::printf("\n");
  }
  if (!r.truth.empty()) PrintScore(r.score, r.truth);
}

void Run(const WakewordOptions& o) {
  std::string err;
  if (o.window < 1 || o.window > micro::wakeword::kMaxWindow)
    throw CommandError("--window: must be 1..16 inferences");
  if (!(o.threshold > 0.0f && o.threshold <= 1.0f))
    throw CommandError("--threshold: must be a probability in (0, 1]");
  const uint32_t hop_ms = ParseMs("--hop", o.hop);
  const uint32_t refractory_ms = ParseMs("--refractory", o.refractory);
  if (o.look_back < 1 || o.look_back > micro::wakeword::kMaxSubHops)
    throw CommandError("--look-back: must be 1..8 grid steps per hop");
  if (!(o.gate >= 0.0f && o.gate <= 1.0f)) throw CommandError("--gate: must be a probability in [0, 1]");
  if (!o.truth.empty() && o.truth.size() != o.streams.size())
    throw CommandError("--truth: " + std::to_string(o.truth.size()) + " CSV file(s) for " +
                       std::to_string(o.streams.size()) + " recording(s); give one per recording, "
                       "in the same order, or none (each --truth takes one file)");
  if (o.sweep && o.truth.empty()) throw CommandError("--sweep needs --truth STREAM.csv");
  const uint32_t step_ms = hop_ms / o.look_back;
  auto kws = ww::KwsModel::Open(o.model, LoadFrontEnd(o.frontend), SplitList(o.labels), &err);
  if (!kws) throw CommandError(err);
  if (o.look_back > 1 && ww::StepFrames(*kws, hop_ms, o.look_back) < 0)
    throw CommandError("--look-back " + std::to_string(o.look_back) + ": --hop " +
                       std::to_string(hop_ms) + " ms / " + std::to_string(o.look_back) +
                       " is not a whole number of the front end's frame hops (" +
                       std::to_string(kws->fe.hop_us) + " us)");
  const auto verifiers =
      OpenVerifiers(*kws, o.verifiers, o.verify_units, LoadFrontEnd(o.frontend), SplitList(o.labels));
  const std::vector<std::string> ignore = SplitList(o.ignore);
  const auto configure = [&](float threshold, int window) {
    auto c = ww::MakeDetectorConfig(*kws, hop_ms, threshold, window, refractory_ms, ignore);
    c.sub_hops = static_cast<uint16_t>(o.look_back);
    c.gate = o.gate_units >= 0 ? static_cast<uint16_t>(o.gate_units) : ww::ProbabilityUnits(*kws, o.gate);
    c.verify = verifiers.empty() ? 0 : static_cast<uint16_t>(o.verify_units);
    return c;
  };
  auto config = configure(o.threshold, o.window);
  if (o.threshold_units >= 0)
    for (int k = 0; k < config.num_classes; ++k)
      config.threshold[k] = static_cast<uint16_t>(o.threshold_units);
  micro::wakeword::Detector check;
  micro::ErrorText e;
  if (check.Init(config, &e) != micro::Status::kOk) throw CommandError(e.c_str());
  // A detection covers the model's window plus (window - 1) grid steps.
  const auto score_options = [&](const ww::Posteriors& post, int window) {
    ww::ScoreOptions opt;
    opt.tolerance_s = o.tolerance;
    opt.span_s = post.window_s + (window - 1) * step_ms / 1000.0;
    return opt;
  };

  ww::StreamOptions so;
  so.hop_ms = step_ms;  // every grid window; Detect keeps those the device would run
  so.chunk_samples = static_cast<uint32_t>(o.chunk);
  std::vector<Recording> recs(o.streams.size());
  std::vector<std::vector<ww::Posteriors>> verifier_posts(recs.size());  // [recording][verifier]
  const auto detect = [&](size_t i, const micro::wakeword::DetectorConfig& c, size_t* runs,
                          size_t* verified) {
    return ww::Detect(*kws, recs[i].post, c, runs, verifier_posts[i], verified);
  };
  for (size_t i = 0; i < recs.size(); ++i) {
    Recording& r = recs[i];
    r.path = o.streams[i];
    if (!o.truth.empty() && !ww::LoadTruth(o.truth[i], &r.truth, &err)) throw CommandError(err);
    auto audio = host::ReadAudioInt16(r.path, &err);  // freed once the posteriors are there
    if (!audio) throw CommandError(err);
    if (!ww::RunCascadePosteriors(kws.get(), verifiers, audio->samples,
                                  static_cast<uint32_t>(audio->rate), so, &r.post, &verifier_posts[i],
                                  &err))
      throw CommandError(r.path + ": " + err);
    r.dets = detect(i, config, &r.runs, &r.verified);
    if (!o.truth.empty())
      r.score = ww::Score(r.dets, r.truth, kws->labels, score_options(r.post, o.window),
                          r.post.duration_s);
  }
  std::vector<ww::StreamScore> scores;
  std::vector<std::vector<ww::TruthEvent>> truths;
  std::vector<ww::TruthEvent> all_truth;  // the truths one after another, as Pool indexes them
  double seconds = 0.0;
  size_t runs = 0, verified = 0;
  for (const Recording& r : recs) {
    scores.push_back(r.score);
    truths.push_back(r.truth);
    all_truth.insert(all_truth.end(), r.truth.begin(), r.truth.end());
    seconds += r.post.duration_s;
    runs += r.runs;
    verified += r.verified;
  }
  const ww::StreamScore pooled = ww::Pool(scores, truths);

  // Sweep: the same posteriors through the detector at other thresholds,
  // pooled over the recordings.
  struct SweepRow {
    int window;
    float threshold;
    ww::StreamScore score;
  };
  std::vector<SweepRow> table;
  if (o.sweep) {
    std::vector<int> windows = o.sweep_windows;
    if (windows.empty()) windows.push_back(o.window);
    for (int w : windows) {
      if (w < 1 || w > micro::wakeword::kMaxWindow)
        throw CommandError("--sweep-windows: each must be 1..16");
      for (int t = 30; t <= 98; t += (t < 90 ? 5 : 2)) {
        const float p = t / 100.0f;
        const auto c = configure(p, w);
        std::vector<ww::StreamScore> row;
        for (size_t i = 0; i < recs.size(); ++i)
          row.push_back(ww::Score(detect(i, c, nullptr, nullptr), recs[i].truth, kws->labels,
                                  score_options(recs[i].post, w), recs[i].post.duration_s));
        table.push_back({w, p, ww::Pool(row, truths)});
      }
    }
  }

  if (o.json) {
    json j;
    j["model"] = o.model;
    j["hop_ms"] = hop_ms;
    j["look_back"] = o.look_back;
    j["gate_units"] = config.gate;
    j["window"] = o.window;
    j["refractory_ms"] = refractory_ms;
    j["threshold"] = config.threshold[0] * kws->out_scale;
    j["threshold_units"] = config.threshold[0];
    j["verifiers"] = o.verifiers;
    j["verify_units"] = config.verify;
    if (recs.size() == 1) {
      j.update(RecordingJson(recs[0], *kws));
    } else {
      j["duration_s"] = seconds;
      j["inferences"] = runs;
      j["inferences_per_s"] = seconds > 0 ? runs / seconds : 0.0;
      j["verified"] = verified;
      j["verified_per_s"] = seconds > 0 ? verified / seconds : 0.0;
      j["recordings"] = json::array();
      for (const Recording& r : recs) j["recordings"].push_back(RecordingJson(r, *kws));
      if (!o.truth.empty()) {
        j["score"] = ScoreJson(pooled);
        j["score"]["by_keyword"] = ByKeyword(all_truth, pooled);
        j["score"]["by_speaker"] = BySpeaker(all_truth, pooled);
      }
    }
    if (o.sweep) {
      j["sweep"] = json::array();
      for (const SweepRow& r : table) {
        json row = ScoreJson(r.score);
        row["window"] = r.window;
        row["threshold"] = r.threshold;
        j["sweep"].push_back(row);
      }
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  for (const Recording& r : recs) {
    std::printf("%s: %.1f s, %zu inferences (%.2f per s; hop %u ms, window %d, refractory %u ms, "
                "threshold %u units = %.3f)\n", r.path.c_str(), r.post.duration_s, r.runs,
                r.post.duration_s > 0 ? r.runs / r.post.duration_s : 0.0, hop_ms, o.window,
                refractory_ms, config.threshold[0], config.threshold[0] * kws->out_scale);
    if (o.look_back > 1)
      std::printf("look-back: %d grid steps of %u ms per hop, gate %u units = %.3f "
                  "(%zu of the %zu grid windows run)\n", o.look_back, step_ms, config.gate,
                  config.gate * kws->out_scale, r.runs, r.post.time_ms.size());
    if (!verifiers.empty())
      std::printf("verifiers: %zu models on the %zu windows (%.3f per s) whose best keyword "
                  "reached %u units; each adds one inference there\n", verifiers.size(),
                  r.verified, r.post.duration_s > 0 ? r.verified / r.post.duration_s : 0.0,
                  config.verify);
    PrintRecording(r, *kws);
  }
  if (recs.size() > 1) {
    std::printf("\nall %zu recordings: %.1f s, %zu inferences (%.2f per s)", recs.size(), seconds,
                runs, seconds > 0 ? runs / seconds : 0.0);
    if (!verifiers.empty())
      std::printf(", verifiers on %zu windows (%.3f per s)", verified,
                  seconds > 0 ? verified / seconds : 0.0);
    std::printf("\n");
    if (!o.truth.empty()) PrintScore(pooled, all_truth);
  }
  if (o.sweep) {
    std::printf("\n%swindow  threshold  FA/h    FA  FRR %%   missed  dup\n",
                recs.size() > 1 ? "all recordings\n" : "");
    for (const SweepRow& r : table)
      std::printf("  %2d      %.2f   %6.2f  %4d  %5.1f  %6d  %3d\n", r.window, r.threshold,
                  r.score.fa_per_hour, r.score.false_accepts, 100.0 * r.score.frr,
                  r.score.false_rejects, r.score.duplicates);
  }
}

}  // namespace

void AddWakeword(CLI::App& app) {
  auto o = std::make_shared<WakewordOptions>();
  auto* cmd = app.add_subcommand("wakeword", "Streaming keyword detection over a long recording");
  cmd->footer(R"(
Runs the device pipeline on the host: int16 samples pushed into the fixed-point
front end in --chunk blocks, the model every --hop once a full window of frames
is there, the posteriors averaged over the last --window inferences, a keyword
fires when its average reaches --threshold (not _silence_/_unknown_), at most
once per utterance and never within --refractory of the previous detection.
--look-back S: when the best keyword probability of this hop's window or the
last one reaches --gate, the S-1 windows between them (hop/S apart) are run
too, from the front end's frame history; --window then counts steps of hop/S
and a step not run counts as zeros. The device runs the model once per hop
except near keyword-like sounds (inferences per second are reported).
Labels and front-end config come from the model's manifest (or --labels,
--frontend). With --truth (synth-stream CSV) detections are scored: a
detection at t covers [t - window audio - (window-1)*hop, t]; it is correct
when it overlaps a true keyword of the same label (+- --tolerance). Keywords
never detected are listed as MISSED (at their end time, with the speaker),
and the false rejects are counted per keyword and per speaker (worst first),
which shows whether they spread or come from a few voices. With several
recordings (and one --truth per recording), each is scored on its own and
then all together: keywords, misses, false accepts and hours summed, the
per-speaker spread over every speaker of them (--sweep is pooled too), so
several shorter recordings add up to the hours and keywords a claim needs.
--verifier M (once per model; a cascade): on every window the first model
runs whose best keyword score reaches --verify-units, the verifier models run
on the same features too and the window scores the per-class mean of all of
them (rounded half up), as the device loop does; everywhere else the first
model decides alone, so the verifiers cost little on audio without keywords.
They need the first model's labels and front-end config. The look-back gate
still reads the first model. The windows they ran on are reported per second.

Examples:
  mote data synth-stream -o stream.wav                     # 65 min, 240 keywords
  mote wakeword kws_int8.tflite stream.wav --truth stream.csv
  mote wakeword kws_int8.tflite a.wav b.wav --truth a.csv --truth b.csv   # and pooled
  mote wakeword kws_int8.tflite stream.wav --truth stream.csv --sweep --hop 500ms \
      --sweep-windows 1,2,3
  mote wakeword kws_int8.tflite stream.wav --truth stream.csv --hop 500ms \
      --look-back 5 --gate 0.25 --window 4 --threshold 0.9
  mote wakeword examples/wakeword/wakeword_int8.tflite rec.wav \
      --point examples/wakeword/operating_point.json   # the example's val-chosen point
  mote wakeword first.tflite s.wav --truth s.csv --hop 500ms --look-back 5 \
      --gate-units 128 --window 4 --threshold-units 219 \
      --verifier a.tflite --verifier b.tflite --verify-units 128
  mote wakeword model.tflite clip.wav --frontend fe.bin \
      --labels _silence_,_unknown_,yes,no --json)");
  cmd->add_option("model", o->model, "int8 keyword model (.tflite)")->required();
  cmd->add_option("streams", o->streams, "recordings (WAV/FLAC/..., the front end's rate); "
                  "several are scored one by one and pooled")
      ->required();
  cmd->add_option("--hop", o->hop, "time between inferences, e.g. 250ms, 0.5s")
      ->capture_default_str();
  cmd->add_option("--threshold", o->threshold, "average probability that fires")
      ->capture_default_str();
  cmd->add_option("--threshold-units", o->threshold_units,
                  "exact threshold in output units (q - zero_point), as the firmware's")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--window", o->window, "inferences averaged (1..16; grid steps with --look-back)")
      ->capture_default_str();
  cmd->add_option("--look-back", o->look_back, "grid steps per hop: S-1 windows between hops run "
                  "when the gate opens (1 = off, ..8)")->capture_default_str();
  cmd->add_option("--gate", o->gate, "look-back: best keyword probability of this or the last "
                  "hop's window that runs the windows between")->capture_default_str();
  cmd->add_option("--gate-units", o->gate_units, "exact gate in output units, as the firmware's")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--refractory", o->refractory, "no detection within this time of the last")
      ->capture_default_str();
  cmd->add_option("--chunk", o->chunk, "samples per PushSamples call")->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--point", o->point, "operating point file (operating_point.json of `mote demo "
                  "wakeword`): hop, window, refractory, threshold, look-back, gate, and verifiers "
                  "if it names any; flags given here win")->check(CLI::ExistingFile);
  cmd->add_option("--verifier", o->verifiers, "a verifier model (a cascade): runs on the windows "
                  "where the first model's best keyword reaches --verify-units; the window scores "
                  "the mean of all the models. Once per model")
      ->allow_extra_args(false)->check(CLI::ExistingFile);
  cmd->add_option("--verify-units", o->verify_units, "first model's best keyword score (output "
                  "units) at which the verifiers run")->capture_default_str();
  cmd->add_option("--truth", o->truth, "ground truth CSV: keyword,start_s,end_s[,speaker]; once "
                  "per recording, in the same order")
      ->allow_extra_args(false);
  cmd->add_option("--tolerance", o->tolerance, "seconds around a true keyword")
      ->capture_default_str()->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--sweep", o->sweep, "also print FA/h and FRR for thresholds 0.30..0.98");
  cmd->add_option("--sweep-windows", o->sweep_windows, "windows for --sweep (default --window)")
      ->delimiter(',');
  cmd->add_option("--frontend", o->frontend, "front-end config (.bin blob or .json) if the "
                  "manifest has none");
  cmd->add_option("--labels", o->labels, "comma-separated labels if the manifest has none");
  cmd->add_option("--ignore", o->ignore, "more labels that never fire (comma-separated)");
  cmd->add_flag("--json", o->json, "machine-readable output");
  cmd->callback([o, cmd] {
    if (!o->point.empty())
      ApplyPoint(o->point, *cmd, o.get());
    Run(*o);
  });
}

}  // namespace mote::cli
