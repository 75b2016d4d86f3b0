// Distillation targets: the teachers' mean probabilities, the label/teacher
// mix, the refusals of a teacher that does not fit, and a student fitted on
// the teacher's targets alone learning the teacher rather than the labels.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/train/distill.h"
#include "host/train/model.h"
#include "host/train/rng.h"

namespace mote::train {
namespace {

using nlohmann::json;

std::unique_ptr<Sequential> Net(int inputs, int classes, const std::string& last, const std::string& loss,
                                uint64_t seed) {
  const json j = {{"input_shape", {inputs}},
                  {"loss", loss},
                  {"layers", {{{"type", "Dense"}, {"units", 8}, {"activation", "relu"}},
                              {{"type", "Dense"}, {"units", classes}, {"activation", last}}}}};
  std::string err;
  auto m = Sequential::FromJson(j, seed, &err);
  EXPECT_TRUE(m) << err;
  return m;
}

Tensor RandomRows(int n, int width, uint64_t seed) {
  Rng rng(seed);
  Tensor x({n, width});
  for (float& v : x.data) v = rng.Uniform(-2.0f, 2.0f);
  return x;
}

TEST(Distill, TeachersAreAveraged) {
  auto a = Net(4, 3, "softmax", "categorical_crossentropy", 1);
  auto b = Net(4, 3, "softmax", "categorical_crossentropy", 2);
  const Tensor x = RandomRows(20, 4, 5);
  const Tensor pa = a->Predict(x), pb = b->Predict(x);
  Tensor p;
  std::string err;
  ASSERT_TRUE(TeacherProbabilities({a.get(), b.get()}, x, 3, &p, &err)) << err;
  ASSERT_EQ(p.shape, (Shape{20, 3}));
  double apart = 0;
  for (size_t j = 0; j < p.data.size(); ++j) {
    EXPECT_FLOAT_EQ(p.data[j], 0.5f * (pa.data[j] + pb.data[j])) << j;
    apart += std::fabs(pa.data[j] - pb.data[j]);
  }
  EXPECT_GT(apart, 0.1);  // two different teachers, so the mean is not either one
}

TEST(Distill, TargetsMixLabelAndTeachers) {
  Tensor p({2, 3});
  p.data = {0.2f, 0.5f, 0.3f, 0.6f, 0.3f, 0.1f};
  const std::vector<int> y = {0, 2};
  EXPECT_EQ(DistillTargets(y, p, 0.0f).data, (std::vector<float>{1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(DistillTargets(y, p, 1.0f).data, p.data);
  const Tensor t = DistillTargets(y, p, 0.25f);
  ASSERT_EQ(t.shape, (Shape{2, 3}));
  const std::vector<float> want = {0.8f, 0.125f, 0.075f, 0.15f, 0.075f, 0.775f};
  for (size_t j = 0; j < want.size(); ++j) EXPECT_FLOAT_EQ(t.data[j], want[j]) << j;
  EXPECT_EQ(OneHot(y, 3).data, DistillTargets(y, p, 0.0f).data);
}

TEST(Distill, RefusesATeacherThatDoesNotFit) {
  auto good = Net(4, 3, "softmax", "categorical_crossentropy", 1);
  auto wide = Net(5, 3, "softmax", "categorical_crossentropy", 1);
  auto more = Net(4, 4, "softmax", "categorical_crossentropy", 1);
  auto linear = Net(4, 3, "linear", "mse", 1);
  const Tensor x = RandomRows(6, 4, 5);
  Tensor p;
  std::string err;
  EXPECT_FALSE(TeacherProbabilities({good.get(), wide.get()}, x, 3, &p, &err));
  EXPECT_NE(err.find("teacher 2: takes input [5]"), std::string::npos) << err;
  EXPECT_FALSE(TeacherProbabilities({more.get()}, x, 3, &p, &err));
  EXPECT_NE(err.find("teacher 1: has 4 outputs, the student 3"), std::string::npos) << err;
  EXPECT_FALSE(TeacherProbabilities({linear.get()}, x, 3, &p, &err));
  EXPECT_NE(err.find("must end in a softmax"), std::string::npos) << err;
  EXPECT_FALSE(TeacherProbabilities({}, x, 3, &p, &err));
  EXPECT_NE(err.find("no teacher"), std::string::npos) << err;
}

// Labels that are pure noise and a teacher with a rule of its own: a student
// fitted with weight 1 follows the teacher, with weight 0 it does not.
TEST(Distill, StudentLearnsTheTeacher) {
  auto teacher = Net(4, 3, "softmax", "categorical_crossentropy", 7);
  const Tensor x = RandomRows(600, 4, 11);
  Tensor p;
  std::string err;
  ASSERT_TRUE(TeacherProbabilities({teacher.get()}, x, 3, &p, &err)) << err;
  Rng rng(3);
  std::vector<int> noise(600);
  for (int& v : noise) v = static_cast<int>(rng.Below(3));
  auto agreement = [&](float weight) {
    auto student = Net(4, 3, "softmax", "categorical_crossentropy", 21);
    FitOptions o;
    o.epochs = 60;
    o.batch_size = 32;
    o.optimizer.learning_rate = 0.01f;
    student->Fit(x, DistillTargets(noise, p, weight), o);
    const Tensor s = student->Predict(x);
    int same = 0;
    for (int i = 0; i < 600; ++i) {
      int ks = 0, kt = 0;
      for (int k = 1; k < 3; ++k) {
        if (s.data[i * 3 + k] > s.data[i * 3 + ks]) ks = k;
        if (p.data[i * 3 + k] > p.data[i * 3 + kt]) kt = k;
      }
      same += ks == kt;
    }
    return same / 600.0;
  };
  const double taught = agreement(1.0f), labels_only = agreement(0.0f);
  EXPECT_GT(taught, 0.9);
  EXPECT_LT(labels_only, taught - 0.2);
}

}  // namespace
}  // namespace mote::train
