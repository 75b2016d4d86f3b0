#include "cli/wakeword_sweep.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "host/data/synth_stream.h"
#include "host/io/wav.h"
#include "host/plan/cost.h"

namespace mote::cli {

namespace ww = host::wakeword;

std::vector<SweepRow> SweepStream(const ww::KwsModel& kws, const ww::Posteriors& post,
                                  const std::vector<ww::TruthEvent>& truth,
                                  const std::vector<int>& windows, uint32_t refractory_ms,
                                  double tolerance_s, int units_min, int units_step,
                                  int look_back, const std::vector<int>& gates,
                                  const std::vector<ww::Posteriors>& verifiers,
                                  int verify_units) {
  std::vector<SweepRow> rows;
  const int units_max = static_cast<int>(std::lround(1.0 / kws.out_scale)) - 1;
  const uint32_t hop_ms = post.hop_ms * static_cast<uint32_t>(look_back);
  for (int gate : gates) {
    for (int w : windows) {
      ww::ScoreOptions so;
      so.tolerance_s = tolerance_s;
      so.span_s = post.window_s + (w - 1) * post.hop_ms / 1000.0;
      for (int u = units_min; u <= units_max; u += units_step) {
        auto c = ww::MakeDetectorConfig(kws, hop_ms, 0.5f, w, refractory_ms);
        for (int k = 0; k < c.num_classes; ++k) c.threshold[k] = static_cast<uint16_t>(u);
        c.sub_hops = static_cast<uint16_t>(look_back);
        c.gate = static_cast<uint16_t>(gate);
        c.verify = verifiers.empty() ? 0 : static_cast<uint16_t>(verify_units);
        SweepRow r;
        r.hop_ms = hop_ms;
        r.look_back = look_back;
        r.gate_units = gate;
        r.window = w;
        r.units = u;
        r.threshold = static_cast<float>(u) * kws.out_scale;
        size_t runs = 0, verified = 0;
        r.score = ww::Score(ww::Detect(kws, post, c, &runs, verifiers, &verified), truth, kws.labels,
                            so, post.duration_s);
        r.score.detection_match.clear();
        r.inferences_per_s = post.duration_s > 0 ? runs / post.duration_s : 0.0;
        r.verified_per_s = post.duration_s > 0 ? verified / post.duration_s : 0.0;
        rows.push_back(std::move(r));
      }
    }
  }
  return rows;
}

namespace {
// Fewer false rejects first (within the FA budget) or fewer false accepts
// first (the fallback); then the other, then cost, K and threshold.
bool Better(const SweepRow& a, const SweepRow& b, bool rejects_first) {
  const int fa = a.score.false_accepts - b.score.false_accepts;
  const int fr = a.score.false_rejects - b.score.false_rejects;
  if (rejects_first && fr != 0) return fr < 0;
  if (fa != 0) return fa < 0;
  if (fr != 0) return fr < 0;
  if (a.inferences_per_s != b.inferences_per_s) return a.inferences_per_s < b.inferences_per_s;
  if (a.verified_per_s != b.verified_per_s) return a.verified_per_s < b.verified_per_s;
  if (a.window != b.window) return a.window < b.window;
  return a.units < b.units;
}
}  // namespace

OperatingPoint ChooseOperatingPoint(const std::vector<SweepRow>& rows, double max_frr,
                                    double max_fa_per_hour) {
  OperatingPoint op;
  const auto pick = [&](bool budget) {
    for (const SweepRow& r : rows) {
      if (r.score.frr > max_frr + 1e-12) continue;
      if (budget && r.score.fa_per_hour > max_fa_per_hour + 1e-12) continue;
      if (!op.found || Better(r, op.row, budget)) {
        op.row = r;
        op.found = true;
      }
    }
  };
  if (max_fa_per_hour > 0) pick(true);
  if (!op.found) pick(false);
  return op;
}

OperatingPoint AtPoint(const std::vector<SweepRow>& rows, const SweepRow& point) {
  OperatingPoint op;
  for (const SweepRow& r : rows)
    if (r.hop_ms == point.hop_ms && r.look_back == point.look_back &&
        r.gate_units == point.gate_units && r.window == point.window && r.units == point.units) {
      op.row = r;
      op.found = true;
      break;
    }
  return op;
}

std::vector<SweepRow> BestPerWindow(const std::vector<SweepRow>& rows, double max_frr,
                                    double max_fa_per_hour) {
  std::map<int, std::vector<SweepRow>> by_window;
  for (const SweepRow& r : rows) by_window[r.window].push_back(r);
  std::vector<SweepRow> best;
  for (const auto& [w, rs] : by_window) {
    const OperatingPoint op = ChooseOperatingPoint(rs, max_frr, max_fa_per_hour);
    if (op.found) best.push_back(op.row);
  }
  return best;
}

nlohmann::json RowJson(const SweepRow& r) {
  return {{"hop_ms", r.hop_ms},
          {"look_back", r.look_back},
          {"gate_units", r.gate_units},
          {"inferences_per_s", r.inferences_per_s},
          {"verified_per_s", r.verified_per_s},
          {"window", r.window},
          {"threshold_units", r.units},
          {"threshold", r.threshold},
          {"fa_per_hour", r.score.fa_per_hour},
          {"false_accepts", r.score.false_accepts},
          {"wrong_keyword", r.score.wrong_keyword},
          {"frr", r.score.frr},
          {"frr_se", r.score.frr_se},
          {"false_rejects", r.score.false_rejects},
          {"keywords", r.score.keywords},
          {"non_keyword_hours", r.score.non_keyword_hours}};
}

nlohmann::json GroupsJson(const std::vector<ww::GroupMisses>& groups) {
  nlohmann::json a = nlohmann::json::array();
  for (const ww::GroupMisses& g : groups)
    a.push_back({{"name", g.name}, {"keywords", g.keywords}, {"missed", g.missed}});
  return a;
}

void PrintMisses(const char* what, const nlohmann::json& groups, size_t most) {
  size_t with = 0;
  for (const auto& g : groups) with += g["missed"].get<int>() > 0 ? 1 : 0;
  if (with == 0) return;
  std::printf("false rejects by %s:", what);
  for (size_t i = 0; i < with && i < most; ++i)
    std::printf("%s %s %d of %d", i > 0 ? "," : "", groups[i]["name"].get<std::string>().c_str(),
                groups[i]["missed"].get<int>(), groups[i]["keywords"].get<int>());
  if (with > most) std::printf(" (%zu more %ss with misses)", with - most, what);
  std::printf("\n");
}

namespace {

using StreamSweep = std::map<std::string, std::vector<SweepRow>>;  // "250ms", "500ms", "500ms_lb5"

std::string FamilyKey(int hop_ms, int look_back) {
  return std::to_string(hop_ms) + "ms" + (look_back > 1 ? "_lb" + std::to_string(look_back) : "");
}

// One stream (.wav + .csv) through the model and its verifiers, swept.
StreamSweep SweepFile(ww::KwsModel* kws, const std::vector<std::unique_ptr<ww::KwsModel>>& verifiers,
                      const std::string& wav, uint32_t refractory_ms, const StreamEvalOptions& o,
                      std::vector<ww::TruthEvent>* truth, double* seconds) {
  const int look_back = o.look_back;
  std::string err;
  auto audio = host::ReadAudioInt16(wav, &err);
  if (!audio) throw CommandError(err);
  if (!ww::LoadTruth(data::StreamSidecarPath(wav, ".csv"), truth, &err)) throw CommandError(err);
  // Families: hop, look-back, windows K, gates (units; 0 = no look-back).
  struct Family {
    uint32_t hop;
    int look_back;
    std::vector<int> windows, gates;
  };
  std::vector<Family> families = {{250, 1, {1, 2, 3, 4, 5}, {0}}, {500, 1, {1, 2, 3}, {0}}};
  if (look_back > 1) {
    if (ww::StepFrames(*kws, 500, look_back) < 0)
      throw CommandError("--look-back " + std::to_string(look_back) + ": 500 ms / " +
                         std::to_string(look_back) + " is not a whole number of front-end frame hops");
    Family f{500, look_back, {}, o.gates};
    for (int w = 1; w <= std::min(2 * look_back, micro::wakeword::kMaxWindow); ++w) f.windows.push_back(w);
    families.push_back(f);
  }
  StreamSweep out;
  *seconds = static_cast<double>(audio->samples.size()) / audio->rate;
  for (const Family& f : families) {
    ww::StreamOptions so;
    so.hop_ms = f.hop / static_cast<uint32_t>(f.look_back);  // every grid window
    ww::Posteriors post;
    std::vector<ww::Posteriors> vposts;
    if (!ww::RunCascadePosteriors(kws, verifiers, audio->samples, static_cast<uint32_t>(audio->rate), so,
                                  &post, &vposts, &err))
      throw CommandError(wav + ": " + err);
    out[FamilyKey(f.hop, f.look_back)] = SweepStream(*kws, post, *truth, f.windows, refractory_ms, 0.25,
                                                     64, 1, f.look_back, f.gates, vposts, o.verify_units);
  }
  return out;
}

// Several streams swept and pooled row by row (ww::Pool; inferences and
// verifier windows per second over the total duration); *truth gets the
// truths one after another.
StreamSweep SweepFiles(ww::KwsModel* kws, const std::vector<std::unique_ptr<ww::KwsModel>>& verifiers,
                       const std::vector<std::string>& wavs, uint32_t refractory_ms,
                       const StreamEvalOptions& o, std::vector<ww::TruthEvent>* truth) {
  std::vector<StreamSweep> sweeps(wavs.size());
  std::vector<std::vector<ww::TruthEvent>> truths(wavs.size());
  std::vector<double> seconds(wavs.size(), 0.0);
  double total = 0.0;
  for (size_t i = 0; i < wavs.size(); ++i) {
    sweeps[i] = SweepFile(kws, verifiers, wavs[i], refractory_ms, o, &truths[i], &seconds[i]);
    total += seconds[i];
  }
  truth->clear();
  for (const auto& t : truths) truth->insert(truth->end(), t.begin(), t.end());
  if (wavs.size() == 1) return sweeps[0];
  StreamSweep pooled = sweeps[0];
  for (auto& [key, rows] : pooled)
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<ww::StreamScore> scores;
      double runs = 0.0, verified = 0.0;
      for (size_t i = 0; i < wavs.size(); ++i) {
        const SweepRow& row = sweeps[i].at(key)[r];
        scores.push_back(row.score);
        runs += row.inferences_per_s * seconds[i];
        verified += row.verified_per_s * seconds[i];
      }
      rows[r].score = ww::Pool(scores, truths);
      rows[r].inferences_per_s = total > 0 ? runs / total : 0.0;
      rows[r].verified_per_s = total > 0 ? verified / total : 0.0;
    }
  return pooled;
}

nlohmann::json PointJson(const OperatingPoint& p) { return p.found ? RowJson(p.row) : nlohmann::json(nullptr); }

}  // namespace

std::vector<std::unique_ptr<ww::KwsModel>> OpenVerifiers(const ww::KwsModel& first,
                                                         const std::vector<std::string>& paths,
                                                         int verify_units,
                                                         const std::vector<uint8_t>& frontend_blob,
                                                         const std::vector<std::string>& labels) {
  std::vector<std::unique_ptr<ww::KwsModel>> out;
  std::string err;
  for (const std::string& path : paths) {
    out.push_back(ww::KwsModel::Open(path, frontend_blob, labels, &err));
    if (!out.back()) throw CommandError("--verifier " + err);
    if (!ww::SameFeaturesAndLabels(first, *out.back(), &err))
      throw CommandError("--verifier " + path + ": " + err);
  }
  if (!out.empty() && (verify_units < 1 || verify_units > 255))
    throw CommandError("--verify-units: must be 1..255 output units");
  return out;
}

nlohmann::json EvaluateStreams(const std::string& model_path, const std::vector<std::string>& val_wavs,
                               const std::string& test_wav, const StreamEvalOptions& o) {
  using nlohmann::json;
  std::string err;
  auto kws = ww::KwsModel::Open(model_path, {}, {}, &err);
  if (!kws) throw CommandError(err);
  const auto verifiers = OpenVerifiers(*kws, o.verifiers, o.verify_units);
  if (val_wavs.empty()) throw CommandError("no val stream");
  uint64_t macs = 0;
  for (const auto& cost : host::OpCosts(kws->model->interpreter())) macs += cost.macs;
  const uint32_t refractory_ms = 1000;
  const int hop_ms = o.hop_ms, look_back = o.look_back;
  std::vector<ww::TruthEvent> truth, val_truth;
  if (hop_ms != 250 && hop_ms != 500) throw CommandError("--hop-ms " + std::to_string(hop_ms) + ": expected 250 or 500");
  if (o.gates.empty()) throw CommandError("--gates: at least one look-back gate");
  for (int g : o.gates)
    if (g < 0 || g > 255) throw CommandError("--gates: each must be 0..255 output units");
  const StreamSweep val = SweepFiles(kws.get(), verifiers, val_wavs, refractory_ms, o, &val_truth);
  const StreamSweep test = SweepFiles(kws.get(), verifiers, {test_wav}, refractory_ms, o, &truth);
  const std::string key = FamilyKey(hop_ms, hop_ms == 500 ? look_back : 1);
  const double max_frr = o.max_frr, max_fa = o.max_fa_per_hour;
  json e;
  e["macs"] = macs;
  e["verifiers"] = o.verifiers;
  e["verify_units"] = verifiers.empty() ? 0 : o.verify_units;
  e["refractory_ms"] = refractory_ms;
  e["max_frr"] = max_frr;
  e["max_fa_per_hour"] = max_fa;
  e["operating_family"] = key;
  e["val_keywords"] = val_truth.size();
  e["test_keywords"] = truth.size();
  for (const auto& [tag, sweep] : {std::pair<std::string, const StreamSweep*>{"", &test}, {"val_", &val}}) {
    json tables = json::object(), best = json::array();
    for (const auto& [name, rows] : *sweep) {
      json table = json::array();
      for (const auto& r : rows) table.push_back(RowJson(r));
      tables[name] = table;
      for (const auto& r : BestPerWindow(rows, max_frr, max_fa)) best.push_back(RowJson(r));
    }
    e[tag + "sweep"] = tables;
    e[tag + "best_per_window"] = best;
  }
  const OperatingPoint val_point = ChooseOperatingPoint(val.at(key), max_frr, max_fa);
  const OperatingPoint chosen = val_point.found ? AtPoint(test.at(key), val_point.row) : OperatingPoint{};
  e["val_operating_point"] = PointJson(val_point);
  e["operating_point"] = PointJson(chosen);
  const auto add_misses = [&](const char* tag, const OperatingPoint& p, const std::vector<ww::TruthEvent>& t) {
    if (!p.found) return;
    e[tag]["by_speaker"] = GroupsJson(ww::MissesBy(t, p.row.score.missed, ww::GroupBy::kSpeaker));
    e[tag]["by_keyword"] = GroupsJson(ww::MissesBy(t, p.row.score.missed, ww::GroupBy::kKeyword));
  };
  add_misses("val_operating_point", val_point, val_truth);
  add_misses("operating_point", chosen, truth);
  e["test_best_point"] = PointJson(ChooseOperatingPoint(test.at(key), max_frr, max_fa));
  e["goal"] = {{"fa_per_hour", 1.0}, {"frr", 0.10},
               {"met", chosen.found && chosen.row.score.fa_per_hour <= 1.0 && chosen.row.score.frr <= 0.10}};
  return e;
}

nlohmann::json PointFile(const nlohmann::json& e, const std::vector<std::string>& val_wavs,
                         const std::string& dir) {
  namespace fs = std::filesystem;
  const nlohmann::json& v = e["val_operating_point"];
  if (v.is_null()) return nullptr;
  std::string streams;
  for (const std::string& w : val_wavs)
    streams += (streams.empty() ? "" : " + ") + fs::path(w).filename().string();
  nlohmann::json p = {{"hop_ms", v["hop_ms"]},
                      {"look_back", v["look_back"]},
                      {"gate_units", v["gate_units"]},
                      {"window", v["window"]},
                      {"threshold_units", v["threshold_units"]},
                      {"refractory_ms", e["refractory_ms"]},
                      {"threshold", v["threshold"]},
                      {"chosen_on", {{"stream", streams},
                                     {"max_frr", e["max_frr"]},
                                     {"max_fa_per_hour", e["max_fa_per_hour"]},
                                     {"fa_per_hour", v["fa_per_hour"]},
                                     {"frr", v["frr"]},
                                     {"keywords", v["keywords"]}}}};
  if (!e["verifiers"].empty()) {
    p["verifiers"] = nlohmann::json::array();
    for (const auto& path : e["verifiers"])
      p["verifiers"].push_back(
          fs::absolute(path.get<std::string>()).lexically_relative(fs::absolute(dir)).string());
    p["verify_units"] = e["verify_units"];
  }
  return p;
}

void PrintStreamEval(const nlohmann::json& e, const std::vector<std::string>& val_wavs,
                     const std::string& test_wav) {
  std::string val_wav;
  for (const std::string& w : val_wavs) val_wav += (val_wav.empty() ? "" : " + ") + w;
  auto hop = [](const nlohmann::json& r) {
    char b[96];
    if (r["look_back"].get<int>() > 1)
      std::snprintf(b, sizeof b, "hop %d ms, look-back %d (gate %d units)", r["hop_ms"].get<int>(),
                    r["look_back"].get<int>(), r["gate_units"].get<int>());
    else
      std::snprintf(b, sizeof b, "hop %d ms", r["hop_ms"].get<int>());
    return std::string(b);
  };
  auto line = [&](const nlohmann::json& r) {
    std::printf("  %-36s K %2d  threshold %.3f (%3d units)  FA/h %7.2f (%d)  FRR %5.2f %% (%d)  "
                "%.2f inferences/s\n", hop(r).c_str(), r["window"].get<int>(), r["threshold"].get<double>(),
                r["threshold_units"].get<int>(), r["fa_per_hour"].get<double>(), r["false_accepts"].get<int>(),
                100 * r["frr"].get<double>(), r["false_rejects"].get<int>(), r["inferences_per_s"].get<double>());
  };
  const double max_frr = e["max_frr"].get<double>();
  const auto& best = e["best_per_window"];
  std::printf("test stream    %s: %d keywords, %.3f h without keywords\n", test_wav.c_str(),
              e["test_keywords"].get<int>(), best.empty() ? 0.0 : best[0]["non_keyword_hours"].get<double>());
  std::printf("val stream     %s: %d keywords (chooses the operating point)\n", val_wav.c_str(),
              e["val_keywords"].get<int>());
  const double max_fa = e["max_fa_per_hour"].get<double>();
  if (!e["verifiers"].empty()) {
    std::printf("verifiers      %zu models on the windows whose best keyword reaches %d units:",
                e["verifiers"].size(), e["verify_units"].get<int>());
    for (const auto& v : e["verifiers"]) std::printf(" %s", v.get<std::string>().c_str());
    std::printf("\n");
  }
  std::printf("val stream: per hop and window K, the lowest FRR with FA/h <= %.2f and FRR <= %.0f %% "
              "(else the fewest FA/h at FRR <= %.0f %%; refractory %d ms):\n",
              max_fa, 100 * max_frr, 100 * max_frr, e["refractory_ms"].get<int>());
  for (const auto& r : e["val_best_per_window"]) line(r);
  std::printf("test stream's own best per hop and K (for information; chosen on the test stream):\n");
  for (const auto& r : best) line(r);
  const auto& v = e["val_operating_point"];
  const auto& op = e["operating_point"];
  if (v.is_object() && op.is_object()) {
    std::printf("operating point (chosen on val): %s, K %d, %d units; val %.2f FA/h at %.2f %% FRR\n",
                hop(v).c_str(), v["window"].get<int>(), v["threshold_units"].get<int>(),
                v["fa_per_hour"].get<double>(), 100 * v["frr"].get<double>());
    std::printf("TEST stream at that point: %.2f FA/h (%d) at %.2f %% FRR (%d), %.2f inferences/s, "
                "verifiers on %.3f windows/s (goal 1 FA/h at 10 %%: %s)\n",
                op["fa_per_hour"].get<double>(), op["false_accepts"].get<int>(), 100 * op["frr"].get<double>(),
                op["false_rejects"].get<int>(), op["inferences_per_s"].get<double>(),
                op["verified_per_s"].get<double>(), e["goal"]["met"].get<bool>() ? "met" : "not met");
    std::printf("FRR standard error over speakers (another speaker set of the same size): val %.2f, "
                "test %.2f points\n", 100 * v["frr_se"].get<double>(), 100 * op["frr_se"].get<double>());
    if (op.contains("by_speaker") && op["false_rejects"].get<int>() > 0) {
      std::printf("TEST stream at that point, ");
      PrintMisses("speaker", op["by_speaker"], 5);
    }
  } else {
    std::printf("operating point: no threshold reaches FRR <= %.0f %% on the val stream\n", 100 * max_frr);
  }
  const auto& tb = e["test_best_point"];
  if (tb.is_object())
    std::printf("test stream's own best at that hop (information): K %d, %d units, %.2f FA/h at %.2f %% FRR\n",
                tb["window"].get<int>(), tb["threshold_units"].get<int>(), tb["fa_per_hour"].get<double>(),
                100 * tb["frr"].get<double>());
}

}  // namespace mote::cli
