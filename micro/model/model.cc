#include "micro/model/model.h"

namespace mote::micro {

const char* DTypeName(DType t) {
  static const char* const kNames[] = {
      "float32", "float16", "int32", "uint8", "int64", "string",
      "bool", "int16", "complex64", "int8", "float64"};
  const unsigned i = static_cast<unsigned>(t);
  return i <= kMaxDType ? kNames[i] : "unknown";
}

size_t DTypeSize(DType t) {
  static const uint8_t kSizes[] = {4, 2, 4, 1, 8, 0, 1, 2, 8, 1, 8};
  const unsigned i = static_cast<unsigned>(t);
  return i <= kMaxDType ? kSizes[i] : 0;
}

Status Model::Init(const uint8_t* data, size_t size, ErrorText* err) {
  using namespace field;
  *this = Model();
  if (data == nullptr) return Fail(err, Status::kBadArgument, "no model data");
  if (reinterpret_cast<uintptr_t>(data) % 4 != 0)
    return Fail(err, Status::kBadArgument, "model data must be 4-byte aligned");
  fb_ = FlatBuffer(data, size, err);
  FbTable root;
  if (!fb_.Root(&root)) return fb_.status();
  if (data[4] != 'T' || data[5] != 'F' || data[6] != 'L' || data[7] != '3')
    return Fail(err, Status::kBadModel,
                "bad file identifier (expected \"TFL3\"): not a .tflite model");
  if (!fb_.U32(root, kModelVersion, 0, &version_)) return fb_.status();
  if (version_ != 3)
    return Fail(err, Status::kBadModel, "unsupported schema version ", version_,
                " (expected 3)");
  FbVector subgraphs;
  if (!fb_.VectorField(root, kModelOperatorCodes, 4, "operator_codes", &op_codes_) ||
      !fb_.VectorField(root, kModelSubgraphs, 4, "subgraphs", &subgraphs) ||
      !fb_.VectorField(root, kModelBuffers, 4, "buffers", &buffers_) ||
      !fb_.StringField(root, kModelDescription, "description", &description_))
    return fb_.status();
  if (subgraphs.length == 0)
    return Fail(err, Status::kBadModel, "model has no subgraph");
  num_subgraphs_ = subgraphs.length;
  if (!fb_.TableElement(subgraphs, 0, "subgraph", &subgraph_) ||
      !fb_.VectorField(subgraph_, kSubgraphTensors, 4, "tensors", &tensors_) ||
      !fb_.VectorField(subgraph_, kSubgraphInputs, 4, "subgraph inputs", &inputs_) ||
      !fb_.VectorField(subgraph_, kSubgraphOutputs, 4, "subgraph outputs", &outputs_) ||
      !fb_.VectorField(subgraph_, kSubgraphOperators, 4, "operators", &ops_))
    return fb_.status();
  for (uint32_t i = 0; i < inputs_.length; ++i) {
    const int32_t t = input(i);
    if (t < 0 || static_cast<uint32_t>(t) >= tensors_.length)
      return Fail(err, Status::kBadModel, "model input ", i, " names tensor ", t,
                  ", out of range (", tensors_.length, " tensors)");
  }
  for (uint32_t i = 0; i < outputs_.length; ++i) {
    const int32_t t = output(i);
    if (t < 0 || static_cast<uint32_t>(t) >= tensors_.length)
      return Fail(err, Status::kBadModel, "model output ", i, " names tensor ", t,
                  ", out of range (", tensors_.length, " tensors)");
  }
  return Status::kOk;
}

Status Model::BufferData(uint32_t buffer, const uint8_t** data, uint32_t* size,
                         ErrorText* err) {
  using namespace field;
  *data = nullptr;
  *size = 0;
  if (buffer == 0) return Status::kOk;  // buffer 0 is the empty sentinel
  if (buffer >= buffers_.length)
    return Fail(err, Status::kBadModel, "buffer index ", buffer,
                " out of range (", buffers_.length, " buffers)");
  FbTable b;
  FbVector bytes;
  uint64_t offset = 0, length = 0;
  if (!fb_.TableElement(buffers_, buffer, "buffer", &b) ||
      !fb_.VectorField(b, kBufferData, 1, "buffer data", &bytes) ||
      !fb_.U64(b, kBufferOffset, 0, &offset) || !fb_.U64(b, kBufferSize, 0, &length))
    return fb_.status();
  if (bytes.present && bytes.length > 0) {
    *data = fb_.Pointer(bytes.pos);
    *size = bytes.length;
  } else if (offset > 1) {  // data stored after the FlatBuffer (large models)
    if (offset + length > fb_.size() || offset + length < offset)
      return Fail(err, Status::kTruncated, "buffer ", buffer, " data at offset ",
                  static_cast<int64_t>(offset), " extends past the end of the file");
    *data = fb_.Pointer(static_cast<uint32_t>(offset));
    *size = static_cast<uint32_t>(length);
  }
  return Status::kOk;
}

Status Model::Quantization(const FbTable& t, uint32_t index, TensorView* out,
                           ErrorText* err) {
  using namespace field;
  FbTable q;
  if (!fb_.TableField(t, kTensorQuantization, "quantization", &q))
    return fb_.status();
  if (!q.valid()) return Status::kOk;
  FbVector scales, zps;
  uint8_t details = 0;
  if (!fb_.VectorField(q, kQuantScale, 4, "quantization scale", &scales) ||
      !fb_.VectorField(q, kQuantZeroPoint, 8, "quantization zero_point", &zps) ||
      !fb_.I32(q, kQuantDimension, 0, &out->quantized_dimension) ||
      !fb_.U8(q, kQuantDetailsType, 0, &details))
    return fb_.status();
  if (details != 0)
    return Fail(err, Status::kUnsupportedType, "tensor ", index,
                " uses custom quantization details");
  if (scales.length == 0) return Status::kOk;
  if (zps.length != scales.length && zps.length != 0)
    return Fail(err, Status::kBadModel, "tensor ", index, " has ", scales.length,
                " scales but ", zps.length, " zero points");
  if (out->quantized_dimension < 0 || out->quantized_dimension >= out->rank) {
    if (scales.length > 1)
      return Fail(err, Status::kBadModel, "tensor ", index,
                  " quantized_dimension ", out->quantized_dimension,
                  " out of range for rank ", out->rank);
  } else if (scales.length > 1 &&
             static_cast<uint32_t>(out->dims[out->quantized_dimension]) != scales.length) {
    return Fail(err, Status::kBadModel, "tensor ", index, " has ", scales.length,
                " scales for dimension ", out->quantized_dimension, " of size ",
                out->dims[out->quantized_dimension]);
  }
  out->quantized = true;
  out->scales = reinterpret_cast<const float*>(fb_.Pointer(scales.pos));
  out->num_scales = scales.length;
  out->scale = fb_.F32At(scales, 0);
  for (uint32_t i = 0; i < scales.length; ++i) {
    const float s = fb_.F32At(scales, i);
    if (!(s > 0.0f) || s > 3.0e38f)  // rejects NaN, Inf, zero and negatives
      return Fail(err, Status::kBadModel, "tensor ", index, " scale ", i,
                  " is not a positive finite number");
  }
  // Zero points must fit the tensor's type (kernels subtract them in int32).
  int64_t zp_min = -32768, zp_max = 65535;
  if (out->type == DType::kInt8) zp_min = -128, zp_max = 127;
  if (out->type == DType::kUInt8) zp_min = 0, zp_max = 255;
  if (out->type == DType::kInt16) zp_max = 32767;
  for (uint32_t i = 0; i < zps.length; ++i) {
    const int64_t z = fb_.I64At(zps, i);
    if (z < zp_min || z > zp_max)
      return Fail(err, Status::kBadModel, "tensor ", index, " zero point ", z,
                  " out of range for ", DTypeName(out->type));
    if (z != 0) out->zero_points_all_zero = false;
  }
  out->zero_point = zps.length > 0 ? static_cast<int32_t>(fb_.I64At(zps, 0)) : 0;
  return Status::kOk;
}

Status Model::GetTensor(uint32_t index, TensorView* out, ErrorText* err) {
  fb_.set_error(err);
  using namespace field;
  *out = TensorView();
  if (index >= tensors_.length)
    return Fail(err, Status::kBadModel, "tensor index ", index, " out of range (",
                tensors_.length, " tensors)");
  FbTable t, sparsity;
  FbVector shape;
  uint8_t type = 0, is_variable = 0;
  uint32_t buffer = 0;
  if (!fb_.TableElement(tensors_, index, "tensor", &t) ||
      !fb_.VectorField(t, kTensorShape, 4, "tensor shape", &shape) ||
      !fb_.U8(t, kTensorType, 0, &type) || !fb_.U32(t, kTensorBuffer, 0, &buffer) ||
      !fb_.StringField(t, kTensorName, "tensor name", &out->name) ||
      !fb_.U8(t, kTensorIsVariable, 0, &is_variable) ||
      !fb_.TableField(t, kTensorSparsity, "sparsity", &sparsity))
    return fb_.status();
  if (type > kMaxDType)
    return Fail(err, Status::kUnsupportedType, "tensor ", index,
                " has unknown type ", type);
  if (sparsity.valid())
    return Fail(err, Status::kUnsupportedType, "tensor ", index,
                " is sparse; sparse tensors are not supported");
  out->type = static_cast<DType>(type);
  out->is_variable = is_variable != 0;
  if (shape.length > kMaxRank)
    return Fail(err, Status::kBadModel, "tensor ", index, " has rank ",
                shape.length, " (max ", kMaxRank, ")");
  out->rank = static_cast<int>(shape.length);
  out->dims = reinterpret_cast<const int32_t*>(fb_.Pointer(shape.pos));
  uint64_t elements = 1;
  for (int d = 0; d < out->rank; ++d) {
    const int32_t v = out->dims[d];
    if (v < 0)
      return Fail(err, Status::kBadModel, "tensor ", index, " dimension ", d,
                  " is ", v, "; dynamic shapes are not supported");
    elements *= static_cast<uint64_t>(v);
    if (elements > 0x3fffffff)
      return Fail(err, Status::kBadModel, "tensor ", index, " is too large");
  }
  out->elements = static_cast<uint32_t>(elements);
  if (Status s = Quantization(t, index, out, err); s != Status::kOk) return s;
  if (Status s = BufferData(buffer, &out->data, &out->data_bytes, err); s != Status::kOk)
    return s;
  const size_t elem = DTypeSize(out->type);
  if (out->data != nullptr) {
    if (elem != 0 && uint64_t{out->data_bytes} != elements * elem)
      return Fail(err, Status::kBadModel, "tensor ", index, " has ",
                  out->data_bytes, " bytes of data but its shape needs ",
                  static_cast<int64_t>(elements * elem));
    if (elem > 1 && reinterpret_cast<uintptr_t>(out->data) % (elem > 4 ? 4 : elem) != 0)
      return Fail(err, Status::kBadModel, "tensor ", index,
                  " data is not aligned for ", DTypeName(out->type));
  }
  return Status::kOk;
}

Status Model::GetOp(uint32_t index, OpView* out, ErrorText* err) {
  fb_.set_error(err);
  using namespace field;
  *out = OpView();
  if (index >= ops_.length)
    return Fail(err, Status::kBadModel, "operator index ", index, " out of range");
  FbTable op, code;
  FbVector ins, outs;
  uint32_t opcode_index = 0;
  if (!fb_.TableElement(ops_, index, "operator", &op) ||
      !fb_.U32(op, kOpOpcodeIndex, 0, &opcode_index) ||
      !fb_.VectorField(op, kOpInputs, 4, "operator inputs", &ins) ||
      !fb_.VectorField(op, kOpOutputs, 4, "operator outputs", &outs) ||
      !fb_.U8(op, kOpOptionsType, 0, &out->options_type) ||
      !fb_.TableField(op, kOpOptions, "builtin options", &out->options))
    return fb_.status();
  if (opcode_index >= op_codes_.length)
    return Fail(err, Status::kBadModel, "operator ", index, " opcode index ",
                opcode_index, " out of range (", op_codes_.length, " codes)");
  uint8_t deprecated = 0;
  if (!fb_.TableElement(op_codes_, opcode_index, "operator code", &code) ||
      !fb_.U8(code, kOpCodeDeprecatedBuiltin, 0, &deprecated) ||
      !fb_.I32(code, kOpCodeBuiltin, 0, &out->builtin) ||
      !fb_.I32(code, kOpCodeVersion, 1, &out->version) ||
      !fb_.StringField(code, kOpCodeCustom, "custom code", &out->custom_name))
    return fb_.status();
  // Old files only set the deprecated byte; new ones set both.
  if (static_cast<int32_t>(deprecated) > out->builtin) out->builtin = deprecated;
  out->inputs = reinterpret_cast<const int32_t*>(fb_.Pointer(ins.pos));
  out->num_inputs = ins.length;
  out->outputs = reinterpret_cast<const int32_t*>(fb_.Pointer(outs.pos));
  out->num_outputs = outs.length;
  for (uint32_t i = 0; i < ins.length; ++i) {
    const int32_t t = out->inputs[i];
    if (t < -1 || t >= static_cast<int32_t>(tensors_.length))
      return Fail(err, Status::kBadModel, "operator ", index, " input ", i,
                  " names tensor ", t, ", out of range (", tensors_.length,
                  " tensors)");
  }
  for (uint32_t i = 0; i < outs.length; ++i) {
    const int32_t t = out->outputs[i];
    if (t < 0 || t >= static_cast<int32_t>(tensors_.length))
      return Fail(err, Status::kBadModel, "operator ", index, " output ", i,
                  " names tensor ", t, ", out of range (", tensors_.length,
                  " tensors)");
  }
  return Status::kOk;
}

Status Model::FindMetadata(const char* name, const uint8_t** data,
                           uint32_t* size, ErrorText* err) {
  fb_.set_error(err);
  using namespace field;
  *data = nullptr;
  *size = 0;
  FbTable root;
  FbVector entries;
  if (!fb_.Root(&root) || !fb_.VectorField(root, kModelMetadata, 4, "metadata", &entries))
    return fb_.status();
  for (uint32_t i = 0; i < entries.length; ++i) {
    FbTable m;
    const char* entry_name = nullptr;
    uint32_t buffer = 0;
    if (!fb_.TableElement(entries, i, "metadata", &m) ||
        !fb_.StringField(m, kMetadataName, "metadata name", &entry_name) ||
        !fb_.U32(m, kMetadataBuffer, 0, &buffer))
      return fb_.status();
    if (entry_name == nullptr) continue;
    const char* a = entry_name;
    const char* b = name;
    while (*a != '\0' && *a == *b) ++a, ++b;
    if (*a == *b) return BufferData(buffer, data, size, err);
  }
  return Status::kOk;
}

}  // namespace mote::micro
