// Threshold sweep of a wake-word model on a stream with ground truth, and the
// operating point it picks (used by `mote demo wakeword`). The posteriors of
// one RunPosteriors pass go through the detector for every window K and every
// threshold in output units; each row is scored against the truth.
//
// Operating point: among the rows with FA/h <= max_fa_per_hour and FRR <=
// max_frr, the lowest FRR; ties go to the fewer false accepts, then the fewer
// inferences per second (look-back gate), then the smaller K, then the lower
// threshold. A budget below the goal (0.5 against 1 FA/h) leaves room for
// the val stream's few false accepts to come out higher elsewhere. When no
// row is within both (or max_fa_per_hour is 0): the fewest false accepts
// with FRR <= max_frr, ties as above. found = false when no row reaches
// max_frr.
//
//   auto rows = SweepStream(kws, post, truth, {1, 2, 3, 4}, 1000, 0.25);
//   OperatingPoint op = ChooseOperatingPoint(val_rows, 0.10, 0.5); // choose on val
//   OperatingPoint test = AtPoint(test_rows, op.row);              // report on test
#ifndef MOTE_CLI_WAKEWORD_SWEEP_H_
#define MOTE_CLI_WAKEWORD_SWEEP_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/wakeword/stream.h"

namespace mote::cli {

struct SweepRow {
  uint32_t hop_ms = 0;
  int look_back = 1;     // detector sub_hops (1: off)
  int gate_units = 0;    // look-back gate in output units
  int window = 0;        // grid steps (hop / look_back) averaged
  int units = 0;         // threshold in output units
  float threshold = 0;   // the same as a probability (units * output scale)
  double inferences_per_s = 0;  // model runs the device makes per second of stream
  double verified_per_s = 0;    // windows the verifiers run on per second (0 without)
  host::wakeword::StreamScore score;
};

// Thresholds from units_min to the largest output unit, every `units_step`,
// for every window and gate. `post` comes from RunPosteriors at hop / look_back;
// `verifiers` (posteriors over the same grid) run at `verify_units`.
std::vector<SweepRow> SweepStream(const host::wakeword::KwsModel& kws,
                                  const host::wakeword::Posteriors& post,
                                  const std::vector<host::wakeword::TruthEvent>& truth,
                                  const std::vector<int>& windows, uint32_t refractory_ms,
                                  double tolerance_s, int units_min = 64, int units_step = 1,
                                  int look_back = 1, const std::vector<int>& gates = {0},
                                  const std::vector<host::wakeword::Posteriors>& verifiers = {},
                                  int verify_units = 0);

struct OperatingPoint {
  bool found = false;
  SweepRow row;
};
OperatingPoint ChooseOperatingPoint(const std::vector<SweepRow>& rows, double max_frr,
                                    double max_fa_per_hour = 0.0);

// The row of `rows` with point's hop, look-back, gate, window and threshold units: the figures
// of another stream at an operating point chosen elsewhere (val -> test).
// found = false when `rows` has no such row.
OperatingPoint AtPoint(const std::vector<SweepRow>& rows, const SweepRow& point);

// Per window K: the operating point (one line each), for reports.
std::vector<SweepRow> BestPerWindow(const std::vector<SweepRow>& rows, double max_frr,
                                    double max_fa_per_hour = 0.0);

nlohmann::json RowJson(const SweepRow& r);

// False rejects per group (host::wakeword::MissesBy) as
// [{name, keywords, missed}], and printed as one line: "false rejects by
// speaker: a 12 of 31, b 4 of 29 (3 more speakers with misses)", the groups
// with misses, worst first, at most `most` of them (nothing without misses).
nlohmann::json GroupsJson(const std::vector<host::wakeword::GroupMisses>& groups);
void PrintMisses(const char* what, const nlohmann::json& groups, size_t most);

// The verifier models at `paths` (KwsModel::Open with `frontend_blob` and
// `labels`), each checked against `first` (SameFeaturesAndLabels), and
// verify_units 1..255 when there are any. Throws CommandError naming the
// file and the difference.
std::vector<std::unique_ptr<host::wakeword::KwsModel>> OpenVerifiers(
    const host::wakeword::KwsModel& first, const std::vector<std::string>& paths, int verify_units,
    const std::vector<uint8_t>& frontend_blob = {}, const std::vector<std::string>& labels = {});

struct StreamEvalOptions {
  int hop_ms = 500;               // the operating point's hop (250 or 500)
  int look_back = 1;              // 500 ms family: grid steps per hop (1 = off)
  std::vector<int> gates = {32, 64, 96, 128};  // its look-back gates (units) swept
  double max_frr = 0.10;          // ChooseOperatingPoint's limits, on VAL
  double max_fa_per_hour = 0.5;
  std::vector<std::string> verifiers;  // verifier models (a cascade); empty: the model alone
  int verify_units = 128;
};

// The int8 model `model_path` (with o.verifiers) over VAL streams (pooled)
// and a TEST stream (.wav + .csv each) through host/wakeword, swept at hop
// 250 ms (K = 1..5), 500 ms (K = 1..3) and, with look_back S > 1, 500 ms with
// look-back S (K = 1..2S, o.gates: 32/64/96/128 units; sweep key "500ms_lbS"),
// refractory 1 s, tolerance 0.25 s, thresholds 64..255 units. The operating
// point is chosen on VAL at o.hop_ms (with look-back S when hop_ms is 500 and
// S > 1) by ChooseOperatingPoint and read on TEST.
// JSON: macs (the first model's), verifiers, verify_units, refractory_ms,
// max_frr, max_fa_per_hour, val_keywords, test_keywords, best_per_window
// (test), val_best_per_window, val_operating_point, operating_point (TEST
// figures at the VAL choice), test_best_point (the test stream's own best,
// for information), goal, sweep, val_sweep. Throws CommandError on
// unreadable files and verifiers that do not match the model.
nlohmann::json EvaluateStreams(const std::string& model_path, const std::vector<std::string>& val_wavs,
                               const std::string& test_wav, const StreamEvalOptions& o);
// The operating point EvaluateStreams chose on val, as the file the firmware
// build and `mote wakeword --point` read (examples/wakeword/operating_point.json):
// hop_ms, look_back, gate_units, window, threshold_units, refractory_ms, with
// verifiers their paths relative to `dir` (where the file goes) and
// verify_units, and for information the threshold as a probability and the
// val figures. null when no point reached max_frr.
nlohmann::json PointFile(const nlohmann::json& e, const std::vector<std::string>& val_wavs,
                         const std::string& dir);
// The summary lines of EvaluateStreams' JSON on stdout.
void PrintStreamEval(const nlohmann::json& e, const std::vector<std::string>& val_wavs,
                     const std::string& test_wav);

}  // namespace mote::cli

#endif  // MOTE_CLI_WAKEWORD_SWEEP_H_
