#include "host/plan/cost.h"

namespace mote::host {

using micro::OpId;
using micro::Tensor;

std::vector<OpCost> OpCosts(const micro::Interpreter& interp) {
  std::vector<OpCost> costs(interp.num_nodes());
  for (size_t i = 0; i < interp.num_nodes(); ++i) {
    const micro::Node& n = interp.node(i);
    OpCost& c = costs[i];
    for (int k = 0; k < n.num_inputs; ++k) {
      if (n.inputs[k] < 0) continue;
      const Tensor& t = interp.tensor(n.inputs[k]);
      (t.is_const ? c.weight_bytes : c.input_bytes) += t.bytes;
    }
    for (int k = 0; k < n.num_outputs; ++k) c.output_bytes += interp.tensor(n.outputs[k]).bytes;
    const Tensor& out = interp.tensor(n.outputs[0]);
    const uint64_t out_elems = static_cast<uint64_t>(out.elements());
    if (n.op == OpId::kConv2D) {
      const Tensor& f = interp.tensor(n.inputs[1]);  // [Cout, KH, KW, Cin/groups]
      c.macs = out_elems * f.dims[1] * f.dims[2] * f.dims[3];
    } else if (n.op == OpId::kDepthwiseConv2D) {
      const Tensor& f = interp.tensor(n.inputs[1]);  // [1, KH, KW, Cout]
      c.macs = out_elems * f.dims[1] * f.dims[2];
    } else if (n.op == OpId::kFullyConnected) {
      const Tensor& w = interp.tensor(n.inputs[1]);  // [units, depth]
      c.macs = out_elems * w.dims[1];
    }
  }
  return costs;
}

uint64_t ConstantBytes(const micro::Interpreter& interp) {
  uint64_t total = 0;
  for (size_t i = 0; i < interp.num_tensors(); ++i)
    if (interp.tensor(i).is_const) total += interp.tensor(i).bytes;
  return total;
}

}  // namespace mote::host
