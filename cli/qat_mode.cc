#include "cli/qat_mode.h"

#include "cli/commands.h"

namespace mote::cli {

void AddQatModeOptions(CLI::App* cmd, QatModeOptions* o) {
  cmd->add_option("--qat-bn", o->bn,
                  "with --qat: BatchNorm after a Conv: frozen (default; folded with its moving\n"
                  "statistics) or batch (keeps training on batch statistics, as TFMOT)")
      ->check(CLI::IsMember({"frozen", "batch"}));
  cmd->add_option("--qat-ranges", o->ranges,
                  "with --qat: activation ranges start at the calibration min/max and follow a\n"
                  "moving average (calibrated, default), or start as TFMOT's quantizers do\n"
                  "(tfmot: input from [0, 0] keeping the min/max of all batches, the others\n"
                  "from [-6, 6] with decay 0.999)")
      ->check(CLI::IsMember({"calibrated", "tfmot"}));
  cmd->add_option("--qat-ema-decay", o->ema_decay,
                  "with --qat: moving-average decay of the ranges (default 0.99; 0.999 with\n"
                  "--qat-ranges tfmot)")
      ->check(CLI::Range(0.0f, 1.0f));
}

void CheckQatMode(const QatModeOptions& o, bool qat) {
  if (qat) return;
  if (o.bn != "frozen") throw CommandError("--qat-bn " + o.bn + " needs --qat");
  if (o.ranges != "calibrated") throw CommandError("--qat-ranges " + o.ranges + " needs --qat");
  if (o.ema_decay >= 0.0f) throw CommandError("--qat-ema-decay needs --qat");
}

}  // namespace mote::cli
