// A verifying, zero-copy view of a .tflite model (FlatBuffer, schema "TFL3").
//
// Contract: Init() checks the header and the top-level vectors of subgraph 0;
// GetTensor()/GetOp() check everything they touch (offsets, lengths, indices,
// buffer sizes against shapes) and fail with a Status and a message naming the
// tensor/op and what is wrong. Views point into the model bytes, which must
// outlive the Model and be 4-byte aligned. No heap.
//
//   Model m;
//   ErrorText err;
//   if (m.Init(bytes, size, &err) != Status::kOk) ...;
//   TensorView t;
//   m.GetTensor(m.input(0), &t, &err);
#ifndef MOTE_MICRO_MODEL_MODEL_H_
#define MOTE_MICRO_MODEL_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/model/flatbuffer.h"
#include "micro/model/schema.h"
#include "micro/status.h"

namespace mote::micro {

constexpr int kMaxRank = 6;

struct TensorView {
  const char* name = nullptr;
  DType type = DType::kFloat32;
  const int32_t* dims = nullptr;  // `rank` entries, into the model
  int rank = 0;
  const uint8_t* data = nullptr;  // constant data, or nullptr
  uint32_t data_bytes = 0;
  uint32_t elements = 0;
  bool is_variable = false;
  bool quantized = false;         // has at least one scale
  float scale = 0.0f;             // first scale
  int32_t zero_point = 0;         // first zero point
  const float* scales = nullptr;  // all scales (into the model), or nullptr
  uint32_t num_scales = 0;
  int32_t quantized_dimension = 0;
  bool zero_points_all_zero = true;
};

struct OpView {
  int32_t builtin = 0;           // BuiltinOperator code
  int32_t version = 1;
  const char* custom_name = nullptr;
  const int32_t* inputs = nullptr;  // tensor indices (-1 = omitted)
  uint32_t num_inputs = 0;
  const int32_t* outputs = nullptr;
  uint32_t num_outputs = 0;
  FbTable options;                // builtin options table (may be invalid)
  uint8_t options_type = 0;
};

class Model {
 public:
  Model() : fb_(nullptr, 0, nullptr) {}

  Status Init(const uint8_t* data, size_t size, ErrorText* err);

  uint32_t num_tensors() const { return tensors_.length; }
  uint32_t num_ops() const { return ops_.length; }
  uint32_t num_inputs() const { return inputs_.length; }
  uint32_t num_outputs() const { return outputs_.length; }
  uint32_t num_subgraphs() const { return num_subgraphs_; }
  int32_t input(uint32_t i) const { return fb_.I32At(inputs_, i); }
  int32_t output(uint32_t i) const { return fb_.I32At(outputs_, i); }
  uint32_t version() const { return version_; }
  const char* description() const { return description_; }

  Status GetTensor(uint32_t index, TensorView* out, ErrorText* err);
  Status GetOp(uint32_t index, OpView* out, ErrorText* err);
  // Finds a named entry of Model.metadata; *data is nullptr when absent.
  Status FindMetadata(const char* name, const uint8_t** data, uint32_t* size,
                      ErrorText* err);

  FlatBuffer& fb() { return fb_; }

 private:
  Status BufferData(uint32_t buffer, const uint8_t** data, uint32_t* size,
                    ErrorText* err);
  Status Quantization(const FbTable& t, uint32_t index, TensorView* out,
                      ErrorText* err);

  FlatBuffer fb_;
  FbTable subgraph_;
  FbVector op_codes_, buffers_, tensors_, ops_, inputs_, outputs_;
  uint32_t num_subgraphs_ = 0;
  uint32_t version_ = 0;
  const char* description_ = nullptr;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_MODEL_MODEL_H_
