// Writes .tflite files (TFLite FlatBuffer schema v3) with the FlatBuffers
// library, from a flat description: tensors, operators in execution order,
// subgraph inputs and outputs. Field ids follow the public schema (subset in
// host/io/tflite_subset.fbs). Constant tensors get their own 16-byte aligned
// buffer; activations use the empty buffer 0.
//
//   TfliteModel m;
//   int in = m.AddTensor({"input", {1, 64, 1}, micro::DType::kInt8, {}, {0.02f}, {-3}});
//   ...
//   m.ops.push_back(op);  m.inputs = {in};  m.outputs = {out};
//   std::vector<uint8_t> bytes = WriteTflite(m);
#ifndef MOTE_HOST_IO_TFLITE_WRITER_H_
#define MOTE_HOST_IO_TFLITE_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "micro/model/schema.h"

namespace mote::host {

struct TfliteTensor {
  std::string name;
  std::vector<int32_t> shape;
  micro::DType type = micro::DType::kFloat32;
  std::vector<uint8_t> data;  // little-endian constant bytes; empty: activation
  std::vector<float> scale;   // empty: not quantized
  std::vector<int64_t> zero_point;
  int quantized_dimension = 0;
};

struct TfliteOp {
  int builtin = 0;  // BuiltinOperator code (micro/runtime/ops.def)
  int version = 1;
  std::vector<int32_t> inputs, outputs;  // -1: optional input absent
  // Options, for the ops that have them.
  micro::Padding padding = micro::Padding::kValid;
  int stride_w = 1, stride_h = 1, filter_w = 1, filter_h = 1, depth_multiplier = 1;
  micro::Activation activation = micro::Activation::kNone;
  std::vector<int32_t> new_shape;  // RESHAPE
  float beta = 1.0f;               // SOFTMAX
};

struct TfliteModel {
  std::vector<TfliteTensor> tensors;
  std::vector<TfliteOp> ops;
  std::vector<int32_t> inputs, outputs;
  std::string description = "mote";
  int AddTensor(TfliteTensor t) {
    tensors.push_back(std::move(t));
    return static_cast<int>(tensors.size()) - 1;
  }
};

// Serializes the model. Ops with options: CONV_2D, DEPTHWISE_CONV_2D,
// AVERAGE_POOL_2D, MAX_POOL_2D, FULLY_CONNECTED, SOFTMAX, RESHAPE.
std::vector<uint8_t> WriteTflite(const TfliteModel& m);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_TFLITE_WRITER_H_
