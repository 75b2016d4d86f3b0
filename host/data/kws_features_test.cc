// FitClip (pad, keep, loudest hop-aligned window), ReadKwsIndex errors, and
// KwsFeatures equal to the host front end clip by clip, on 1 or 2 threads.
#include "host/data/kws_features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "host/train/parallel.h"
#include "micro/dsp/config.h"
#include "tests/temp_dir.h"

namespace mote::data {
namespace {

namespace fs = std::filesystem;

TEST(KwsFeatures, ClipSamplesOfTheKwsConfig) {
  // 30 ms window and 20 ms hop at 16 kHz: 480 + 48 * 320.
  EXPECT_EQ(ClipSamples(micro::dsp::KwsConfig()), 15840u);
}

TEST(KwsFeatures, FitClipPadsShortAudioWithZeros) {
  const auto c = micro::dsp::KwsConfig();
  std::vector<float> s(1000);
  for (size_t i = 0; i < s.size(); ++i) s[i] = 0.001f * static_cast<float>(i % 7);
  size_t start = 99;
  const auto out = FitClip(c, s, &start);
  ASSERT_EQ(out.size(), 15840u);
  EXPECT_EQ(start, 0u);
  EXPECT_EQ(0, std::memcmp(out.data(), s.data(), s.size() * sizeof(float)));
  for (size_t i = s.size(); i < out.size(); ++i) ASSERT_EQ(out[i], 0.0f) << i;
}

TEST(KwsFeatures, FitClipKeepsTheStartOfAOneSecondClip) {
  const auto c = micro::dsp::KwsConfig();
  std::vector<float> s(16000);
  for (size_t i = 0; i < s.size(); ++i) s[i] = std::sin(0.01f * static_cast<float>(i));
  s[15900] = 1.0f;  // loud, but no hop-aligned window other than 0 fits in 16000
  size_t start = 99;
  const auto out = FitClip(c, s, &start);
  EXPECT_EQ(start, 0u);
  EXPECT_EQ(0, std::memcmp(out.data(), s.data(), out.size() * sizeof(float)));
}

TEST(KwsFeatures, FitClipPicksTheEarliestHopAlignedWindowHoldingTheBurst) {
  const auto c = micro::dsp::KwsConfig();
  std::vector<float> s(32000, 0.0f);
  for (size_t i = 30000; i < 30100; ++i) s[i] = 0.5f;
  size_t start = 0;
  const auto out = FitClip(c, s, &start);
  // The window must reach sample 30099: start >= 30100 - 15840 = 14260; the
  // first multiple of the 320-sample hop from there is 14400.
  EXPECT_EQ(start, 14400u);
  EXPECT_EQ(out[30000 - 14400], 0.5f);
  EXPECT_EQ(out[30099 - 14400], 0.5f);
}

TEST(KwsFeatures, EmptyAudioGivesASilentClip) {
  const auto out = FitClip(micro::dsp::KwsConfig(), {});
  ASSERT_EQ(out.size(), 15840u);
  for (float v : out) ASSERT_EQ(v, 0.0f);
}

class KwsIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = mote::testing::ProcessTempDir("mote_kws_index");
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ / "index.csv") << text; }
  fs::path dir_;
};

TEST_F(KwsIndex, ReadsRowsAndLabelIndices) {
  Write("path,label,split,speaker,params\n"
        "train/seven/seven_0_en+m1.wav,seven,train,en+m1,text=seven;pitch=40\n"
        "test/_unknown_/u_1_en+f3.wav,_unknown_,test,en+f3,text=marvin\n");
  std::string err;
  auto rows = ReadKwsIndex(dir_.string(), &err);
  ASSERT_TRUE(rows) << err;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].label_index, 7);
  EXPECT_EQ((*rows)[0].split, "train");
  EXPECT_EQ((*rows)[0].path, dir_.string() + "/train/seven/seven_0_en+m1.wav");
  EXPECT_EQ((*rows)[1].label_index, 11);
  EXPECT_EQ((*rows)[1].speaker, "en+f3");
}

TEST_F(KwsIndex, ErrorsNameTheFileLineAndProblem) {
  std::string err;
  EXPECT_FALSE(ReadKwsIndex((dir_ / "nope").string(), &err));
  EXPECT_NE(err.find("cannot open"), std::string::npos) << err;
  Write("file,class\n");
  EXPECT_FALSE(ReadKwsIndex(dir_.string(), &err));
  EXPECT_NE(err.find("line 1"), std::string::npos) << err;
  Write("path,label,split,speaker,params\na.wav,eleven,train,x,\n");
  EXPECT_FALSE(ReadKwsIndex(dir_.string(), &err));
  EXPECT_NE(err.find("line 2: unknown label \"eleven\""), std::string::npos) << err;
  Write("path,label,split,speaker,params\na.wav,one,holdout,x,\n");
  EXPECT_FALSE(ReadKwsIndex(dir_.string(), &err));
  EXPECT_NE(err.find("unknown split"), std::string::npos) << err;
  Write("path,label,split,speaker,params\na.wav,one\n");
  EXPECT_FALSE(ReadKwsIndex(dir_.string(), &err));
  EXPECT_NE(err.find("line 2"), std::string::npos) << err;
  Write("path,label,split,speaker,params\n");
  EXPECT_FALSE(ReadKwsIndex(dir_.string(), &err));
  EXPECT_NE(err.find("no clips"), std::string::npos) << err;
}

std::vector<std::vector<float>> Clips(int n) {
  std::vector<std::vector<float>> clips;
  uint32_t state = 12345;
  for (int k = 0; k < n; ++k) {
    std::vector<float> s(15840);
    for (size_t i = 0; i < s.size(); ++i) {
      state = state * 1664525u + 1013904223u;
      const float noise = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
      s[i] = 0.05f * noise + 0.2f * std::sin(0.003f * (k + 1) * static_cast<float>(i));
    }
    clips.push_back(std::move(s));
  }
  return clips;
}

TEST(KwsFeatures, EqualsTheHostFrontEndClipByClipOnAnyThreadCount) {
  auto c = micro::dsp::KwsConfig();
  const auto clips = Clips(5);
  train::SetThreads(1);
  const train::Tensor one = KwsFeatures(c, nullptr, clips);
  train::SetThreads(2);
  train::SetParallelThreshold(0);
  const train::Tensor two = KwsFeatures(c, nullptr, clips);
  train::SetParallelThreshold(20000);
  train::SetThreads(1);
  ASSERT_EQ(one.shape, (train::Shape{5, 49, 10, 1}));
  ASSERT_EQ(0, std::memcmp(one.data.data(), two.data.data(), one.size() * sizeof(float)));
  for (int k = 0; k < 5; ++k) {
    const auto f = host::dsp::ComputeFeatures(c, nullptr, clips[k]);
    ASSERT_EQ(f.data.size(), 490u);
    ASSERT_EQ(0, std::memcmp(f.data.data(), one.data.data() + k * 490, 490 * sizeof(float))) << k;
  }
}

TEST(KwsFeatures, RefusesAClipOfTheWrongLength) {
  auto clips = Clips(2);
  clips[1].resize(16000);
  EXPECT_THROW(KwsFeatures(micro::dsp::KwsConfig(), nullptr, clips), std::invalid_argument);
}

}  // namespace
}  // namespace mote::data
