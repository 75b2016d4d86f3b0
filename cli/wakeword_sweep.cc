#include "cli/wakeword_sweep.h"

#include <cmath>
#include <map>

namespace mote::cli {

namespace ww = host::wakeword;

std::vector<SweepRow> SweepStream(const ww::KwsModel& kws, const ww::Posteriors& post,
                                  const std::vector<ww::TruthEvent>& truth,
                                  const std::vector<int>& windows, uint32_t refractory_ms,
                                  double tolerance_s, int units_min, int units_step) {
  std::vector<SweepRow> rows;
  const int units_max = static_cast<int>(std::lround(1.0 / kws.out_scale)) - 1;
  for (int w : windows) {
    ww::ScoreOptions so;
    so.tolerance_s = tolerance_s;
    so.span_s = post.window_s + (w - 1) * post.hop_ms / 1000.0;
    for (int u = units_min; u <= units_max; u += units_step) {
      auto c = ww::MakeDetectorConfig(kws, post.hop_ms, 0.5f, w, refractory_ms);
      for (int k = 0; k < c.num_classes; ++k) c.threshold[k] = static_cast<uint16_t>(u);
      SweepRow r;
      r.hop_ms = post.hop_ms;
      r.window = w;
      r.units = u;
      r.threshold = static_cast<float>(u) * kws.out_scale;
      r.score = ww::Score(ww::Detect(kws, post, c), truth, kws.labels, so, post.duration_s);
      r.score.detection_match.clear();
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

namespace {
bool Better(const SweepRow& a, const SweepRow& b) {
  if (a.score.false_accepts != b.score.false_accepts) return a.score.false_accepts < b.score.false_accepts;
  if (a.score.false_rejects != b.score.false_rejects) return a.score.false_rejects < b.score.false_rejects;
  if (a.window != b.window) return a.window < b.window;
  return a.units < b.units;
}
}  // namespace

OperatingPoint ChooseOperatingPoint(const std::vector<SweepRow>& rows, double max_frr) {
  OperatingPoint op;
  for (const SweepRow& r : rows) {
    if (r.score.frr > max_frr + 1e-12) continue;
    if (!op.found || Better(r, op.row)) {
      op.row = r;
      op.found = true;
    }
  }
  return op;
}

std::vector<SweepRow> BestPerWindow(const std::vector<SweepRow>& rows, double max_frr) {
  std::map<int, std::vector<SweepRow>> by_window;
  for (const SweepRow& r : rows) by_window[r.window].push_back(r);
  std::vector<SweepRow> best;
  for (const auto& [w, rs] : by_window) {
    const OperatingPoint op = ChooseOperatingPoint(rs, max_frr);
    if (op.found) best.push_back(op.row);
  }
  return best;
}

nlohmann::json RowJson(const SweepRow& r) {
  return {{"hop_ms", r.hop_ms},
          {"window", r.window},
          {"threshold_units", r.units},
          {"threshold", r.threshold},
          {"fa_per_hour", r.score.fa_per_hour},
          {"false_accepts", r.score.false_accepts},
          {"wrong_keyword", r.score.wrong_keyword},
          {"frr", r.score.frr},
          {"false_rejects", r.score.false_rejects},
          {"keywords", r.score.keywords},
          {"non_keyword_hours", r.score.non_keyword_hours}};
}

}  // namespace mote::cli
