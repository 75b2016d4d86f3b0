// The optimizer's moving average of the weights (Keras's use_ema): the
// average starts at the weights after the first step, follows
// a = m * a + (1 - m) * w after every later one, and Finalize / Fit put it
// into the trainable weights only (BatchNorm's moving statistics stay live).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/train/model.h"
#include "host/train/optimizer.h"

namespace mote::train {
namespace {

using nlohmann::json;

// Expected averages of a sequence of weight vectors, Keras's rule.
std::vector<float> Ema(const std::vector<std::vector<float>>& steps, float m) {
  std::vector<float> a = steps.at(0);
  for (size_t s = 1; s < steps.size(); ++s)
    for (size_t k = 0; k < a.size(); ++k) a[k] = m * a[k] + (1.0f - m) * steps[s][k];
  return a;
}

TEST(OptimizerEma, AveragesEveryStepAndFinalizeOverwrites) {
  Param p;
  p.Init("kernel", {3});
  p.value = {1.0f, -2.0f, 0.5f};
  OptimizerConfig c;
  c.type = "sgd";
  c.use_ema = true;
  c.ema_momentum = 0.8f;
  Optimizer opt(c);
  std::vector<Param*> params{&p};
  opt.Finalize(params);  // before any step: nothing to put back
  EXPECT_EQ(p.value, (std::vector<float>{1.0f, -2.0f, 0.5f}));
  std::vector<std::vector<float>> seen;
  for (int s = 0; s < 5; ++s) {
    p.grad = {0.5f * s - 1.0f, 1.0f, 0.25f * s};
    opt.Step(params, 0.1f);
    seen.push_back(p.value);
  }
  const std::vector<float> live = p.value;
  opt.Finalize(params);
  EXPECT_EQ(p.value, Ema(seen, 0.8f));
  EXPECT_NE(p.value, live);
}

TEST(OptimizerEma, OffLeavesTheWeights) {
  Param p;
  p.Init("kernel", {2});
  p.value = {1.0f, 2.0f};
  Optimizer opt(OptimizerConfig{});
  std::vector<Param*> params{&p};
  for (int s = 0; s < 3; ++s) {
    p.grad = {1.0f, -1.0f};
    opt.Step(params, 0.1f);
  }
  const std::vector<float> live = p.value;
  opt.Finalize(params);
  EXPECT_EQ(p.value, live);
}

TEST(OptimizerEma, JsonReadsWritesAndRefusesABadMomentum) {
  OptimizerConfig c;
  std::string err;
  ASSERT_TRUE(c.FromJson(json{{"type", "adam"}, {"use_ema", true}, {"ema_momentum", 0.999}}, &err)) << err;
  EXPECT_TRUE(c.use_ema);
  EXPECT_FLOAT_EQ(c.ema_momentum, 0.999f);
  OptimizerConfig d;
  ASSERT_TRUE(d.FromJson(c.ToJson(), &err)) << err;
  EXPECT_TRUE(d.use_ema);
  EXPECT_FLOAT_EQ(d.ema_momentum, 0.999f);
  EXPECT_FALSE(OptimizerConfig{}.ToJson().contains("use_ema"));
  OptimizerConfig bad;
  EXPECT_FALSE(bad.FromJson(json{{"use_ema", true}, {"ema_momentum", 1.0}}, &err));
  EXPECT_NE(err.find("ema_momentum"), std::string::npos) << err;
}

TEST(OptimizerEma, FitEndsOnTheAverageOfTheTrainableWeights) {
  const json spec = {{"input_shape", {4}},
                     {"layers", {{{"type", "Dense"}, {"units", 5}, {"activation", "relu"}},
                                 {{"type", "BatchNormalization"}},
                                 {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}}},
                     {"loss", "sparse_categorical_crossentropy"}};
  std::string err;
  auto m = Sequential::FromJson(spec, 3, &err);
  ASSERT_TRUE(m) << err;
  Rng rng(4);
  Tensor x({40, 4}), y({40});
  for (int i = 0; i < 40; ++i) {
    y.data[i] = static_cast<float>(i % 3);
    for (int f = 0; f < 4; ++f) x.data[i * 4 + f] = rng.Normal(f == i % 3 ? 1.0f : 0.0f, 1.0f);
  }
  FitOptions o;
  o.epochs = 3;
  o.batch_size = 8;
  o.optimizer.learning_rate = 0.05f;
  o.optimizer.use_ema = true;
  o.optimizer.ema_momentum = 0.7f;
  std::vector<std::vector<float>> trainable_steps;
  std::vector<float> last_stats;
  auto collect = [&](bool trainable) {
    std::vector<float> v;
    for (auto& l : m->layers())
      for (Param& p : l->params())
        if (p.trainable == trainable) v.insert(v.end(), p.value.begin(), p.value.end());
    return v;
  };
  o.after_update = [&] {
    trainable_steps.push_back(collect(true));
    last_stats = collect(false);
  };
  m->Fit(x, y, o);
  ASSERT_EQ(trainable_steps.size(), 15u);  // 5 batches x 3 epochs
  EXPECT_EQ(collect(true), Ema(trainable_steps, 0.7f));
  EXPECT_NE(collect(true), trainable_steps.back());
  EXPECT_EQ(collect(false), last_stats);  // moving mean / variance: not averaged
  EXPECT_FALSE(last_stats.empty());
}

}  // namespace
}  // namespace mote::train
