// Internal to host/train: constructors behind MakeLayer and option parsing.
#ifndef MOTE_HOST_TRAIN_LAYERS_INTERNAL_H_
#define MOTE_HOST_TRAIN_LAYERS_INTERNAL_H_

#include <memory>
#include <string>

#include "host/train/layer.h"

namespace mote::train::internal {

using nlohmann::json;

// Option readers: set *err (if empty) and return the default on a bad value.
int GetInt(const json& spec, const char* key, int def, std::string* err);
float GetFloat(const json& spec, const char* key, float def, std::string* err);
// An int or a list of `n` ints (kernel_size, strides, pool_size).
std::vector<int> GetInts(const json& spec, const char* key, int n, std::vector<int> def,
                         std::string* err);
// "valid" or "same"; returns true for same.
bool GetSamePadding(const json& spec, std::string* err);

// Output length and leading pad of a window op along one axis (Keras/TFLite).
inline int OutLen(int in, int k, int stride, bool same) {
  return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
}
inline int PadBefore(int in, int k, int stride, bool same) {
  if (!same) return 0;
  const int out = OutLen(in, k, stride, true);
  const int total = (out - 1) * stride + k - in;
  return total > 0 ? total / 2 : 0;
}

std::unique_ptr<Layer> MakeDense(const json& spec, std::string* err);
std::unique_ptr<Layer> MakeConv(const json& spec, bool one_d, std::string* err);
std::unique_ptr<Layer> MakeDepthwiseConv(const json& spec, std::string* err);
std::unique_ptr<Layer> MakePool(const json& spec, bool max, bool one_d, std::string* err);
std::unique_ptr<Layer> MakeGlobalAveragePool(const json& spec, bool one_d, std::string* err);
std::unique_ptr<Layer> MakeFlatten(const json& spec, std::string* err);
std::unique_ptr<Layer> MakeBatchNorm(const json& spec, std::string* err);
std::unique_ptr<Layer> MakeDropout(const json& spec, std::string* err);
// kind: "relu", "relu6", "sigmoid", "softmax", "tanh". max_value < 0: none.
std::unique_ptr<Layer> MakeActivation(const std::string& kind, float max_value,
                                      std::string* err);

}  // namespace mote::train::internal

#endif  // MOTE_HOST_TRAIN_LAYERS_INTERNAL_H_
