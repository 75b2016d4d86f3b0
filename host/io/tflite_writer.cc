#include "host/io/tflite_writer.h"

#include <flatbuffers/flatbuffers.h>

#include "host/io/tflite_subset_generated.h"

namespace mote::host {
namespace {

namespace fb = tflite_subset;
constexpr int kConv2D = 3, kDepthwiseConv2D = 4, kAveragePool2D = 1, kMaxPool2D = 17,
              kFullyConnected = 9, kSoftmax = 25, kReshape = 22;

fb::Padding Pad(micro::Padding p) { return p == micro::Padding::kSame ? fb::Padding_SAME : fb::Padding_VALID; }
fb::ActivationFunctionType Act(micro::Activation a) {
  return static_cast<fb::ActivationFunctionType>(static_cast<int8_t>(a));
}

}  // namespace

std::vector<uint8_t> WriteTflite(const TfliteModel& m) {
  flatbuffers::FlatBufferBuilder b(1024 + 2 * m.tensors.size() * 64);

  // Buffers: 0 is the empty sentinel; each constant tensor gets the next.
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers{fb::CreateBuffer(b)};
  std::vector<uint32_t> buffer_of(m.tensors.size(), 0);
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    const auto& d = m.tensors[i].data;
    if (d.empty()) continue;
    b.ForceVectorAlignment(d.size(), 1, 16);
    buffers.push_back(fb::CreateBuffer(b, b.CreateVector(d)));
    buffer_of[i] = static_cast<uint32_t>(buffers.size() - 1);
  }

  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    const TfliteTensor& t = m.tensors[i];
    flatbuffers::Offset<fb::QuantizationParameters> q = 0;
    if (!t.scale.empty())
      q = fb::CreateQuantizationParameters(b, 0, 0, b.CreateVector(t.scale),
                                           b.CreateVector(t.zero_point), t.quantized_dimension);
    tensors.push_back(fb::CreateTensor(b, b.CreateVector(t.shape),
                                       static_cast<fb::TensorType>(static_cast<int8_t>(t.type)),
                                       buffer_of[i], b.CreateString(t.name), q));
  }

  // Operator codes in first-use order.
  std::vector<std::pair<int, int>> codes;  // (builtin, version)
  std::vector<flatbuffers::Offset<fb::Operator>> ops;
  for (const TfliteOp& op : m.ops) {
    uint32_t index = 0;
    while (index < codes.size() && codes[index].first != op.builtin) ++index;
    if (index == codes.size()) codes.push_back({op.builtin, op.version});
    if (op.version > codes[index].second) codes[index].second = op.version;
    fb::BuiltinOptions type = fb::BuiltinOptions_NONE;
    flatbuffers::Offset<void> options = 0;
    switch (op.builtin) {
      case kConv2D:
        type = fb::BuiltinOptions_Conv2DOptions;
        options = fb::CreateConv2DOptions(b, Pad(op.padding), op.stride_w, op.stride_h,
                                          Act(op.activation)).Union();
        break;
      case kDepthwiseConv2D:
        type = fb::BuiltinOptions_DepthwiseConv2DOptions;
        options = fb::CreateDepthwiseConv2DOptions(b, Pad(op.padding), op.stride_w, op.stride_h,
                                                   op.depth_multiplier, Act(op.activation)).Union();
        break;
      case kAveragePool2D:
      case kMaxPool2D:
        type = fb::BuiltinOptions_Pool2DOptions;
        options = fb::CreatePool2DOptions(b, Pad(op.padding), op.stride_w, op.stride_h, op.filter_w,
                                          op.filter_h, Act(op.activation)).Union();
        break;
      case kFullyConnected:
        type = fb::BuiltinOptions_FullyConnectedOptions;
        options = fb::CreateFullyConnectedOptions(b, Act(op.activation)).Union();
        break;
      case kSoftmax:
        type = fb::BuiltinOptions_SoftmaxOptions;
        options = fb::CreateSoftmaxOptions(b, op.beta).Union();
        break;
      case kReshape:
        type = fb::BuiltinOptions_ReshapeOptions;
        options = fb::CreateReshapeOptions(b, b.CreateVector(op.new_shape)).Union();
        break;
      default:
        break;
    }
    ops.push_back(fb::CreateOperator(b, index, b.CreateVector(op.inputs), b.CreateVector(op.outputs),
                                     type, options));
  }
  std::vector<flatbuffers::Offset<fb::OperatorCode>> opcodes;
  for (const auto& [code, version] : codes)
    opcodes.push_back(fb::CreateOperatorCode(b, static_cast<int8_t>(code < 127 ? code : 127), 0,
                                             version, code));

  auto subgraph = fb::CreateSubGraph(b, b.CreateVector(tensors), b.CreateVector(m.inputs),
                                     b.CreateVector(m.outputs), b.CreateVector(ops),
                                     b.CreateString("main"));
  auto model = fb::CreateModel(b, 3, b.CreateVector(opcodes), b.CreateVector(&subgraph, 1),
                               b.CreateString(m.description), b.CreateVector(buffers));
  b.Finish(model, fb::ModelIdentifier());
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

}  // namespace mote::host
