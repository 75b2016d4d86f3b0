#include "host/train/spec_augment.h"

#include <gtest/gtest.h>

#include <cstring>

#include "host/train/fit_test_util.h"
#include "host/train/model.h"

namespace mote::train {
namespace {

using nlohmann::json;

// [n, t, f, 1] with x[i][k][q] = 10 q + i + (k - (t - 1) / 2): feature q of
// example i has the time mean 10 q + i exactly, and no cell equals that mean
// unless t is odd and k is the middle frame.
Tensor Ramp(int n, int t, int f) {
  Tensor x({n, t, f, 1});
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < t; ++k)
      for (int q = 0; q < f; ++q)
        x.data[(static_cast<size_t>(i) * t + k) * f + q] = 10.0f * q + i + (k - (t - 1) / 2.0f);
  return x;
}

TEST(SpecAugment, OffLeavesDataAndRngUntouched) {
  Tensor x = Ramp(3, 8, 4);
  const Tensor before = x;
  Rng rng(9), fresh(9);
  SpecAugmentOptions o;
  o.time_masks = 2;  // width 0: off
  o.freq_width = 3;  // count 0: off
  EXPECT_FALSE(o.enabled());
  SpecAugment(o, &rng, &x);
  EXPECT_EQ(x.data, before.data);
  EXPECT_EQ(rng.Next(), fresh.Next());
}

TEST(SpecAugment, MasksAreRunsFilledWithTheFeatureMean) {
  const int n = 200, t = 8, f = 6;  // t even: no original cell equals its mean
  Tensor x = Ramp(n, t, f);
  const Tensor before = x;
  SpecAugmentOptions o;
  o.time_masks = 1;
  o.time_width = 3;
  o.freq_masks = 1;
  o.freq_width = 2;
  Rng rng(4);
  SpecAugment(o, &rng, &x);
  int items_changed = 0, widest_t = 0, widest_f = 0;
  for (int i = 0; i < n; ++i) {
    std::vector<int> frame_hits(t, 0), feature_hits(f, 0);
    bool changed = false;
    for (int k = 0; k < t; ++k)
      for (int q = 0; q < f; ++q) {
        const size_t at = (static_cast<size_t>(i) * t + k) * f + q;
        if (x.data[at] == before.data[at]) continue;
        EXPECT_EQ(x.data[at], 10.0f * q + i) << "example " << i << " frame " << k << " feature " << q;
        ++frame_hits[k];
        ++feature_hits[q];
        changed = true;
      }
    items_changed += changed;
    // A masked frame is masked in every feature; a masked feature in every frame.
    int full_frames = 0, full_features = 0;
    for (int k = 0; k < t; ++k) full_frames += frame_hits[k] == f;
    for (int q = 0; q < f; ++q) full_features += feature_hits[q] == t;
    EXPECT_LE(full_frames, 3) << i;
    EXPECT_LE(full_features, 2) << i;
    for (int k = 0; k < t; ++k)
      if (frame_hits[k] != 0 && frame_hits[k] != f) EXPECT_LE(frame_hits[k], 2) << i;
    widest_t = std::max(widest_t, full_frames);
    widest_f = std::max(widest_f, full_features);
  }
  // Widths are drawn from 0..width: over 200 examples both extremes show up.
  EXPECT_GT(items_changed, n / 2);
  EXPECT_LT(items_changed, n);
  EXPECT_EQ(widest_t, 3);
  EXPECT_EQ(widest_f, 2);
}

TEST(SpecAugment, SameSeedSameBytesOtherSeedOtherMasks) {
  SpecAugmentOptions o;
  o.time_masks = 2;
  o.time_width = 5;
  o.freq_masks = 1;
  o.freq_width = 2;
  Tensor a = Ramp(16, 49, 10), b = a, c = a;
  Rng ra(1), rb(1), rc(2);
  SpecAugment(o, &ra, &a);
  SpecAugment(o, &rb, &b);
  SpecAugment(o, &rc, &c);
  EXPECT_EQ(0, std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(float)));
  EXPECT_NE(a.data, c.data);
}

TEST(SpecAugment, WidthsLargerThanTheAxisAndRankTwoInput) {
  SpecAugmentOptions o;
  o.time_masks = 3;
  o.time_width = 1000;
  o.freq_masks = 2;
  o.freq_width = 1000;
  Tensor x = Ramp(50, 4, 3);
  Rng rng(3);
  SpecAugment(o, &rng, &x);  // no out-of-range write (ASan/valgrind would say)
  Tensor y({20, 6});         // [N, T]: time masks only
  for (size_t i = 0; i < y.data.size(); ++i) y.data[i] = static_cast<float>(i % 6);  // mean 2.5
  SpecAugment(o, &rng, &y);
  int filled = 0;
  for (float v : y.data) {
    EXPECT_TRUE(v == 2.5f || (v >= 0 && v <= 5 && v == static_cast<int>(v))) << v;
    filled += v == 2.5f;
  }
  EXPECT_GT(filled, 0);
}

TEST(SpecAugment, JsonRoundTripAndErrors) {
  SpecAugmentOptions o;
  std::string err;
  ASSERT_TRUE(o.FromJson(json{{"time_masks", 2}, {"time_width", 5}, {"freq_masks", 1}, {"freq_width", 2}}, &err))
      << err;
  EXPECT_EQ(o.ToJson(), (json{{"time_masks", 2}, {"time_width", 5}, {"freq_masks", 1}, {"freq_width", 2}}));
  EXPECT_FALSE(o.FromJson(json{{"time_mask", 2}}, &err));
  EXPECT_NE(err.find("unknown key \"time_mask\""), std::string::npos) << err;
  EXPECT_FALSE(o.FromJson(json{{"time_width", -1}}, &err));
  EXPECT_NE(err.find("\"time_width\" must be an integer from 0 to 1000"), std::string::npos) << err;
  EXPECT_FALSE(o.FromJson(json{{"freq_width", 2.5}}, &err));
  EXPECT_FALSE(o.FromJson(json::array(), &err));
  FitOptions f;
  EXPECT_FALSE(f.FromJson(json{{"spec_augment", {{"time_masks", "two"}}}}, &err));
  EXPECT_NE(err.find("time_masks"), std::string::npos) << err;
  ASSERT_TRUE(f.FromJson(json{{"spec_augment", {{"time_masks", 1}, {"time_width", 4}}}}, &err)) << err;
  EXPECT_TRUE(f.spec_augment.enabled());
  EXPECT_EQ(f.ToJson()["spec_augment"]["time_width"], 4);
}

std::vector<float> FitMasked(int threads, bool masks) {
  std::string err;
  auto m = Sequential::FromJson(json::parse(R"({"input_shape": [12, 4, 1],
      "loss": "sparse_categorical_crossentropy", "layers": [
      {"type": "Conv2D", "filters": 4, "kernel_size": [3, 3], "padding": "same", "activation": "relu"},
      {"type": "BatchNormalization"},
      {"type": "Flatten"}, {"type": "Dense", "units": 3}, {"type": "Softmax"}]})"),
                                5, &err);
  EXPECT_TRUE(m) << err;
  Rng rng(6);
  Tensor x({96, 12, 4, 1}), y({96, 1});
  for (int i = 0; i < 96; ++i) {
    y.data[i] = static_cast<float>(i % 3);
    for (int j = 0; j < 48; ++j) x.data[i * 48 + j] = rng.Normal(y.data[i] * (j % 4) * 0.3f, 1.0f);
  }
  FitOptions o;
  o.epochs = 2;
  o.batch_size = 16;
  o.optimizer.learning_rate = 0.01f;
  if (masks) {
    o.spec_augment.time_masks = 2;
    o.spec_augment.time_width = 3;
    o.spec_augment.freq_masks = 1;
    o.spec_augment.freq_width = 1;
  }
  return FitOnThreads(*m, x, y, o, threads);
}

TEST(SpecAugment, FitIsThreadCountIndependentAndMasksChangeTraining) {
  const auto one = FitMasked(1, true), two = FitMasked(2, true);
  ASSERT_EQ(one.size(), two.size());
  EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)));
  EXPECT_NE(one, FitMasked(1, false));
}

}  // namespace
}  // namespace mote::train
