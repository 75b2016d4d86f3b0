#include "host/plan/cost.h"

#include "micro/kernels/ref/pooling.h"

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
      if (!t.is_const) c.inputs += static_cast<uint64_t>(t.elements());
    }
    for (int k = 0; k < n.num_outputs; ++k) c.output_bytes += interp.tensor(n.outputs[k]).bytes;
    if (n.num_inputs > 0 && n.inputs[0] >= 0) c.dtype = interp.tensor(n.inputs[0]).type;
    const Tensor& out = interp.tensor(n.outputs[0]);
    const uint64_t out_elems = static_cast<uint64_t>(out.elements());
    c.outputs = out_elems;
    if (n.op == OpId::kConv2D) {
      const Tensor& f = interp.tensor(n.inputs[1]);  // [Cout, KH, KW, Cin/groups]
      c.window = out_elems * f.dims[1] * f.dims[2];
      c.macs = c.window * f.dims[3];
    } else if (n.op == OpId::kDepthwiseConv2D) {
      const Tensor& f = interp.tensor(n.inputs[1]);  // [1, KH, KW, Cout]
      c.macs = c.window = out_elems * f.dims[1] * f.dims[2];
    } else if (n.op == OpId::kFullyConnected) {
      const Tensor& w = interp.tensor(n.inputs[1]);  // [units, depth]
      c.macs = out_elems * w.dims[1];
      c.window = out_elems;
    } else if (n.op == OpId::kAveragePool2D || n.op == OpId::kMaxPool2D) {
      const auto& p = *static_cast<const micro::ref::PoolParams*>(n.params);
      c.window = out_elems * static_cast<uint64_t>(p.filter_h) * static_cast<uint64_t>(p.filter_w);
    } else if (n.op == OpId::kMean) {
      c.window = c.inputs;
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
