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

#define MOTE_OP_S16(name)                       \
  Status Prepare##name##S16(PrepareContext& ctx); \
  void Eval##name##S16(const Node& node, Tensor* tensors);
#include "micro/runtime/ops_s16.def"
#undef MOTE_OP_S16

struct OpKernel {
  PrepareFn prepare;
  EvalFn eval;
};
// The op's int8/float32 kernel.
const OpKernel& KernelFor(OpId op);
// The kernel node n runs: the op's 16x8 kernel (ops_s16.def) when its input 0
// or output 0 is int16, else KernelFor(n.op). Cheap enough for every Invoke.
const OpKernel& KernelFor(const Node& n, const Tensor* tensors);

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_OP_REGISTRY_H_
