#include <math.h>

#include "micro/kernels/ref/quant.h"
#include "micro/runtime/arena.h"
#include "micro/runtime/tensor.h"

namespace mote::micro {

ref::Shape4 Tensor::Shape4() const {
  ref::Shape4 s;
  int d[4] = {1, 1, 1, 1};
  for (int i = 0; i < rank && i < 4; ++i) d[4 - rank + i] = dims[i];
  s.n = d[0];
  s.h = d[1];
  s.w = d[2];
  s.c = d[3];
  return s;
}

void* PrepareContext::Allocate(size_t bytes) {
  return arena_->AllocatePersistent(bytes, 8);
}

const SharedScratch* PrepareContext::RequestScratch(size_t bytes) {
  if (scratch_ == nullptr) {  // no interpreter-wide record: a buffer of its own
    SharedScratch* own = New<SharedScratch>();
    if (own == nullptr) return nullptr;
    own->data = static_cast<uint8_t*>(arena_->AllocatePersistent(bytes, 16));
    own->bytes = bytes;
    return own->data != nullptr ? own : nullptr;
  }
  if (*scratch_ == nullptr) *scratch_ = New<SharedScratch>();
  if (*scratch_ == nullptr) return nullptr;
  if (bytes > (*scratch_)->bytes) (*scratch_)->bytes = bytes;
  return *scratch_;
}

const float* PrepareContext::Scales(int i, int* n) {
  TensorView v;
  *n = 0;
  if (!HasInput(i) || model_->GetTensor(node_->inputs[i], &v, err_) != Status::kOk) return nullptr;
  *n = static_cast<int>(v.num_scales);
  return v.scales;
}

int32_t PrepareContext::OptionI32(int field, int32_t def) {
  int32_t v = def;
  if (!model_->fb().I32(op_->options, field, def, &v)) return def;
  return v;
}

uint8_t PrepareContext::OptionU8(int field, uint8_t def) {
  uint8_t v = def;
  if (!model_->fb().U8(op_->options, field, def, &v)) return def;
  return v;
}

float PrepareContext::OptionF32(int field, float def) {
  float v = def;
  if (!model_->fb().F32(op_->options, field, def, &v)) return def;
  return v;
}

bool PrepareContext::OptionVector(int field, const int32_t** data, int* n) {
  FbVector v;
  *data = nullptr;
  *n = -1;
  model_->fb().set_error(err_);
  if (!model_->fb().VectorField(op_->options, field, 4, "option vector", &v)) return false;
  if (v.present) {
    *data = reinterpret_cast<const int32_t*>(model_->fb().Pointer(v.pos));
    *n = static_cast<int>(v.length);
  }
  return true;
}

Status PrepareContext::ExpectCounts(int min_inputs, int max_inputs, int outputs) {
  if (num_inputs() < min_inputs || num_inputs() > max_inputs)
    return Error(Status::kBadModel, "expects ", min_inputs, "..", max_inputs,
                 " inputs, has ", num_inputs());
  if (num_outputs() != outputs)
    return Error(Status::kBadModel, "expects ", outputs, " outputs, has ", num_outputs());
  for (int i = 0; i < min_inputs; ++i)
    if (!HasInput(i)) return Error(Status::kBadModel, "input ", i, " is missing");
  return Status::kOk;
}

Status PrepareContext::ExpectType(const Tensor& t, const char* what, DType type) {
  if (t.type != type)
    return Error(Status::kUnsupportedType, what, " is ", DTypeName(t.type),
                 ", expected ", DTypeName(type));
  return Status::kOk;
}

Status PrepareContext::ExpectQuantized(const Tensor& t, const char* what) {
  if (!t.quantized)
    return Error(Status::kBadModel, what, " (", DTypeName(t.type),
                 ") has no quantization parameters");
  return Status::kOk;
}

Status PrepareContext::ExpectSameShape(const Tensor& a, const Tensor& b, const char* what) {
  bool same = a.rank == b.rank;
  for (int i = 0; same && i < a.rank; ++i) same = a.dims[i] == b.dims[i];
  if (!same) return Error(Status::kShapeMismatch, what, " shapes differ");
  return Status::kOk;
}

Status PrepareContext::ExpectRank(const Tensor& t, const char* what, int rank) {
  if (t.rank != rank)
    return Error(Status::kShapeMismatch, what, " has rank ", t.rank, ", expected ", rank);
  return Status::kOk;
}

Status PrepareContext::ActivationRangeS8(uint8_t act, const Tensor& out,
                                         int32_t* lo, int32_t* hi) {
  const auto q = [&out](float v) {
    float steps = ref::RoundAway(v / out.scale);
    steps = steps > 1.0e9f ? 1.0e9f : (steps < -1.0e9f ? -1.0e9f : steps);  // tiny scales
    return out.zero_point + static_cast<int32_t>(steps);
  };
  *lo = -128;
  *hi = 127;
  switch (static_cast<Activation>(act)) {
    case Activation::kNone: return Status::kOk;
    case Activation::kRelu: *lo = q(0.0f) > *lo ? q(0.0f) : *lo; return Status::kOk;
    case Activation::kRelu6:
      *lo = q(0.0f) > *lo ? q(0.0f) : *lo;
      *hi = q(6.0f) < *hi ? q(6.0f) : *hi;
      return Status::kOk;
    case Activation::kReluN1To1:
      *lo = q(-1.0f) > *lo ? q(-1.0f) : *lo;
      *hi = q(1.0f) < *hi ? q(1.0f) : *hi;
      return Status::kOk;
    default:
      return Error(Status::kUnsupportedOp, "fused activation ", act, " is not supported");
  }
}

Status PrepareContext::ActivationRangeF32(uint8_t act, float* lo, float* hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  switch (static_cast<Activation>(act)) {
    case Activation::kNone: return Status::kOk;
    case Activation::kRelu: *lo = 0.0f; return Status::kOk;
    case Activation::kRelu6: *lo = 0.0f; *hi = 6.0f; return Status::kOk;
    case Activation::kReluN1To1: *lo = -1.0f; *hi = 1.0f; return Status::kOk;
    default:
      return Error(Status::kUnsupportedOp, "fused activation ", act, " is not supported");
  }
}

}  // namespace mote::micro
