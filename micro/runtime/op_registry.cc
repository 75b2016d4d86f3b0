#include "micro/runtime/op_registry.h"

namespace mote::micro {
namespace {

struct OpEntry {
  const char* name;
  int32_t builtin;
  OpKernel kernel;
};

constexpr OpEntry kOps[] = {
#define MOTE_OP(name, text, code) {text, code, {Prepare##name, Eval##name}},
#include "micro/runtime/ops.def"
#undef MOTE_OP
};
static_assert(sizeof(kOps) / sizeof(kOps[0]) == static_cast<size_t>(OpId::kCount),
              "ops.def and OpId disagree");

}  // namespace

const char* OpName(OpId op) {
  const unsigned i = static_cast<unsigned>(op);
  return i < static_cast<unsigned>(OpId::kCount) ? kOps[i].name : "UNKNOWN";
}

bool OpFromBuiltin(int32_t builtin, OpId* out) {
  for (unsigned i = 0; i < static_cast<unsigned>(OpId::kCount); ++i) {
    if (kOps[i].builtin == builtin) {
      *out = static_cast<OpId>(i);
      return true;
    }
  }
  return false;
}

const OpKernel& KernelFor(OpId op) { return kOps[static_cast<unsigned>(op)].kernel; }

}  // namespace mote::micro
