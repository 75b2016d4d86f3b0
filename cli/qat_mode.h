// The quantization-aware-training mode options shared by `mote train --qat`
// and `mote quantize --qat`: --qat-bn, --qat-ranges, --qat-ema-decay.
//
//   QatModeOptions mode;
//   AddQatModeOptions(cmd, &mode);              // when building the subcommand
//   CheckQatMode(mode, o.qat);                  // in the callback: needs --qat
//   QatTrainer::Create(m, rep, &err, mode.BatchNorm(), mode.Ranges());
//   qo.ema_decay = mode.ema_decay;              // < 0: the ranges mode's default
#ifndef MOTE_CLI_QAT_MODE_H_
#define MOTE_CLI_QAT_MODE_H_

#include <CLI/CLI.hpp>
#include <string>

#include "host/compress/qat.h"

namespace mote::cli {

struct QatModeOptions {
  std::string bn = "frozen";
  std::string ranges = "calibrated";
  float ema_decay = -1.0f;  // unset: QatOptions' default for the ranges mode

  compress::QatBatchNorm BatchNorm() const {
    return bn == "batch" ? compress::QatBatchNorm::kBatch : compress::QatBatchNorm::kFrozen;
  }
  compress::QatRanges Ranges() const {
    return ranges == "tfmot" ? compress::QatRanges::kTfmot : compress::QatRanges::kCalibrated;
  }
};

void AddQatModeOptions(CLI::App* cmd, QatModeOptions* o);
// Throws CommandError when a mode option is set without --qat.
void CheckQatMode(const QatModeOptions& o, bool qat);

}  // namespace mote::cli

#endif  // MOTE_CLI_QAT_MODE_H_
