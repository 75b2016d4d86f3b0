// Pruning: schedule formula, exact mask sparsity, masks kept through
// training, structured removal equal to zeroing, pruned models quantize and run.
#include "host/compress/prune.h"

#include <cmath>

#include <gtest/gtest.h>

#include "host/compress/evaluate.h"
#include "host/compress/ptq.h"
#include "host/io/tflite_writer.h"

namespace mote::compress {
namespace {

using nlohmann::json;
using train::Rng;
using train::Sequential;
using train::Tensor;

std::unique_ptr<Sequential> Build(const json& layers, train::Shape in, const char* loss,
                                  uint64_t seed = 3) {
  std::string err;
  auto m = Sequential::FromJson({{"input_shape", in}, {"layers", layers}, {"loss", loss}}, seed, &err);
  EXPECT_TRUE(m) << err;
  return m;
}

std::unique_ptr<Sequential> Clone(const Sequential& m) {
  std::string err;
  auto c = Sequential::FromJson(m.ToJson(), 0, &err);
  EXPECT_TRUE(c) << err;
  for (size_t i = 0; i < m.layers().size(); ++i)
    for (size_t p = 0; p < m.layers()[i]->params().size(); ++p)
      c->layers()[i]->params()[p].value = m.layers()[i]->params()[p].value;
  return c;
}

Tensor RandomInput(train::Shape s, uint64_t seed) {
  Tensor x(std::move(s));
  Rng rng(seed);
  for (float& v : x.data) v = rng.Uniform(-1.0f, 1.0f);
  return x;
}

// Gives BatchNorm layers and biases non-trivial values.
void Perturb(Sequential& m, uint64_t seed) {
  Rng rng(seed);
  for (auto& l : m.layers())
    for (train::Param& p : l->params()) {
      if (p.name == "kernel") continue;
      for (float& v : p.value)
        v = p.name == "moving_variance" || p.name == "gamma" ? rng.Uniform(0.5f, 1.5f)
                                                             : rng.Uniform(-0.3f, 0.3f);
    }
}

size_t CountParams(const Sequential& m) {
  size_t n = 0;
  for (const auto& l : m.layers())
    for (const auto& p : l->params()) n += p.value.size();
  return n;
}

TEST(PruneSchedule, PolynomialDecayFormula) {
  PruneSchedule s;
  s.initial_sparsity = 0.1f;
  s.final_sparsity = 0.8f;
  s.begin_step = 10;
  s.end_step = 110;
  s.frequency = 25;
  // sparsity = 0.8 + (0.1 - 0.8) * (1 - p)^3, p = (step - 10) / 100 clamped.
  EXPECT_FLOAT_EQ(s.SparsityAt(0), 0.1f);
  EXPECT_FLOAT_EQ(s.SparsityAt(10), 0.1f);
  EXPECT_FLOAT_EQ(s.SparsityAt(35), 0.8f - 0.7f * 0.421875f);  // (0.75)^3
  EXPECT_FLOAT_EQ(s.SparsityAt(60), 0.8f - 0.7f * 0.125f);     // (0.5)^3
  EXPECT_FLOAT_EQ(s.SparsityAt(110), 0.8f);
  EXPECT_FLOAT_EQ(s.SparsityAt(1000), 0.8f);
  for (long long step : {10, 35, 60, 85, 110}) EXPECT_TRUE(s.ShouldPrune(step)) << step;
  for (long long step : {0, 9, 11, 36, 109, 135}) EXPECT_FALSE(s.ShouldPrune(step)) << step;
  s.end_step = -1;  // prune forever
  EXPECT_TRUE(s.ShouldPrune(1010));
  EXPECT_FLOAT_EQ(s.SparsityAt(1010), 0.8f);
  s.power = 1.0f;
  s.end_step = 110;
  EXPECT_FLOAT_EQ(s.SparsityAt(60), 0.45f);
  EXPECT_EQ(s.Check(), "");
  s.final_sparsity = 1.0f;
  EXPECT_NE(s.Check(), "");
  s.final_sparsity = 0.5f;
  s.frequency = 0;
  EXPECT_NE(s.Check(), "");
}

TEST(MagnitudePruner, ReachesSparsityExactlyAndKeepsLargest) {
  auto m = Build({{{"type", "Conv2D"}, {"filters", 7}, {"kernel_size", 3}, {"activation", "relu"}},
                  {{"type", "DepthwiseConv2D"}, {"kernel_size", 2}},
                  {{"type", "Flatten"}},
                  {{"type", "Dense"}, {"units", 3}}},
                 {6, 6, 2}, "mean_squared_error");
  ASSERT_TRUE(m);
  const std::vector<std::vector<float>> before = {m->layers()[0]->params()[0].value};
  MagnitudePruner p(*m, PruneSchedule{});
  for (float s : {0.3f, 0.5f, 0.75f}) {
    p.UpdateMasks(s);
    for (const auto& l : m->layers()) {
      if (!IsPrunable(*l)) continue;
      const auto& w = l->params()[0].value;
      const size_t n = w.size();
      const size_t want_zeros = n - static_cast<size_t>(std::llround(n * (1.0 - s)));
      size_t zeros = 0;
      for (float v : w) zeros += v == 0.0f;
      EXPECT_EQ(zeros, want_zeros) << l->type() << " at " << s;
    }
  }
  // The survivors of the first kernel are its largest original magnitudes.
  const auto& w = m->layers()[0]->params()[0].value;
  float max_pruned = 0.0f, min_kept = INFINITY;
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == 0.0f) max_pruned = std::max(max_pruned, std::fabs(before[0][i]));
    else {
      min_kept = std::min(min_kept, std::fabs(w[i]));
      EXPECT_EQ(w[i], before[0][i]);
    }
  }
  EXPECT_LE(max_pruned, min_kept);
  const SparsityReport r = MeasureSparsity(*m);
  EXPECT_EQ(r.layers.size(), 3u);
  EXPECT_NEAR(r.sparsity(), 0.75, 0.02);
}

TEST(MagnitudePruner, PrunedWeightsStayZeroThroughTraining) {
  auto m = Build({{{"type", "Conv1D"}, {"filters", 6}, {"kernel_size", 3}, {"activation", "relu"}},
                  {{"type", "GlobalAveragePooling1D"}},
                  {{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}},
                 {16, 1}, "binary_crossentropy");
  ASSERT_TRUE(m);
  const Tensor x = RandomInput({64, 16, 1}, 5);
  Tensor y({64, 1});
  for (int i = 0; i < 64; ++i) y.data[i] = x.data[i * 16 + 3] > 0.0f ? 1.0f : 0.0f;
  PruneSchedule s;
  s.final_sparsity = 0.6f;
  s.begin_step = 0;
  s.end_step = 8;   // 4 steps per epoch: final masks from step 8 on
  s.frequency = 2;
  MagnitudePruner pruner(*m, s);
  train::FitOptions fit;
  fit.epochs = 6;
  fit.batch_size = 16;
  fit.optimizer.learning_rate = 0.05f;  // Adam momentum would revive pruned weights
  std::vector<float> at_final;
  long long last_step = -1;
  pruner.Attach(&fit);
  auto on_batch = fit.before_batch;
  fit.before_batch = [&](long long step) {
    on_batch(step);
    last_step = step;
    if (step == 8) at_final = m->layers()[0]->params()[0].value;
  };
  m->Fit(x, y, fit);
  ASSERT_EQ(last_step, 23);
  ASSERT_FALSE(at_final.empty());
  const auto& w = m->layers()[0]->params()[0].value;
  size_t zeros = 0, moved = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (at_final[i] == 0.0f) {
      EXPECT_EQ(w[i], 0.0f) << i;
    }
    zeros += w[i] == 0.0f;
    moved += at_final[i] != 0.0f && w[i] != at_final[i];
  }
  EXPECT_EQ(zeros, w.size() - std::llround(w.size() * 0.4));
  EXPECT_GT(moved, 0u);  // the surviving weights kept training
  EXPECT_FLOAT_EQ(pruner.current_sparsity(), 0.6f);
}

void ExpectRemovalEqualsZeroing(const json& layers, const train::Shape& in, const char* loss) {
  auto m = Build(layers, in, loss);
  ASSERT_TRUE(m);
  Perturb(*m, 11);
  std::string err;
  const auto keep = ChooseFilters(*m, FilterPruneOptions{0.5f, false}, &err);
  ASSERT_FALSE(keep.empty()) << err;
  auto small = RemoveFilters(*m, keep, &err);
  ASSERT_TRUE(small) << err;
  EXPECT_LT(CountParams(*small), CountParams(*m));
  EXPECT_EQ(small->output_shape(), m->output_shape());
  auto zeroed = Clone(*m);
  ZeroFilters(*zeroed, keep);
  train::Shape xs = in;
  xs.insert(xs.begin(), 9);
  const Tensor x = RandomInput(xs, 21);
  const Tensor a = small->Predict(x), b = zeroed->Predict(x), full = m->Predict(x);
  ASSERT_EQ(a.size(), b.size());
  size_t differs_from_full = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.data[i], b.data[i]) << i;
    differs_from_full += a.data[i] != full.data[i];
  }
  EXPECT_GT(differs_from_full, 0u);  // pruning did remove something that mattered
}

TEST(PruneFilters, RemovalEqualsZeroingConv2D) {
  ExpectRemovalEqualsZeroing(
      {{{"type", "Conv2D"}, {"filters", 8}, {"kernel_size", 3}, {"padding", "same"}},
       {{"type", "BatchNormalization"}},
       {{"type", "ReLU"}},
       {{"type", "MaxPooling2D"}, {"pool_size", 2}},
       {{"type", "DepthwiseConv2D"}, {"kernel_size", 2}, {"depth_multiplier", 2}},
       {{"type", "BatchNormalization"}},
       {{"type", "ReLU"}},
       {{"type", "Conv2D"}, {"filters", 6}, {"kernel_size", 1}, {"activation", "relu"}},
       {{"type", "Flatten"}},
       {{"type", "Dense"}, {"units", 5}, {"activation", "relu"}},
       {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}},
      {8, 8, 1}, "sparse_categorical_crossentropy");
}

TEST(PruneFilters, RemovalEqualsZeroingConv1D) {
  ExpectRemovalEqualsZeroing(
      {{{"type", "Conv1D"}, {"filters", 8}, {"kernel_size", 3}, {"activation", "relu"}},
       {{"type", "MaxPooling1D"}, {"pool_size", 2}},
       {{"type", "Conv1D"}, {"filters", 8}, {"kernel_size", 3}, {"activation", "relu"}},
       {{"type", "GlobalAveragePooling1D"}},
       {{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}},
      {64, 1}, "binary_crossentropy");
}

TEST(PruneFilters, KeepsStrongestFiltersAndRejectsBadFraction) {
  auto m = Build({{{"type", "Dense"}, {"units", 4}, {"activation", "relu"}},
                  {{"type", "Dense"}, {"units", 2}}},
                 {3}, "mean_squared_error");
  ASSERT_TRUE(m);
  // Unit norms (L1): 0.6, 3.0, 0.3, 1.5 -> keep units 1 and 3.
  m->layers()[0]->params()[0].value = {0.1f, 1.0f, 0.1f, 0.5f,  -0.2f, -1.0f, 0.1f, 0.5f,
                                       0.3f, 1.0f, -0.1f, -0.5f};
  std::string err;
  const auto keep = ChooseFilters(*m, FilterPruneOptions{0.5f, false}, &err);
  ASSERT_EQ(keep.size(), m->layers().size());
  EXPECT_EQ(keep[0], (std::vector<int>{1, 3}));
  EXPECT_TRUE(keep.back().empty());  // the output layer is never pruned
  auto small = RemoveFilters(*m, keep, &err);
  ASSERT_TRUE(small) << err;
  EXPECT_EQ(small->layers()[0]->output_shape(), (train::Shape{2}));
  EXPECT_EQ(small->layers()[0]->params()[0].value,
            (std::vector<float>{1.0f, 0.5f, -1.0f, 0.5f, 1.0f, -0.5f}));
  EXPECT_TRUE(ChooseFilters(*m, FilterPruneOptions{1.0f, false}, &err).empty());
  EXPECT_NE(err, "");
  auto nan_model = Clone(*m);
  nan_model->layers()[0]->params()[0].value[4] = NAN;
  EXPECT_TRUE(ChooseFilters(*nan_model, FilterPruneOptions{0.5f, false}, &err).empty());
  EXPECT_NE(err.find("non-finite"), std::string::npos) << err;
  MagnitudePruner nan_pruner(*nan_model, PruneSchedule{});
  nan_pruner.UpdateMasks(0.5f);  // must not crash; NaN is kept, not pruned
  EXPECT_TRUE(std::isnan(nan_model->layers()[0]->params()[0].value[4]));
  std::vector<std::vector<int>> bad(m->layers().size());
  bad[0] = {0, 9};
  EXPECT_FALSE(RemoveFilters(*m, bad, &err));
  EXPECT_NE(err.find("out of range"), std::string::npos) << err;
}

TEST(PruneFilters, PrunedModelsQuantizeAndRunInt8) {
  auto m = Build({{{"type", "Conv2D"}, {"filters", 8}, {"kernel_size", 3}, {"activation", "relu"}},
                  {{"type", "MaxPooling2D"}, {"pool_size", 2}},
                  {{"type", "Conv2D"}, {"filters", 8}, {"kernel_size", 2}, {"activation", "relu"}},
                  {{"type", "Flatten"}},
                  {{"type", "Dense"}, {"units", 4}, {"activation", "softmax"}}},
                 {8, 8, 1}, "sparse_categorical_crossentropy");
  ASSERT_TRUE(m);
  const Tensor x = RandomInput({16, 8, 8, 1}, 9);
  std::string err;
  auto q_full = QuantizeInt8(*m, x, &err);
  ASSERT_TRUE(q_full) << err;
  auto r_full = RunInt8(host::WriteTflite(q_full->model), x, &err);
  ASSERT_TRUE(r_full) << err;

  auto small = PruneFilters(*m, FilterPruneOptions{0.5f, true}, &err);
  ASSERT_TRUE(small) << err;
  auto q = QuantizeInt8(*small, x, &err);
  ASSERT_TRUE(q) << err;
  const auto bytes = host::WriteTflite(q->model);
  auto r = RunInt8(bytes, x, &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->outputs.size(), 16u * 4u);
  EXPECT_LT(r->arena_bytes, r_full->arena_bytes);
  EXPECT_LT(bytes.size(), host::WriteTflite(q_full->model).size());

  // Unstructured: same graph, exported weights keep the zeros.
  MagnitudePruner p(*m, PruneSchedule{});
  p.UpdateMasks(0.75f);
  auto q_sparse = QuantizeInt8(*m, x, &err);
  ASSERT_TRUE(q_sparse) << err;
  auto r_sparse = RunInt8(host::WriteTflite(q_sparse->model), x, &err);
  ASSERT_TRUE(r_sparse) << err;
  EXPECT_EQ(r_sparse->outputs.size(), 16u * 4u);
}

}  // namespace
}  // namespace mote::compress
