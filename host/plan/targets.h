// Named Cortex-M targets and the figures the budget estimates use.
//
// Every figure carries its source. "measured" figures come from this
// repository's QEMU runs (bench/target_bench.py: mote's interpreter, -O2,
// instructions per invoke summed over the golden models divided by their
// MACs; runtime flash of the kws op set at -Os). "assumed" figures are
// placeholders until a board measurement replaces them; pass your part's
// values on the command line.
//
//   const Target* t = FindTarget("cortex-m4");
//   uint64_t cycles = EstimateCycles(*t, int8_macs, f32_macs);
#ifndef MOTE_HOST_PLAN_TARGETS_H_
#define MOTE_HOST_PLAN_TARGETS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mote::host {

struct Target {
  std::string name;             // cortex-m4, ...
  std::string qemu_board;       // where the instruction figures were measured
  double instr_per_mac_int8;    // mote kernels, instructions per MAC
  double instr_per_mac_f32;
  std::string instr_source;
  double cycles_per_instr;      // CPI
  std::string cpi_source;
  uint32_t runtime_flash;       // bytes: interpreter + kernels (kws op set, -Os)
  std::string flash_source;
  double ua_per_mhz;            // run current
  double sleep_ua;              // current between inferences
  std::string power_source;
};

const std::vector<Target>& Targets();
const Target* FindTarget(const std::string& name);
// Cycles for one inference from the MACs of int8 and float32 layers.
double EstimateCycles(const Target& t, uint64_t int8_macs, uint64_t f32_macs);

}  // namespace mote::host

#endif  // MOTE_HOST_PLAN_TARGETS_H_
