// Losses with and without label smoothing: closed-form values, gradients by
// central differences (on the prediction, and through softmax / sigmoid for
// the fused logit gradient), and the fit option's JSON.
#include <cmath>

#include <gtest/gtest.h>

#include "host/train/loss.h"
#include "host/train/model.h"
#include "host/train/rng.h"

namespace mote::train {
namespace {

constexpr Loss kCrossEntropies[] = {Loss::kBinaryCrossentropy, Loss::kCategoricalCrossentropy,
                                    Loss::kSparseCategoricalCrossentropy};

// Softmax over each row of logits, or an elementwise sigmoid for BCE.
Tensor Activate(Loss l, const Tensor& logits) {
  Tensor p(logits.shape);
  const size_t c = logits.per_item();
  for (size_t r = 0; r < logits.shape[0]; ++r) {
    const float* z = logits.ptr() + r * c;
    float* o = p.ptr() + r * c;
    double sum = 0;
    for (size_t k = 0; k < c; ++k) sum += std::exp(z[k]);
    for (size_t k = 0; k < c; ++k)
      o[k] = l == Loss::kBinaryCrossentropy ? 1.0f / (1.0f + std::exp(-z[k]))
                                            : static_cast<float>(std::exp(z[k]) / sum);
  }
  return p;
}

// Random logits, their activation, and targets for the loss (one-hot or sparse
// classes; independent 0/1 for BCE).
void RandomBatch(Loss l, int rows, int c, Rng* rng, Tensor* logits, Tensor* pred, Tensor* target) {
  *logits = Tensor({rows, c});
  for (float& v : logits->data) v = rng->Uniform(-2.0f, 2.0f);
  *pred = Activate(l, *logits);
  *target = l == Loss::kSparseCategoricalCrossentropy ? Tensor({rows}) : Tensor({rows, c});
  for (int r = 0; r < rows; ++r) {
    const int cls = static_cast<int>(rng->Uniform(0.0f, static_cast<float>(c) - 0.01f));
    if (l == Loss::kSparseCategoricalCrossentropy)
      target->data[r] = static_cast<float>(cls);
    else if (l == Loss::kCategoricalCrossentropy)
      target->data[r * c + cls] = 1.0f;
    else
      for (int k = 0; k < c; ++k) target->data[r * c + k] = rng->Uniform(0.0f, 1.0f) < 0.5f ? 1.0f : 0.0f;
  }
}

TEST(LabelSmoothing, ClosedForm) {
  // One row, C = 4, target class 2, s = 0.2: targets 0.05, 0.05, 0.85, 0.05.
  Tensor pred({1, 4});
  pred.data = {0.1f, 0.2f, 0.6f, 0.1f};
  Tensor sparse({1});
  sparse.data = {2.0f};
  Tensor onehot({1, 4});
  onehot.data = {0, 0, 1, 0};
  const double want = -(0.05 * std::log(0.1) + 0.05 * std::log(0.2) + 0.85 * std::log(0.6) +
                        0.05 * std::log(0.1));
  EXPECT_NEAR(LossValue(Loss::kSparseCategoricalCrossentropy, pred, sparse, 0.2f), want, 1e-6);
  EXPECT_NEAR(LossValue(Loss::kCategoricalCrossentropy, pred, onehot, 0.2f), want, 1e-6);
  // Off: the plain cross-entropy.
  EXPECT_NEAR(LossValue(Loss::kSparseCategoricalCrossentropy, pred, sparse), -std::log(0.6), 1e-6);
  // BCE, one output, target 1, s = 0.2: target 0.9.
  Tensor p1({1, 1}), t1({1, 1});
  p1.data = {0.7f};
  t1.data = {1.0f};
  EXPECT_NEAR(LossValue(Loss::kBinaryCrossentropy, p1, t1, 0.2f), -(0.9 * std::log(0.7) + 0.1 * std::log(0.3)),
              1e-6);
  // mse ignores it.
  EXPECT_EQ(LossValue(Loss::kMeanSquaredError, p1, t1, 0.2f), LossValue(Loss::kMeanSquaredError, p1, t1));
}

TEST(LabelSmoothing, FusedGradientIsZeroAtTheSmoothedTarget) {
  // Softmax output equal to the smoothed target: the loss is at its minimum.
  Tensor pred({1, 3}), sparse({1}), g;
  pred.data = {0.05f, 0.9f, 0.05f};
  sparse.data = {1.0f};
  FusedLogitGradient(Loss::kSparseCategoricalCrossentropy, pred, sparse, &g, 0.15f);
  for (float v : g.data) EXPECT_NEAR(v, 0.0f, 1e-7f);
  FusedLogitGradient(Loss::kSparseCategoricalCrossentropy, pred, sparse, &g);
  EXPECT_NEAR(g.data[1], -0.1f, 1e-7f);  // without smoothing it still pushes towards 1
}

TEST(LabelSmoothing, GradientsMatchCentralDifferences) {
  Rng rng(3);
  for (Loss l : kCrossEntropies)
    for (float s : {0.0f, 0.1f, 0.3f}) {
      SCOPED_TRACE(std::string(LossName(l)) + " s=" + std::to_string(s));
      const int rows = 3, c = 5;
      Tensor z, pred, target, g, fused;
      RandomBatch(l, rows, c, &rng, &z, &pred, &target);
      // dL/dpred.
      LossGradient(l, pred, target, &g, s);
      const float eps = 1e-3f;
      for (size_t i = 0; i < pred.size(); ++i) {
        Tensor up = pred, down = pred;
        up.data[i] += eps;
        down.data[i] -= eps;
        const double num = (LossValue(l, up, target, s) - LossValue(l, down, target, s)) / (2 * eps);
        EXPECT_NEAR(num, g.data[i], 2e-3 + 1e-2 * std::fabs(num)) << "dpred[" << i << "]";
      }
      // dL/dlogits through the activation.
      FusedLogitGradient(l, pred, target, &fused, s);
      for (size_t i = 0; i < z.size(); ++i) {
        Tensor zu = z, zd = z;
        zu.data[i] += eps;
        zd.data[i] -= eps;
        const double num = (LossValue(l, Activate(l, zu), target, s) -
                            LossValue(l, Activate(l, zd), target, s)) / (2 * eps);
        EXPECT_NEAR(num, fused.data[i], 2e-3 + 1e-2 * std::fabs(num)) << "dlogit[" << i << "]";
      }
    }
}

TEST(LabelSmoothing, FitOption) {
  FitOptions o;
  std::string err;
  ASSERT_TRUE(o.FromJson({{"label_smoothing", 0.1}}, &err)) << err;
  EXPECT_FLOAT_EQ(o.label_smoothing, 0.1f);
  EXPECT_FLOAT_EQ(o.ToJson()["label_smoothing"].get<float>(), 0.1f);
  EXPECT_FALSE(FitOptions{}.ToJson().contains("label_smoothing"));  // off: not written
  for (double bad : {-0.1, 1.0, 2.0}) {
    FitOptions b;
    EXPECT_FALSE(b.FromJson({{"label_smoothing", bad}}, &err));
    EXPECT_NE(err.find("label_smoothing must be in [0, 1)"), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace mote::train
