// The operator registry of micro/runtime/op_registry.cc, restricted to the
// operators one firmware image needs so the linker drops the others' code.
// MOTE_FW_OPS_HEADER names a generated header with one line
// `#define MOTE_FW_OP_<Name> 1` per operator kept; the others fail Prepare
// with kUnsupportedOp. Names and builtin codes stay complete.
#include "micro/runtime/op_registry.h"

#include MOTE_FW_OPS_HEADER

// MOTE_FW_KEEP(Name) is 1 if MOTE_FW_OP_Name is defined as 1, else 0.
#define MOTE_FW_ARG_1 0,
#define MOTE_FW_SECOND(ignored, val, ...) val
#define MOTE_FW_IS_ONE(x) MOTE_FW_IS_ONE_(x)  // expands x first
#define MOTE_FW_IS_ONE_(x) MOTE_FW_IS_ONE__(MOTE_FW_ARG_##x)
#define MOTE_FW_IS_ONE__(arg_or_junk) MOTE_FW_SECOND(arg_or_junk 1, 0, 0)
#define MOTE_FW_KEEP(name) MOTE_FW_IS_ONE(MOTE_FW_OP_##name)

namespace mote::micro {
namespace {

struct OpEntry {
  const char* name;
  int32_t builtin;
  OpKernel kernel;
};

Status PrepareNotLinked(PrepareContext& ctx) {
  return ctx.Error(Status::kUnsupportedOp, "operator not linked into this firmware");
}
void EvalNotLinked(const Node&, Tensor*) {}

constexpr OpEntry kOps[] = {
#define MOTE_OP(name, text, code)                                    \
  {text, code,                                                       \
   {MOTE_FW_KEEP(name) ? Prepare##name : PrepareNotLinked,           \
    MOTE_FW_KEEP(name) ? Eval##name : EvalNotLinked}},
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
