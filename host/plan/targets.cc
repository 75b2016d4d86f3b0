#include "host/plan/targets.h"

namespace mote::host {
namespace {

// Instructions per MAC: (sum of instructions per invoke) / (sum of MACs) over
// the golden models, README "On Cortex-M" table, 2026-11-28. int8: ad, ic,
// kws, sww, vww (23,738,624 MACs); float: ad, ic, vww (20,255,232 MACs).
constexpr const char* kMeasured =
    "measured: QEMU 7.2 instruction counts of mote's interpreter (-O2) on the golden "
    "models, bench/target_bench.py, 2026-11-28";
constexpr const char* kCpiAssumed =
    "assumed: no cycle-accurate measurement yet (QEMU counts instructions, not cycles)";
constexpr const char* kFlash =
    "measured: runtime flash (text+rodata+data without model) of the kws op set, -Os, "
    "tests/budgets/target_flash.json and README";
constexpr const char* kPowerAssumed =
    "assumed: typical order of magnitude, not a specific datasheet; pass --ua-per-mhz "
    "and --sleep-ua for your part";

}  // namespace

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"cortex-m0plus", "(none)", 6.42 * 1.6, 4.64 * 8.0,
       "estimate: cortex-m33 figures x1.6 for int8 (Armv6-M: no 32x32->64 multiply, no "
       "saturation instructions) and x8 for float (no FPU, soft-float); unmeasured",
       1.3, kCpiAssumed, 36152, "assumed: cortex-m33 figure", 60, 2, kPowerAssumed},
      {"cortex-m4", "mps2-an386", 6.52, 4.66, kMeasured, 1.25, kCpiAssumed, 36276, kFlash, 100,
       2, kPowerAssumed},
      {"cortex-m7", "mps2-an500", 6.45, 4.60, kMeasured, 0.8, kCpiAssumed, 33636, kFlash, 250, 5,
       kPowerAssumed},
      {"cortex-m33", "mps2-an505", 6.42, 4.64, kMeasured, 1.25, kCpiAssumed, 36152, kFlash, 40, 2,
       kPowerAssumed},
      {"cortex-m55", "mps3-an547", 6.31, 4.45, kMeasured, 1.0, kCpiAssumed, 33920, kFlash, 60, 3,
       kPowerAssumed},
  };
  return kTargets;
}

const Target* FindTarget(const std::string& name) {
  for (const auto& t : Targets())
    if (t.name == name) return &t;
  return nullptr;
}

double EstimateCycles(const Target& t, uint64_t int8_macs, uint64_t f32_macs) {
  const double instructions = t.instr_per_mac_int8 * static_cast<double>(int8_macs) +
                              t.instr_per_mac_f32 * static_cast<double>(f32_macs);
  return instructions * t.cycles_per_instr;
}

}  // namespace mote::host
