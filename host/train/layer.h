// Layers for training: forward and backward passes over a batch.
//
// A layer is made from its JSON spec (Keras names and defaults), built for an
// input shape (without the batch dimension), then runs Forward/Backward on
// batches. Backward sets dL/dx and *replaces* each parameter's grad with this
// batch's gradient. Parallel work is split by ChunkCount(batch) and reduced in
// chunk order (host/train/parallel.h), so results do not depend on threads.
//
//   std::string err;
//   auto conv = MakeLayer({{"type", "Conv1D"}, {"filters", 8}, {"kernel_size", 3}}, &err);
//   Rng rng(1);
//   Shape out = conv->Build({64, 1}, rng);            // [62, 8]
//   conv->Forward(x, &y, /*training=*/true);
//   conv->Backward(x, y, dy, &dx);                    // conv->params()[0].grad
//
// Supported types: Dense, Conv1D, Conv2D, DepthwiseConv2D, MaxPooling1D/2D
// (alias MaxPool1D/2D), AveragePooling1D/2D (AvgPool1D/2D),
// GlobalAveragePooling1D/2D, BatchNormalization, Dropout, Flatten, ReLU
// (optional max_value), ReLU6, Activation {relu, relu6, sigmoid, softmax,
// tanh, linear}, Sigmoid, Softmax, Tanh. Dense/Conv*/DepthwiseConv2D accept an
// "activation" key; Sequential expands it into a separate activation layer.
#ifndef MOTE_HOST_TRAIN_LAYER_H_
#define MOTE_HOST_TRAIN_LAYER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/train/rng.h"
#include "host/train/tensor.h"

namespace mote::train {

class Layer {
 public:
  virtual ~Layer() = default;
  // Keras class name of the layer ("Conv1D", "ReLU", ...).
  const std::string& type() const { return type_; }
  // Creates the parameters for an input of shape `in` (no batch dimension) and
  // returns the output shape. Weights: Glorot-uniform kernels, zero biases.
  virtual Shape Build(const Shape& in, Rng& rng) = 0;
  // REQUIRES: Build() was called; x.shape == [N] + input shape.
  virtual void Forward(const Tensor& x, Tensor* y, bool training) = 0;
  // REQUIRES: the last Forward was on x and produced y. dx may be null (first
  // layer: the input gradient is not needed).
  virtual void Backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) = 0;
  // The normalized spec: every option explicit (what the model file stores).
  virtual nlohmann::json Config() const = 0;

  std::vector<Param>& params() { return params_; }
  const std::vector<Param>& params() const { return params_; }
  const Param* FindParam(const std::string& name) const;
  const Shape& input_shape() const { return in_; }
  const Shape& output_shape() const { return out_; }

 protected:
  explicit Layer(std::string type) : type_(std::move(type)) {}
  // Runs body(chunk, begin, end, grads) for each chunk of the n batch items,
  // where grads[i] is a zeroed buffer the size of params_[i]; then sets each
  // trainable param's grad to the sum of the chunk buffers in chunk order.
  void ChunkedBackward(int n, size_t work,
                       const std::function<void(int, int, std::vector<float*>&)>& body);

  std::string type_;
  Shape in_, out_;
  std::vector<Param> params_;
};

// Makes a layer from a JSON spec; null and a message naming the problem on
// error (unknown type, bad or missing option).
std::unique_ptr<Layer> MakeLayer(const nlohmann::json& spec, std::string* err);

// The activation named by a Dense/Conv "activation" key as a layer spec, or
// null json for "linear"/absent. Sets *err for unknown names.
nlohmann::json ActivationSpec(const std::string& name, std::string* err);

// Glorot-uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)).
void GlorotUniform(std::vector<float>& w, int fan_in, int fan_out, Rng& rng);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_LAYER_H_
