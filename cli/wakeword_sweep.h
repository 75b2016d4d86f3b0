// Threshold sweep of a wake-word model on a stream with ground truth, and the
// operating point it picks (used by `mote demo wakeword`). The posteriors of
// one RunPosteriors pass go through the detector for every window K and every
// threshold in output units; each row is scored against the truth.
//
// Operating point: among the rows with FRR <= max_frr, the fewest false
// accepts per hour; ties go to the lower FRR, then the smaller K, then the
// lower threshold. found = false when no row reaches max_frr.
//
//   auto rows = SweepStream(kws, post, truth, {1, 2, 3, 4}, 1000, 0.25);
//   OperatingPoint op = ChooseOperatingPoint(rows, 0.10);
#ifndef MOTE_CLI_WAKEWORD_SWEEP_H_
#define MOTE_CLI_WAKEWORD_SWEEP_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "host/wakeword/stream.h"

namespace mote::cli {

struct SweepRow {
  uint32_t hop_ms = 0;
  int window = 0;
  int units = 0;        // threshold in output units
  float threshold = 0;  // the same as a probability (units * output scale)
  host::wakeword::StreamScore score;
};

// Thresholds from units_min to the largest output unit, every `units_step`.
std::vector<SweepRow> SweepStream(const host::wakeword::KwsModel& kws,
                                  const host::wakeword::Posteriors& post,
                                  const std::vector<host::wakeword::TruthEvent>& truth,
                                  const std::vector<int>& windows, uint32_t refractory_ms,
                                  double tolerance_s, int units_min = 64, int units_step = 1);

struct OperatingPoint {
  bool found = false;
  SweepRow row;
};
OperatingPoint ChooseOperatingPoint(const std::vector<SweepRow>& rows, double max_frr);

// Per window K: the operating point at max_frr (one line each), for reports.
std::vector<SweepRow> BestPerWindow(const std::vector<SweepRow>& rows, double max_frr);

nlohmann::json RowJson(const SweepRow& r);

}  // namespace mote::cli

#endif  // MOTE_CLI_WAKEWORD_SWEEP_H_
