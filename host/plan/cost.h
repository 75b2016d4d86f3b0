// Per-operator cost figures computed from a prepared interpreter.
//
//   auto costs = OpCosts(interp);   // one entry per operator
//   costs[3].macs
#ifndef MOTE_HOST_PLAN_COST_H_
#define MOTE_HOST_PLAN_COST_H_

#include <cstdint>
#include <vector>

#include "micro/runtime/interpreter.h"

namespace mote::host {

struct OpCost {
  uint64_t macs = 0;          // multiply-accumulates (conv, depthwise, FC)
  uint64_t weight_bytes = 0;  // constant inputs (weights, biases, shapes)
  uint64_t input_bytes = 0;   // non-constant inputs read
  uint64_t output_bytes = 0;  // outputs written
  // Work counts of the per-operator instruction model (host/plan/targets.h):
  // window = output elements x kernel taps (conv, depthwise, pooling), output
  // elements (fully connected), input elements (MEAN), else 0.
  uint64_t window = 0;
  uint64_t outputs = 0;       // output elements
  uint64_t inputs = 0;        // non-constant input elements
  micro::DType dtype = micro::DType::kFloat32;  // of input 0: the kernel variant
};

std::vector<OpCost> OpCosts(const micro::Interpreter& interp);
// Bytes of every constant tensor (each counted once).
uint64_t ConstantBytes(const micro::Interpreter& interp);

}  // namespace mote::host

#endif  // MOTE_HOST_PLAN_COST_H_
