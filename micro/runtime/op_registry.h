// The operator registry, generated from ops.def: one Prepare and one Eval
// function per OpId.
#ifndef MOTE_MICRO_RUNTIME_OP_REGISTRY_H_
#define MOTE_MICRO_RUNTIME_OP_REGISTRY_H_

#include "micro/runtime/tensor.h"

namespace mote::micro {

using PrepareFn = Status (*)(PrepareContext& ctx);
using EvalFn = void (*)(const Node& node, Tensor* tensors);

#define MOTE_OP(name, text, code)           \
  Status Prepare##name(PrepareContext& ctx); \
  void Eval##name(const Node& node, Tensor* tensors);
#include "micro/runtime/ops.def"
#undef MOTE_OP

struct OpKernel {
  PrepareFn prepare;
  EvalFn eval;
};
const OpKernel& KernelFor(OpId op);

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_OP_REGISTRY_H_
