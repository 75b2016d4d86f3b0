// Runtime records the interpreter keeps in the arena: one Tensor per model
// tensor and one Node per operator, plus the contexts kernels see.
//
// Contract: Prepare<Op>(PrepareContext&) validates shapes and types once,
// precomputes parameters into memory from ctx.Allocate() (persistent arena)
// and stores them in node.params. Eval<Op>(const Node&, Tensor*) only computes:
// no checks, no allocation, no logging.
#ifndef MOTE_MICRO_RUNTIME_TENSOR_H_
#define MOTE_MICRO_RUNTIME_TENSOR_H_

#include <stddef.h>
#include <stdint.h>

#include <new>  // placement new only

#include "micro/kernels/ref/shape.h"
#include "micro/model/model.h"
#include "micro/status.h"

namespace mote::micro {

enum class OpId : uint8_t {
#define MOTE_OP(name, text, code) k##name,
#include "micro/runtime/ops.def"
#undef MOTE_OP
  kCount
};
const char* OpName(OpId op);
// Maps a .tflite builtin code to an OpId; false if mote does not run it.
bool OpFromBuiltin(int32_t builtin, OpId* out);

struct Tensor {  // 32 bytes on 64-bit hosts, 24 on Cortex-M
  uint8_t* data = nullptr;        // arena (activations) or model (constants)
  const int32_t* dims = nullptr;  // into the model
  float scale = 0.0f;             // first (or only) scale; 0 if not quantized
  int32_t zero_point = 0;
  uint32_t bytes = 0;
  uint8_t rank = 0;
  DType type = DType::kFloat32;
  uint8_t quantized_dimension = 0;
  uint8_t is_const : 1;
  uint8_t quantized : 1;
  uint8_t per_channel : 1;        // more than one scale (see PrepareContext::Scales)

  Tensor() : is_const(0), quantized(0), per_channel(0) {}
  template <typename T>
  T* as() const { return reinterpret_cast<T*>(data); }
  int dim(int i) const { return dims[i]; }
  int elements() const {
    int n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  // The shape as NHWC with leading 1s (REQUIRES rank <= 4).
  ref::Shape4 Shape4() const;
};

struct Node {
  const int32_t* inputs = nullptr;
  const int32_t* outputs = nullptr;
  void* params = nullptr;
  uint32_t inplace_gap = 0;    // see PrepareContext::AllowInPlace
  uint8_t num_inputs = 0;
  uint8_t num_outputs = 0;
  OpId op = OpId::kCount;
  int8_t inplace_input = -1;
};

// Helpers for Eval: the i-th input/output tensor of a node.
inline Tensor& In(const Node& n, Tensor* t, int i) { return t[n.inputs[i]]; }
inline Tensor& Out(const Node& n, Tensor* t, int i) { return t[n.outputs[i]]; }

class Arena;

// Temporary memory an op may use during its own Eval only (contents are not
// kept from one op to the next): the interpreter allocates one buffer of the
// largest size any op requested (PrepareContext::RequestScratch) once every
// op is prepared, and sets `data` (16-byte aligned).
struct SharedScratch {
  uint8_t* data = nullptr;
  size_t bytes = 0;
};

class PrepareContext {
 public:
  // scratch: the interpreter's shared scratch record (created on the first
  // request); nullptr gives every request a buffer of its own.
  PrepareContext(Model* model, Tensor* tensors, Node* node, const OpView* op,
                 int index, Arena* arena, ErrorText* err, SharedScratch** scratch = nullptr)
      : model_(model), tensors_(tensors), node_(node), op_(op), index_(index),
        arena_(arena), err_(err), scratch_(scratch) {}

  Node& node() { return *node_; }
  int index() const { return index_; }
  int num_inputs() const { return node_->num_inputs; }
  int num_outputs() const { return node_->num_outputs; }
  bool HasInput(int i) const { return i < node_->num_inputs && node_->inputs[i] >= 0; }
  Tensor& input(int i) { return tensors_[node_->inputs[i]]; }
  Tensor& output(int i) { return tensors_[node_->outputs[i]]; }

  // Declares that output 0 may share memory with input i while the op runs,
  // provided output 0 starts at least `gap` bytes below input i: the op
  // writes its output in increasing address order and never reads input
  // bytes below (write position + gap). The planner uses this only when
  // input i is not needed after this op.
  void AllowInPlace(int i, uint32_t gap) {
    node_->inplace_input = static_cast<int8_t>(i);
    node_->inplace_gap = gap;
  }

  // All scales of input i (per-channel quantization), read from the model;
  // nullptr if it has none. *n gets their count.
  const float* Scales(int i, int* n);

  // Persistent memory for parameters (8-byte aligned); nullptr when full.
  void* Allocate(size_t bytes);
  // At least `bytes` of the shared scratch for this op's Eval: read
  // record->data there (set once all ops are prepared). nullptr when full.
  const SharedScratch* RequestScratch(size_t bytes);
  template <typename T>
  T* New() {
    void* p = Allocate(sizeof(T));
    return p != nullptr ? new (p) T() : nullptr;
  }
  template <typename T>
  T* NewArray(int n) {
    return static_cast<T*>(Allocate(sizeof(T) * static_cast<size_t>(n)));
  }

  // Builtin options; absent fields and absent tables give the default.
  int32_t OptionI32(int field, int32_t def);
  uint8_t OptionU8(int field, uint8_t def);
  float OptionF32(int field, float def);
  // Reads an int32 vector option (e.g. RESHAPE new_shape); n = -1 if absent.
  bool OptionVector(int field, const int32_t** data, int* n);

  // Fails the op with a message prefixed by "op N (NAME): ".
  template <typename... Parts>
  Status Error(Status s, Parts... parts) {
    Fail(err_, s, "op ", index_, " (", OpName(node_->op), "): ", parts...);
    return s;
  }
  // Common checks; each returns kOk or an error naming the problem.
  Status ExpectCounts(int min_inputs, int max_inputs, int outputs);
  Status ExpectType(const Tensor& t, const char* what, DType type);
  Status ExpectQuantized(const Tensor& t, const char* what);
  Status ExpectSameShape(const Tensor& a, const Tensor& b, const char* what);
  Status ExpectRank(const Tensor& t, const char* what, int rank);
  // Integer clamp range of a fused activation for an int8 output.
  Status ActivationRangeS8(uint8_t act, const Tensor& out, int32_t* lo, int32_t* hi);
  Status ActivationRangeF32(uint8_t act, float* lo, float* hi);

 private:
  Model* model_;
  Tensor* tensors_;
  Node* node_;
  const OpView* op_;
  int index_;
  Arena* arena_;
  ErrorText* err_;
  SharedScratch** scratch_;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_TENSOR_H_
