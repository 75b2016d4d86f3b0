// Float32 tensors for training: a shape and row-major data. The first
// dimension of every activation is the batch; spatial layouts are [N,W,C]
// (1-D) and [N,H,W,C] (2-D), as in Keras and TFLite.
//
//   Tensor x({32, 64, 1});        // zeros
//   x.at(i) = 1.0f;  x.size();    // elements
#ifndef MOTE_HOST_TRAIN_TENSOR_H_
#define MOTE_HOST_TRAIN_TENSOR_H_

#include <cstddef>
#include <string>
#include <vector>

namespace mote::train {

using Shape = std::vector<int>;

inline size_t ShapeSize(const Shape& s) {
  size_t n = 1;
  for (int d : s) n *= static_cast<size_t>(d);
  return n;
}
std::string ShapeString(const Shape& s);  // "[32,64,1]"

struct Tensor {
  Tensor() = default;
  explicit Tensor(Shape s) : shape(std::move(s)), data(ShapeSize(shape), 0.0f) {}
  // Resizes to `s`, zero-filled.
  void Reset(const Shape& s) {
    shape = s;
    data.assign(ShapeSize(s), 0.0f);
  }
  size_t size() const { return data.size(); }
  // Elements per batch item (product of all but the first dimension).
  size_t per_item() const { return shape.empty() || shape[0] == 0 ? 0 : data.size() / shape[0]; }
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }

  Shape shape;
  std::vector<float> data;
};

// A trainable (or stored) parameter: value, gradient of the loss, Adam slots.
struct Param {
  std::string name;  // "kernel", "bias", "gamma", "beta", "moving_mean", ...
  Shape shape;
  std::vector<float> value, grad;
  bool trainable = true;
  void Init(std::string n, Shape s, bool train = true) {
    name = std::move(n);
    shape = std::move(s);
    value.assign(ShapeSize(shape), 0.0f);
    grad.assign(value.size(), 0.0f);
    trainable = train;
  }
};

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_TENSOR_H_
