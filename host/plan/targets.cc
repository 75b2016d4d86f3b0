#include "host/plan/targets.h"

#include <cstring>

namespace mote::host {
namespace {

struct OpCostRow {
  const char* target;
  const char* op;     // operator name, or "*": fallback for operators without MACs
  const char* dtype;  // of input 0
  double coef[5];     // per_mac, per_window, per_output, per_input, per_op
};

constexpr OpCostRow kRows[] = {
#define MOTE_OP_COST(target, op, dtype, a, b, c, d, e) {target, op, dtype, {a, b, c, d, e}},
#include "host/plan/op_costs.def"
#undef MOTE_OP_COST
};

constexpr const char* kMeasured =
    "per-operator model fitted to QEMU 7.2 per-operator instruction counts of mote's "
    "interpreter (-O2) on the golden models (bench/fit_op_costs.py, host/plan/op_costs.def)";
constexpr const char* kCpiM4 =
    "derived: 2.8 = median over KWS/VWW/IC/AD of published MLPerf Tiny latency of TFLM + "
    "CMSIS-NN on STM32L4R5 @120 MHz (181.9/600.6/704.2/10.05 ms) x clock / QEMU instruction "
    "counts of TFLM + CMSIS-NN on Cortex-M4 (7.70/24.1/29.9/0.583 M, ANCHORS.md): includes "
    "that board's flash wait states; versions differ";
constexpr const char* kCpiAssumed =
    "assumed: no cycle measurement for this core (QEMU counts instructions, not cycles)";
constexpr const char* kFlash =
    "measured: runtime flash (text+rodata+data without model) of the kws op set, -Os, "
    "tests/budgets/target_flash.json and README";
constexpr const char* kPowerAssumed =
    "assumed: typical order of magnitude, not a specific datasheet; pass --ua-per-mhz "
    "and --sleep-ua for your part";

const OpCostRow* FindRow(const std::string& target, const char* op, const char* dtype) {
  for (const auto& r : kRows)
    if (target == r.target && std::strcmp(r.op, op) == 0 &&
        (dtype == nullptr || std::strcmp(r.dtype, dtype) == 0))
      return &r;
  return nullptr;
}

}  // namespace

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"cortex-m0plus", "(none)", "cortex-m33", 1.6, 8.0,
       "estimate: the cortex-m33 per-operator model x1.6 for integer operators (Armv6-M: no "
       "32x32->64 multiply, no saturation instructions) and x8 for float (no FPU, soft-float); "
       "unmeasured",
       1.3, kCpiAssumed, 40256, "assumed: cortex-m33 figure", 60, 2, kPowerAssumed},
      {"cortex-m4", "mps2-an386", "cortex-m4", 1, 1, kMeasured, 2.8, kCpiM4, 40372, kFlash, 100,
       2, kPowerAssumed},
      {"cortex-m7", "mps2-an500", "cortex-m7", 1, 1, kMeasured, 1.0, kCpiAssumed, 37732, kFlash,
       250, 5, kPowerAssumed},
      {"cortex-m33", "mps2-an505", "cortex-m33", 1, 1, kMeasured, 1.25, kCpiAssumed, 40256,
       kFlash, 40, 2, kPowerAssumed},
      {"cortex-m55", "mps3-an547", "cortex-m55", 1, 1, kMeasured, 1.0, kCpiAssumed, 37856,
       kFlash, 60, 3, kPowerAssumed},
  };
  return kTargets;
}

const Target* FindTarget(const std::string& name) {
  for (const auto& t : Targets())
    if (t.name == name) return &t;
  return nullptr;
}

double EstimateInstructions(const Target& t, micro::OpId op, const OpCost& c, std::string* basis) {
  const char* name = micro::OpName(op);
  const char* dtype = micro::DTypeName(c.dtype);
  const OpCostRow* r = FindRow(t.coefficients_of, name, dtype);
  if (r == nullptr) r = FindRow(t.coefficients_of, name, nullptr);
  if (r == nullptr) r = FindRow(t.coefficients_of, "*", dtype);
  if (r == nullptr) r = FindRow(t.coefficients_of, "*", "int8");
  if (r == nullptr) return 0;  // no rows for this target at all
  if (basis != nullptr) {
    *basis = std::string(r->op) + " " + r->dtype;
    if (std::strcmp(r->dtype, dtype) != 0) *basis += std::string(" for ") + dtype;
  }
  const double x[5] = {static_cast<double>(c.macs), static_cast<double>(c.window),
                       static_cast<double>(c.outputs), static_cast<double>(c.inputs), 1.0};
  double sum = 0;
  for (int k = 0; k < 5; ++k) sum += r->coef[k] * x[k];
  return sum * (c.dtype == micro::DType::kFloat32 ? t.float_factor : t.int8_factor);
}

}  // namespace mote::host
