// Numbers from the public TensorFlow Lite FlatBuffer schema (schema.fbs):
// table field ids, tensor types and option enums that mote reads. Builtin
// operator codes live in micro/runtime/ops.def.
#ifndef MOTE_MICRO_MODEL_SCHEMA_H_
#define MOTE_MICRO_MODEL_SCHEMA_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

// TensorType.
enum class DType : uint8_t {
  kFloat32 = 0, kFloat16 = 1, kInt32 = 2, kUInt8 = 3, kInt64 = 4,
  kString = 5, kBool = 6, kInt16 = 7, kComplex64 = 8, kInt8 = 9,
  kFloat64 = 10,
};
constexpr uint8_t kMaxDType = 10;
const char* DTypeName(DType t);
// Bytes per element; 0 for types without a fixed size (string).
size_t DTypeSize(DType t);

// Padding, ActivationFunctionType.
enum class Padding : uint8_t { kSame = 0, kValid = 1 };
enum class Activation : uint8_t {
  kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5,
};

namespace field {
// Model
constexpr int kModelVersion = 0, kModelOperatorCodes = 1, kModelSubgraphs = 2,
              kModelDescription = 3, kModelBuffers = 4, kModelMetadata = 6;
// OperatorCode
constexpr int kOpCodeDeprecatedBuiltin = 0, kOpCodeCustom = 1,
              kOpCodeVersion = 2, kOpCodeBuiltin = 3;
// SubGraph
constexpr int kSubgraphTensors = 0, kSubgraphInputs = 1, kSubgraphOutputs = 2,
              kSubgraphOperators = 3;
// Tensor
constexpr int kTensorShape = 0, kTensorType = 1, kTensorBuffer = 2,
              kTensorName = 3, kTensorQuantization = 4, kTensorIsVariable = 5,
              kTensorSparsity = 6;
// QuantizationParameters
constexpr int kQuantScale = 2, kQuantZeroPoint = 3, kQuantDetailsType = 4,
              kQuantDimension = 6;
// Operator
constexpr int kOpOpcodeIndex = 0, kOpInputs = 1, kOpOutputs = 2,
              kOpOptionsType = 3, kOpOptions = 4, kOpIntermediates = 8;
// Buffer
constexpr int kBufferData = 0, kBufferOffset = 1, kBufferSize = 2;
// Metadata
constexpr int kMetadataName = 0, kMetadataBuffer = 1;

// Builtin options tables.
constexpr int kConvPadding = 0, kConvStrideW = 1, kConvStrideH = 2,
              kConvActivation = 3, kConvDilationW = 4, kConvDilationH = 5;
constexpr int kDwPadding = 0, kDwStrideW = 1, kDwStrideH = 2,
              kDwDepthMultiplier = 3, kDwActivation = 4, kDwDilationW = 5,
              kDwDilationH = 6;
constexpr int kPoolPadding = 0, kPoolStrideW = 1, kPoolStrideH = 2,
              kPoolFilterW = 3, kPoolFilterH = 4, kPoolActivation = 5;
constexpr int kFcActivation = 0, kFcWeightsFormat = 1, kFcKeepNumDims = 2;
constexpr int kSoftmaxBeta = 0;
constexpr int kConcatAxis = 0, kConcatActivation = 1;
constexpr int kAddActivation = 0;
constexpr int kMulActivation = 0;
constexpr int kReducerKeepDims = 0;
}  // namespace field

}  // namespace mote::micro

#endif  // MOTE_MICRO_MODEL_SCHEMA_H_
