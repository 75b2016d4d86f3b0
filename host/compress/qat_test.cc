// QAT: fake quantization values, the straight-through gradient, and the
// fake-quantized forward against the exported int8 model run by mote's runtime.
#include "host/compress/qat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "host/compress/evaluate.h"
#include "host/io/tflite_writer.h"
#include "host/train/rng.h"

namespace mote::compress {
namespace {

using train::Tensor;

TEST(Qat, FakeQuantValuesAndStraightThroughMask) {
  const QuantParams q{0.1f, 3};  // representable: [-13.1, 12.4]
  std::vector<float> x{0.26f, -0.04f, 12.4f, 12.46f, 20.0f, -13.1f, -13.2f, -100.0f};
  std::vector<uint8_t> mask;
  FakeQuantTensor(q, &x, &mask);
  // round(x / 0.1) + 3, clamped to [-128, 127], minus 3, times 0.1 (by hand).
  const float want[] = {0.3f, 0.0f, 12.4f, 12.4f, 12.4f, -13.1f, -13.1f, -13.1f};
  const uint8_t in_range[] = {1, 1, 1, 0, 0, 1, 0, 0};
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(x[i], want[i], 1e-5f) << i;
    EXPECT_EQ(mask[i], in_range[i]) << i;
  }
}

TEST(Qat, WeightsPerChannelSymmetric) {
  // Two channels (index % 2): {0.5, 0.25} and {-1, 2}.
  std::vector<float> w{0.5f, -1.0f, 0.25f, 2.0f};
  const std::vector<float> s = FakeQuantWeights(&w, 2, true);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_FLOAT_EQ(s[0], 0.5f / 127);
  EXPECT_FLOAT_EQ(s[1], 2.0f / 127);
  EXPECT_NEAR(w[0], 0.5f, 1e-7f);
  EXPECT_NEAR(w[2], 64 * 0.5f / 127, 1e-7f);   // 0.25 / (0.5/127) = 63.5 -> 64
  EXPECT_NEAR(w[1], -64 * 2.0f / 127, 1e-7f);  // -1 / (2/127) = -63.5 -> -64
  EXPECT_NEAR(w[3], 2.0f, 1e-7f);
  std::vector<float> t{0.5f, -1.0f, 0.25f, 2.0f};
  const std::vector<float> st = FakeQuantWeights(&t, 2, false);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_NEAR(t[0], 32 * 2.0f / 127, 1e-7f);  // 0.5 / (2/127) = 31.75 -> 32
}

// One Dense unit, no bias, MSE: the kernel gradient is
// 2/N * sum (pred - y) * x_q over the batch, with pred the rounded output,
// and zero contribution from rows whose output was clipped.
TEST(Qat, StraightThroughGradientOfDense) {
  std::string err;
  auto m = train::Sequential::FromJson(
      {{"input_shape", {1}}, {"loss", "mse"},
       {"layers", {{{"type", "Dense"}, {"units", 1}, {"use_bias", false}}}}},
      1, &err);
  ASSERT_TRUE(m) << err;
  m->layers()[0]->params()[0].value = {1.0f};
  Tensor cal({2, 1});
  cal.data = {-1.0f, 1.0f};  // input and output ranges [-1, 1]
  auto qat = QatTrainer::Create(*m, cal, &err);
  ASSERT_TRUE(qat) << err;
  Tensor x({3, 1}), y({3, 1});
  x.data = {0.5f, -0.1f, 1.0f};
  y.data = {0.0f, 0.0f, 0.0f};
  // ema_decay 1 keeps both ranges at [-1, 1]: scale 2/255, zero point
  // round(-128 + 127.5) = -1, so the representable range is [-127 s, 128 s].
  const float s = 2.0f / 255;
  auto fq = [&](float v) { return (std::clamp(std::round(v / s) - 1.0f, -128.0f, 127.0f) + 1.0f) * s; };
  auto grad = [&](float w) {
    double g = 0;
    for (float v : x.data) {
      const float xq = fq(v), out = xq * w;
      if (out >= -127 * s && out <= 128 * s) g += 2.0 / 3 * fq(out) * xq;  // STE: clipped rows give 0
    }
    return g;
  };
  qat->ForwardBackward(x, y, 1.0f);
  EXPECT_NEAR(m->layers()[0]->params()[0].grad[0], grad(1.0f), 1e-6);
  EXPECT_NE(grad(1.0f), 0.0);
  m->layers()[0]->params()[0].value = {4.0f};  // rows 0 and 2 clip (2.0 and 4.0 > 1.004)
  qat->ForwardBackward(x, y, 1.0f);
  EXPECT_NEAR(m->layers()[0]->params()[0].grad[0], grad(4.0f), 1e-6);
  const float xq = fq(-0.1f);
  EXPECT_NEAR(grad(4.0f), 2.0 / 3 * fq(4 * xq) * xq, 1e-9);  // only row 1 counts
}

// The loss sees the last sigmoid's unrounded probability in training: a row
// the model already gets right with p = sigmoid(8) = 0.99966 has loss
// -log(p) = 3.4e-4 and bias gradient p - 1 = -3.4e-4. Rounded to the int8
// output grid (1/256) p would be 255/256, a loss of 3.9e-3 and a gradient of
// -1/256 that never goes away. Predict() still rounds to the grid.
TEST(Qat, LossReadsTheUnroundedLastProbability) {
  std::string err;
  auto m = train::Sequential::FromJson(
      {{"input_shape", {1}}, {"loss", "binary_crossentropy"},
       {"layers", {{{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}}}},
      1, &err);
  ASSERT_TRUE(m) << err;
  m->layers()[0]->params()[0].value = {8.0f};  // kernel
  m->layers()[0]->params()[1].value = {0.0f};  // bias
  Tensor cal({2, 1});
  cal.data = {-1.0f, 1.0f};  // input range [-1, 1]; logits [-8, 8]
  auto qat = QatTrainer::Create(*m, cal, &err);
  ASSERT_TRUE(qat) << err;
  Tensor x({1, 1}), y({1, 1});
  x.data = {1.0f};
  y.data = {1.0f};
  const double loss = qat->ForwardBackward(x, y, 1.0f);
  // The input 1.0 and the logit 8.0 sit within half a step of their grids
  // (2/255 and 16/255), so the logit is 8 +- 0.04 and p - 1 is in
  // [-3.5e-4, -3.2e-4].
  EXPECT_GT(loss, 3.0e-4);
  EXPECT_LT(loss, 3.7e-4);
  const float db = m->layers()[0]->params()[1].grad[0];
  EXPECT_LT(db, -3.0e-4f);
  EXPECT_GT(db, -3.7e-4f);
  const Tensor p = qat->Predict(x);
  EXPECT_FLOAT_EQ(p.data[0], 255.0f / 256);  // int8 127 at scale 1/256, zero point -128
  // Label smoothing 0.2: the target becomes 0.9, so the loss is about
  // -0.1 log(1 - p) (1 - p in [3.2e-4, 3.5e-4]) and dL/db = p - 0.9.
  const double smoothed = qat->ForwardBackward(x, y, 1.0f, 0.2f);
  EXPECT_GT(smoothed, 0.795);
  EXPECT_LT(smoothed, 0.806);
  const float db_smoothed = m->layers()[0]->params()[1].grad[0];
  EXPECT_GT(db_smoothed, 0.09964f);
  EXPECT_LT(db_smoothed, 0.09969f);
}

// Dense + BatchNormalization: the fold w' = w g / sqrt(v + eps),
// b' = (0 - mean) g / sqrt(v + eps) + beta, and the chain rule back to w,
// gamma and beta, written out here independently of qat.cc.
TEST(Qat, BatchNormFoldGradients) {
  std::string err;
  auto m = train::Sequential::FromJson(
      {{"input_shape", {1}}, {"loss", "mse"},
       {"layers", {{{"type", "Dense"}, {"units", 1}, {"use_bias", false}},
                   {{"type", "BatchNormalization"}}}}},
      1, &err);
  ASSERT_TRUE(m) << err;
  auto& layers = m->layers();
  layers[0]->params()[0].value = {0.8f};
  const float g = 1.5f, beta = 0.1f, mean = 0.2f, var = 0.5f;
  const float eps = layers[1]->Config()["epsilon"].get<float>();
  for (auto& p : layers[1]->params()) {
    if (p.name == "gamma") p.value = {g};
    if (p.name == "beta") p.value = {beta};
    if (p.name == "moving_mean") p.value = {mean};
    if (p.name == "moving_variance") p.value = {var};
  }
  Tensor cal({2, 1});
  cal.data = {-1.0f, 1.0f};
  auto qat = QatTrainer::Create(*m, cal, &err);
  ASSERT_TRUE(qat) << err;
  Tensor x({4, 1}), y({4, 1});
  x.data = {0.9f, -0.3f, 0.05f, -1.0f};
  y.data = {1.0f, 0.0f, -0.5f, 0.2f};
  qat->ForwardBackward(x, y, 1.0f);  // ranges frozen at the calibration
  const float inv = 1.0f / std::sqrt(var + eps);
  const float wf = 0.8f * g * inv, bf = (0.0f - mean) * g * inv + beta;  // one weight: int8 exact
  auto asym = [](float lo, float hi) {  // TFLite's asymmetric int8 parameters, by hand
    lo = std::min(lo, 0.0f), hi = std::max(hi, 0.0f);
    const float s = (hi - lo) / 255;
    return std::make_pair(s, std::round(-128 - lo / s));
  };
  const auto [si, zi] = asym(-1.0f, 1.0f);
  const auto [so, zo] = asym(-wf + bf, wf + bf);  // calibration outputs at x = -1, 1
  auto fq = [](float v, float s, float z) { return (std::clamp(std::round(v / s) + z, -128.0f, 127.0f) - z) * s; };
  double dw = 0, db = 0;
  for (int i = 0; i < 4; ++i) {
    const float xq = fq(x.data[i], si, zi), out = xq * wf + bf;
    if (out < (-128 - zo) * so || out > (127 - zo) * so) continue;  // clipped: no gradient
    const double d = 2.0 / 4 * (fq(out, so, zo) - y.data[i]);
    dw += d * xq;
    db += d;
  }
  const auto& bn = layers[1]->params();
  EXPECT_NEAR(layers[0]->params()[0].grad[0], dw * g * inv, 1e-5);
  for (const auto& p : bn) {
    if (p.name == "gamma") EXPECT_NEAR(p.grad[0], (dw * 0.8 + db * (0.0 - mean)) * inv, 1e-5);
    if (p.name == "beta") EXPECT_NEAR(p.grad[0], db, 1e-5);
  }
  // BN statistics stay frozen; the weights are restored after the step.
  EXPECT_EQ(layers[0]->params()[0].value[0], 0.8f);
  EXPECT_EQ(layers[1]->FindParam("moving_mean")->value[0], mean);
}

// QatBatchNorm::kBatch: a per-channel Conv + BN trains BN on the batch
// statistics of the conv output (computed here by hand), updates the moving
// averages, and the kernel's gradient vanishes (the batch-normalized output
// does not depend on the scale of a one-weight kernel), unlike kFrozen.
TEST(Qat, BatchNormOnBatchStatistics) {
  std::string err;
  const nlohmann::json spec = {
      {"input_shape", {1, 1}}, {"loss", "mse"},
      {"layers", {{{"type", "Conv1D"}, {"filters", 1}, {"kernel_size", 1}, {"use_bias", false}},
                  {{"type", "BatchNormalization"}}}}};
  const float w = 0.8f, g = 1.5f, beta = 0.1f, mean = 0.2f, var = 0.5f;
  Tensor cal({2, 1, 1});
  cal.data = {-1.0f, 1.0f};
  Tensor x({4, 1, 1}), y({4, 1, 1});
  x.data = {0.9f, -0.3f, 0.05f, -1.0f};
  y.data = {1.0f, 0.0f, -0.5f, 0.2f};
  double dw[2] = {0, 0};
  for (int mode = 0; mode < 2; ++mode) {
    auto m = train::Sequential::FromJson(spec, 1, &err);
    ASSERT_TRUE(m) << err;
    auto& layers = m->layers();
    layers[0]->params()[0].value = {w};
    for (auto& p : layers[1]->params()) {
      if (p.name == "gamma") p.value = {g};
      if (p.name == "beta") p.value = {beta};
      if (p.name == "moving_mean") p.value = {mean};
      if (p.name == "moving_variance") p.value = {var};
    }
    const float eps = layers[1]->Config()["epsilon"].get<float>();
    const float momentum = layers[1]->Config()["momentum"].get<float>();
    auto qat = QatTrainer::Create(*m, cal, &err, mode == 1 ? QatBatchNorm::kBatch : QatBatchNorm::kFrozen);
    ASSERT_TRUE(qat) << err;
    const double loss = qat->ForwardBackward(x, y, 1.0f);
    dw[mode] = layers[0]->params()[0].grad[0];
    if (mode == 0) {
      EXPECT_EQ(layers[1]->FindParam("moving_mean")->value[0], mean);
      continue;
    }
    // By hand: input and output parameters from the calibration (inference,
    // moving statistics), the conv on the rounded input, batch statistics.
    auto asym = [](float lo, float hi) {
      lo = std::min(lo, 0.0f), hi = std::max(hi, 0.0f);
      const float s = (hi - lo) / 255;
      return std::make_pair(s, std::round(-128 - lo / s));
    };
    auto fq = [](float v, float s, float z) {
      return (std::clamp(std::round(v / s) + z, -128.0f, 127.0f) - z) * s;
    };
    const float inv = 1.0f / std::sqrt(var + eps);
    const auto [si, zi] = asym(-1.0f, 1.0f);
    const auto [so, zo] = asym((-w - mean) * g * inv + beta, (w - mean) * g * inv + beta);
    double z[4], mb = 0, vb = 0;
    for (int i = 0; i < 4; ++i) mb += (z[i] = fq(x.data[i], si, zi) * w) / 4;
    for (int i = 0; i < 4; ++i) vb += (z[i] - mb) * (z[i] - mb) / 4;
    double want = 0;
    for (int i = 0; i < 4; ++i) {
      const double out = g * (z[i] - mb) / std::sqrt(vb + eps) + beta;
      const double d = fq(static_cast<float>(out), so, zo) - y.data[i];
      want += d * d / 4;
    }
    EXPECT_NEAR(loss, want, 1e-5);
    const auto& moved = *layers[1];
    EXPECT_NEAR(moved.FindParam("moving_mean")->value[0], mean * momentum + mb * (1 - momentum), 1e-6);
    EXPECT_NEAR(moved.FindParam("moving_variance")->value[0], var * momentum + vb * (1 - momentum), 1e-6);
    EXPECT_EQ(layers[0]->params()[0].value[0], w);
  }
  EXPECT_GT(std::fabs(dw[0]), 1e-2) << "frozen statistics: the kernel scale matters";
  EXPECT_LT(std::fabs(dw[1]), std::fabs(dw[0]) * 1e-2) << "batch statistics: scale-invariant";
}

// QatRanges::kTfmot follows TFMOT's quantizers (quant_ops.py): the input's
// range starts at [0, 0] and keeps the running min/max of all batches
// (AllValuesQuantize); the others start at [-6, 6] and move by
// r = d r + (1 - d) batch, with the batch range widened to include 0
// (MovingAvgQuantize). Expected values are written out here from those rules.
TEST(Qat, TfmotRangesStartAtSixAndIncludeZero) {
  std::string err;
  auto m = train::Sequential::FromJson(
      {{"input_shape", {2}}, {"loss", "binary_crossentropy"},
       {"layers", {{{"type", "Dense"}, {"units", 2}, {"activation", "relu"}},
                   {{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}}}},
      1, &err);
  ASSERT_TRUE(m) << err;
  auto& layers = m->layers();  // Dense, ReLU, Dense, Sigmoid
  ASSERT_EQ(layers.size(), 4u);
  layers[0]->params()[0].value = {1.0f, 0.0f, 0.0f, 1.0f};  // identity
  layers[0]->params()[1].value = {0.0f, 0.0f};
  layers[2]->params()[0].value = {1.0f, 1.0f};
  layers[2]->params()[1].value = {5.0f};  // every logit > 0: only the widening puts 0 in
  Tensor cal({2, 2});
  cal.data = {0.1f, 0.2f, 0.3f, 0.4f};
  auto qat = QatTrainer::Create(*m, cal, &err, QatBatchNorm::kFrozen, QatRanges::kTfmot);
  ASSERT_TRUE(qat) << err;
  auto r = qat->Ranges();  // [0] input, [2] after the ReLU, [3] the logit
  EXPECT_EQ(r[0].min, 0.0f);
  EXPECT_EQ(r[0].max, 0.0f);
  EXPECT_EQ(r[2].min, -6.0f);
  EXPECT_EQ(r[2].max, 6.0f);
  EXPECT_EQ(r[3].min, -6.0f);
  EXPECT_EQ(r[3].max, 6.0f);

  Tensor x({2, 2}), y({2, 1});
  x.data = {0.25f, 0.5f, 0.75f, 1.0f};
  y.data = {1.0f, 1.0f};
  qat->ForwardBackward(x, y, 0.5f);
  r = qat->Ranges();
  EXPECT_EQ(r[0].min, 0.0f);  // all-values: min(0, 0.25)
  EXPECT_EQ(r[0].max, 1.0f);
  EXPECT_EQ(r[2].min, -3.0f);  // 0.5 * -6 + 0.5 * min(0, relu min 0.25)
  EXPECT_NEAR(r[2].max, 0.5f * 6 + 0.5f * 1.0f, 1e-5);  // the input 1.0 rounds to itself
  EXPECT_EQ(r[3].min, -3.0f);  // 0.5 * -6 + 0.5 * min(0, 5.75)
  // Largest logit 1 + 0.75 + 5 = 6.75, from values rounded on grids of 1/255
  // and 6.5/255.
  EXPECT_NEAR(r[3].max, 0.5f * 6 + 0.5f * 6.75f, 0.5f * 0.02f);

  x.data = {0.5f, 0.5f, -2.0f, 0.1f};
  qat->ForwardBackward(x, y, 0.5f);
  r = qat->Ranges();
  EXPECT_EQ(r[0].min, -2.0f);  // running min, not a moving average (which gives -1)
  EXPECT_EQ(r[0].max, 1.0f);   // kept from the first batch
  EXPECT_EQ(r[2].min, -1.5f);  // 0.5 * -3 + 0.5 * 0
}

Tensor RandomData(int n, train::Shape shape, uint64_t seed) {
  shape.insert(shape.begin(), n);
  Tensor t(shape);
  train::Rng rng(seed);
  for (float& v : t.data) v = rng.Normal(0.0f, 1.0f);
  return t;
}

// The fake-quantized forward equals the int8 model's dequantized output
// within 1 output LSB, after float training and a QAT epoch.
void ExpectForwardMatchesInt8(const nlohmann::json& spec, int classes,
                              QatBatchNorm bn_mode = QatBatchNorm::kFrozen,
                              QatRanges ranges = QatRanges::kCalibrated) {
  std::string err;
  auto m = train::Sequential::FromJson(spec, 3, &err);
  ASSERT_TRUE(m) << err;
  const Tensor x = RandomData(96, m->input_shape(), 7);
  Tensor y({96, classes == 1 ? 1 : 1});
  for (int i = 0; i < 96; ++i) {
    float sum = 0;
    for (size_t k = 0; k < x.per_item(); k += 2) sum += x.data[i * x.per_item() + k];
    y.data[i] = classes == 1 ? (sum > 0 ? 1.0f : 0.0f) : static_cast<float>(i % classes);
  }
  train::FitOptions f;
  f.epochs = 2;
  m->Fit(x, y, f);
  auto qat = QatTrainer::Create(*m, x, &err, bn_mode, ranges);
  ASSERT_TRUE(qat) << err;
  const std::vector<float> mean0 = m->layers()[1]->FindParam("moving_mean")->value;
  QatOptions o;
  o.epochs = 1;
  qat->Fit(x, y, o);
  // kBatch updates the moving statistics (the export folds the new ones); kFrozen keeps them.
  EXPECT_EQ(m->layers()[1]->FindParam("moving_mean")->value != mean0, bn_mode == QatBatchNorm::kBatch);
  auto q = qat->Export(&err);
  ASSERT_TRUE(q) << err;
  // The export uses the ranges learned in training, not a fresh calibration.
  const auto learned = qat->Ranges();
  const QuantParams in_q = ChooseInt8Params(learned[0].min, learned[0].max);
  EXPECT_EQ(q->input.scale, in_q.scale);
  EXPECT_EQ(q->input.zero_point, in_q.zero_point);
  const auto fresh = CalibrateRanges(*m, x);
  bool moved = false;
  for (size_t i = 1; i < learned.size(); ++i)
    moved |= learned[i].max != 0 && learned[i].max != fresh[i].max;
  EXPECT_TRUE(moved) << "the EMA ranges should differ from a min/max calibration";
  auto run = RunInt8(host::WriteTflite(q->model), x, &err);
  ASSERT_TRUE(run) << err;
  const Tensor p = qat->Predict(x);
  ASSERT_EQ(p.data.size(), run->dequantized.data.size());
  int exact = 0;
  for (size_t i = 0; i < p.data.size(); ++i) {
    EXPECT_LE(std::fabs(p.data[i] - run->dequantized.data[i]), q->output.scale * 1.01f) << i;
    exact += p.data[i] == run->dequantized.data[i];
  }
  EXPECT_GE(exact, static_cast<int>(p.data.size() * 0.9)) << "most outputs should agree exactly";
  std::printf("QAT forward vs int8: %d of %zu outputs byte-equal, the rest within 1 LSB\n", exact, p.data.size());
}

const nlohmann::json kConv1DBn = {
    {"input_shape", {16, 1}}, {"loss", "binary_crossentropy"},
    {"layers", {{{"type", "Conv1D"}, {"filters", 4}, {"kernel_size", 3}},
                {{"type", "BatchNormalization"}},
                {{"type", "ReLU"}},
                {{"type", "AveragePooling1D"}, {"pool_size", 2}},
                {{"type", "Flatten"}},
                {{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}}}};

// Conv2D (no bias) + BN + ReLU + MaxPool -> Dense(3) softmax on 6x6xC.
nlohmann::json Conv2DBnSoftmax(int channels) {
  return {{"input_shape", {6, 6, channels}}, {"loss", "sparse_categorical_crossentropy"},
          {"layers", {{{"type", "Conv2D"}, {"filters", 3}, {"kernel_size", 3}, {"use_bias", false}},
                      {{"type", "BatchNormalization"}},
                      {{"type", "ReLU"}},
                      {{"type", "MaxPooling2D"}, {"pool_size", 2}},
                      {{"type", "Flatten"}},
                      {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}}}};
}

TEST(Qat, ForwardMatchesInt8ModelConv1DBatchNormSigmoid) { ExpectForwardMatchesInt8(kConv1DBn, 1); }

TEST(Qat, ForwardMatchesInt8ModelConv2DSoftmax) { ExpectForwardMatchesInt8(Conv2DBnSoftmax(1), 3); }

TEST(Qat, ForwardMatchesInt8ModelBatchStatisticsConv1D) {
  ExpectForwardMatchesInt8(kConv1DBn, 1, QatBatchNorm::kBatch);
}

// (Without the ReLU/pool, Conv2D+BN -> Flatten -> Dense softmax, some outputs
// differ by 2 LSB in both BN modes: 1 LSB of a logit moves the softmax more.)
TEST(Qat, ForwardMatchesInt8ModelBatchStatisticsConv2D) {
  ExpectForwardMatchesInt8(Conv2DBnSoftmax(2), 3, QatBatchNorm::kBatch);
}

// TFMOT's semantics on a digits-like net (batch BN, ranges from [-6, 6]):
// the int8 model still computes what the QAT forward pass computes. The last
// layer is linear here: behind a softmax, the wide logit grid (about 12/255
// after a short QAT) turns a 1 LSB logit difference into up to 3 LSB of the
// 1/256 probability grid (dp/dz <= 1/4).
TEST(Qat, ForwardMatchesInt8ModelTfmotRanges) {
  ExpectForwardMatchesInt8(
      {{"input_shape", {6, 6, 2}}, {"loss", "mse"},
       {"layers", {{{"type", "Conv2D"}, {"filters", 3}, {"kernel_size", 3}, {"use_bias", false}},
                   {{"type", "BatchNormalization"}},
                   {{"type", "ReLU"}},
                   {{"type", "MaxPooling2D"}, {"pool_size", 2}},
                   {{"type", "Conv2D"}, {"filters", 4}, {"kernel_size", 2}, {"activation", "relu"}},
                   {{"type", "Flatten"}},
                   {{"type", "Dense"}, {"units", 1}}}}},
      1, QatBatchNorm::kBatch, QatRanges::kTfmot);
}

TEST(Qat, RefusesWhatInt8CannotExpress) {
  std::string err;
  auto m = train::Sequential::FromJson(
      {{"input_shape", {4}}, {"loss", "mse"},
       {"layers", {{{"type", "BatchNormalization"}}, {{"type", "Dense"}, {"units", 1}}}}}, 1, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(QatTrainer::Create(*m, RandomData(4, {4}, 1), &err), nullptr);
  EXPECT_NE(err.find("BatchNormalization"), std::string::npos) << err;
  EXPECT_EQ(QatTrainer::Create(*m, Tensor(), &err), nullptr);
  EXPECT_NE(err.find("empty"), std::string::npos) << err;
}

}  // namespace
}  // namespace mote::compress
