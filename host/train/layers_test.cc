// Finite-difference gradient checks for every layer, Sequential save/load and
// thread-count independence of training.
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "host/train/fit_test_util.h"
#include "host/train/layer.h"
#include "host/train/model.h"

namespace mote::train {
namespace {

using nlohmann::json;

// L = sum(y * r): dL/dy = r. Checks dL/dx and dL/dparams by central differences.
void CheckGradients(const json& spec, const Shape& in, int batch = 3, bool training = true,
                    float min_abs_x = 0.0f, bool distinct = false) {
  SCOPED_TRACE(spec.dump());
  std::string err;
  auto layer = MakeLayer(spec, &err);
  ASSERT_TRUE(layer) << err;
  Rng rng(7);
  const Shape out = layer->Build(in, rng);
  // Non-trivial parameters (BN gamma/beta, biases).
  for (Param& p : layer->params())
    if (p.trainable)
      for (float& v : p.value) v += rng.Uniform(-0.5f, 0.5f);
  Shape xs = in;
  xs.insert(xs.begin(), batch);
  Tensor x(xs), y, dx;
  for (float& v : x.data) {
    do v = rng.Uniform(-1.0f, 1.0f); while (std::fabs(v) < min_abs_x);
  }
  if (distinct) {  // max pooling: values 0.05 apart so +-eps never changes the argmax
    std::vector<size_t> perm(x.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    rng.Shuffle(perm);
    for (size_t i = 0; i < perm.size(); ++i) x.data[perm[i]] = 0.05f * i - 1.0f;
  }
  layer->Forward(x, &y, training);
  Tensor r(y.shape);
  for (float& v : r.data) v = rng.Uniform(-1.0f, 1.0f);
  layer->Backward(x, y, r, &dx);
  ASSERT_EQ(dx.shape, x.shape);
  auto loss = [&]() {
    Tensor yy;
    layer->Forward(x, &yy, training);
    double s = 0;
    for (size_t i = 0; i < yy.size(); ++i) s += double(yy.data[i]) * r.data[i];
    return s;
  };
  const float eps = 1e-2f;
  auto near = [](double num, double ana) { return std::fabs(num - ana) <= 2e-3 + 2e-2 * std::fabs(num); };
  for (size_t i = 0; i < x.size(); ++i) {
    const float keep = x.data[i];
    x.data[i] = keep + eps;
    const double up = loss();
    x.data[i] = keep - eps;
    const double down = loss();
    x.data[i] = keep;
    const double num = (up - down) / (2 * eps);
    EXPECT_PRED2(near, num, dx.data[i]) << "dx[" << i << "]";
  }
  for (Param& p : layer->params()) {
    if (!p.trainable) continue;
    const std::vector<float> g = p.grad;
    for (size_t i = 0; i < p.value.size(); ++i) {
      const float keep = p.value[i];
      p.value[i] = keep + eps;
      const double up = loss();
      p.value[i] = keep - eps;
      const double down = loss();
      p.value[i] = keep;
      EXPECT_PRED2(near, (up - down) / (2 * eps), g[i]) << p.name << "[" << i << "]";
    }
  }
}

TEST(LayerGradient, Dense) { CheckGradients({{"type", "Dense"}, {"units", 4}}, {5}); }
TEST(LayerGradient, Conv1D) {
  CheckGradients({{"type", "Conv1D"}, {"filters", 3}, {"kernel_size", 3}}, {9, 2});
  CheckGradients({{"type", "Conv1D"}, {"filters", 2}, {"kernel_size", 3}, {"strides", 2},
                  {"padding", "same"}}, {8, 3});
}
TEST(LayerGradient, Conv2D) {
  CheckGradients({{"type", "Conv2D"}, {"filters", 3}, {"kernel_size", {3, 2}}}, {5, 4, 2});
  CheckGradients({{"type", "Conv2D"}, {"filters", 2}, {"kernel_size", 3}, {"strides", 2},
                  {"padding", "same"}}, {6, 5, 2});
  // 10 filters: the input gradient's 8-lane dot product plus its 2-element tail.
  CheckGradients({{"type", "Conv2D"}, {"filters", 10}, {"kernel_size", 1}}, {3, 4, 5});
}
TEST(LayerGradient, DepthwiseConv2D) {
  CheckGradients({{"type", "DepthwiseConv2D"}, {"kernel_size", 3}, {"depth_multiplier", 2}},
                 {5, 5, 2});
  CheckGradients({{"type", "DepthwiseConv2D"}, {"kernel_size", 3}, {"strides", 2},
                  {"padding", "same"}}, {6, 6, 3});
}
TEST(LayerGradient, Pooling) {
  CheckGradients({{"type", "MaxPooling1D"}, {"pool_size", 2}}, {8, 3}, 3, true, 0.0f, true);
  CheckGradients({{"type", "MaxPooling2D"}, {"pool_size", 2}, {"padding", "same"}}, {5, 5, 2}, 3,
                 true, 0.0f, true);
  CheckGradients({{"type", "AveragePooling1D"}, {"pool_size", 3}, {"strides", 2}}, {9, 2});
  CheckGradients({{"type", "AveragePooling2D"}, {"pool_size", 2}, {"padding", "same"}}, {5, 3, 2});
  CheckGradients({{"type", "GlobalAveragePooling1D"}}, {7, 3});
  CheckGradients({{"type", "GlobalAveragePooling2D"}}, {3, 4, 2});
}
TEST(LayerGradient, BatchNormalization) {
  CheckGradients({{"type", "BatchNormalization"}}, {4, 3}, 5, /*training=*/true);
  CheckGradients({{"type", "BatchNormalization"}}, {3}, 4, /*training=*/false);
}
TEST(LayerGradient, FlattenAndActivations) {
  CheckGradients({{"type", "Flatten"}}, {3, 2});
  CheckGradients({{"type", "ReLU"}}, {6}, 3, true, 0.05f);
  CheckGradients({{"type", "ReLU6"}}, {6}, 3, true, 0.05f);
  CheckGradients({{"type", "Activation"}, {"activation", "sigmoid"}}, {5});
  CheckGradients({{"type", "Activation"}, {"activation", "softmax"}}, {5});
  CheckGradients({{"type", "Activation"}, {"activation", "tanh"}}, {5});
}
TEST(LayerGradient, DropoutUsesItsMask) {
  std::string err;
  auto d = MakeLayer({{"type", "Dropout"}, {"rate", 0.5}}, &err);
  Rng rng(1);
  d->Build({100}, rng);
  Tensor x({2, 100}), y, dy({2, 100}), dx;
  for (float& v : x.data) v = 1.0f;
  for (float& v : dy.data) v = 3.0f;
  d->Forward(x, &y, true);
  d->Backward(x, y, dy, &dx);
  int zeros = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_TRUE(y.data[i] == 0.0f || y.data[i] == 2.0f);
    EXPECT_FLOAT_EQ(dx.data[i], 3.0f * y.data[i]);
    zeros += y.data[i] == 0.0f;
  }
  EXPECT_GT(zeros, 60);
  EXPECT_LT(zeros, 140);
  d->Forward(x, &y, false);
  EXPECT_EQ(y.data, x.data);
}

TEST(LayerSpec, Errors) {
  std::string err;
  EXPECT_FALSE(MakeLayer({{"type", "LSTM"}}, &err));
  EXPECT_NE(err.find("unknown layer type \"LSTM\""), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(MakeLayer({{"type", "Conv1D"}, {"filters", 8}}, &err));
  EXPECT_NE(err.find("kernel_size"), std::string::npos) << err;
  err.clear();
  auto m = Sequential::FromJson(json::parse(R"({"input_shape": [64, 1], "loss": "mse",
      "layers": [{"type": "Dense", "units": 1}]})"), 1, &err);
  EXPECT_FALSE(m);
  EXPECT_NE(err.find("layer 0: Dense needs a flat"), std::string::npos) << err;
}

json AnomalyNet() {
  return json::parse(R"({"input_shape": [16, 1], "loss": "binary_crossentropy", "layers": [
    {"type": "Conv1D", "filters": 4, "kernel_size": 3, "activation": "relu"},
    {"type": "BatchNormalization"},
    {"type": "MaxPooling1D", "pool_size": 2},
    {"type": "Dropout", "rate": 0.1},
    {"type": "GlobalAveragePooling1D"},
    {"type": "Dense", "units": 1, "activation": "sigmoid"}]})");
}

std::vector<float> TrainWithThreads(int threads) {
  std::string err;
  auto m = Sequential::FromJson(AnomalyNet(), 3, &err);
  EXPECT_TRUE(m) << err;
  Rng rng(5);
  Tensor x({200, 16, 1}), y({200, 1});
  for (int i = 0; i < 200; ++i) {
    y.data[i] = i % 3 == 0;
    for (int t = 0; t < 16; ++t) x.data[i * 16 + t] = rng.Normal(y.data[i] * 0.5f, 1.0f);
  }
  FitOptions o;
  o.epochs = 3;
  o.validation_split = 0.2f;
  o.optimizer.learning_rate = 0.01f;
  return FitOnThreads(*m, x, y, o, threads);
}

TEST(Training, SameWeightsOnOneOrTwoThreads) {
  const auto a = TrainWithThreads(1);
  const auto b = TrainWithThreads(2);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float)));
  EXPECT_EQ(a, TrainWithThreads(1));
}

TEST(Training, SaveLoadRoundTrip) {
  std::string err;
  auto m = Sequential::FromJson(AnomalyNet(), 9, &err);
  ASSERT_TRUE(m) << err;
  const std::string path = ::testing::TempDir() + "/w.bin";
  ASSERT_TRUE(m->Save(path, &err)) << err;
  auto n = Sequential::Load(path, &err);
  ASSERT_TRUE(n) << err;
  Tensor x({2, 16, 1});
  for (size_t i = 0; i < x.size(); ++i) x.data[i] = 0.1f * i;
  EXPECT_EQ(m->Predict(x).data, n->Predict(x).data);
}

}  // namespace
}  // namespace mote::train
