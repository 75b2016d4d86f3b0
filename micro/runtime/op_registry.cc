#include "micro/runtime/op_registry.h"

// A firmware image can keep only the operators it needs, so that the linker
// drops the others' code: compile this file with MOTE_OPS_HEADER naming a
// header with one line `#define MOTE_KEEP_OP_<Name> 1` per operator kept.
// The other operators then fail Prepare with kUnsupportedOp; names and
// builtin codes stay complete. The 16x8 (int16) kernels of the kept operators
// (ops_s16.def) are linked only if the header also has
// `#define MOTE_KEEP_INT16 1`.
#ifdef MOTE_OPS_HEADER
#include MOTE_OPS_HEADER
// MOTE_KEEP(Name) is 1 if MOTE_KEEP_OP_Name is defined as 1, else 0.
#define MOTE_KEEP_ARG_1 0,
#define MOTE_KEEP_SECOND(ignored, val, ...) val
#define MOTE_KEEP_IS_ONE(x) MOTE_KEEP_IS_ONE_(x)  // expands x first
#define MOTE_KEEP_IS_ONE_(x) MOTE_KEEP_IS_ONE__(MOTE_KEEP_ARG_##x)
#define MOTE_KEEP_IS_ONE__(arg_or_junk) MOTE_KEEP_SECOND(arg_or_junk 1, 0, 0)
#define MOTE_KEEP(name) MOTE_KEEP_IS_ONE(MOTE_KEEP_OP_##name)
// The 16x8 kernels too only if the header asks for them (MOTE_KEEP_INT16 1):
// int8-only images do not pay for them in flash.
#define MOTE_KEEP_S16_ANY MOTE_KEEP_IS_ONE(MOTE_KEEP_INT16)
#else
#define MOTE_KEEP(name) 1
#define MOTE_KEEP_S16_ANY 1
#endif

namespace mote::micro {
namespace {

struct OpEntry {
  const char* name;
  int32_t builtin;
  OpKernel kernel;
};

[[maybe_unused]] Status PrepareNotLinked(PrepareContext& ctx) {
  return ctx.Error(Status::kUnsupportedOp, "operator not linked into this firmware");
}
[[maybe_unused]] void EvalNotLinked(const Node&, Tensor*) {}

constexpr OpEntry kOps[] = {
#define MOTE_OP(name, text, code)                                  \
  {text, code,                                                     \
   {MOTE_KEEP(name) ? Prepare##name : PrepareNotLinked,            \
    MOTE_KEEP(name) ? Eval##name : EvalNotLinked}},
#include "micro/runtime/ops.def"
#undef MOTE_OP
};
static_assert(sizeof(kOps) / sizeof(kOps[0]) == static_cast<size_t>(OpId::kCount),
              "ops.def and OpId disagree");

[[maybe_unused]] Status PrepareS16NotLinked(PrepareContext& ctx) {
  return ctx.Error(Status::kUnsupportedType,
                   "int16 (16x8) kernels not linked into this firmware (MOTE_KEEP_INT16)");
}

// Ops with a 16x8 kernel, one bit per OpId (an int8-only image keeps only
// this word, not the table below).
constexpr uint64_t S16Mask() {
  uint64_t m = 0;
#define MOTE_OP_S16(name) m |= uint64_t{1} << static_cast<unsigned>(OpId::k##name);
#include "micro/runtime/ops_s16.def"
#undef MOTE_OP_S16
  return m;
}
static_assert(static_cast<unsigned>(OpId::kCount) <= 64, "S16Mask needs a wider word");
constexpr uint64_t kS16Mask = S16Mask();
constexpr bool kKeepS16 = MOTE_KEEP_S16_ANY;

// 16x8 kernels by OpId; {nullptr, nullptr} where an op has none.
struct S16Table {
  OpKernel k[static_cast<size_t>(OpId::kCount)] = {};
  constexpr S16Table() {
#define MOTE_OP_S16(name)                                                       \
  k[static_cast<size_t>(OpId::k##name)] =                                       \
      OpKernel{MOTE_KEEP(name) ? Prepare##name##S16 : PrepareNotLinked,         \
               MOTE_KEEP(name) ? Eval##name##S16 : EvalNotLinked};
#include "micro/runtime/ops_s16.def"
#undef MOTE_OP_S16
  }
};

bool IsInt16(const Tensor* t, const int32_t* ids, int n) {
  return n > 0 && ids[0] >= 0 && t[ids[0]].type == DType::kInt16;
}

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

const OpKernel& KernelFor(const Node& n, const Tensor* tensors) {
  const unsigned i = static_cast<unsigned>(n.op);
  if (((kS16Mask >> i) & 1) == 0 || !(IsInt16(tensors, n.inputs, n.num_inputs) ||
                                      IsInt16(tensors, n.outputs, n.num_outputs)))
    return kOps[i].kernel;
  if constexpr (kKeepS16) {
    static constexpr S16Table kS16;
    return kS16.k[i];
  } else {
    static constexpr OpKernel kNotLinked{PrepareS16NotLinked, EvalNotLinked};
    return kNotLinked;
  }
}

}  // namespace mote::micro
