// `mote features` end to end: raw / .npy input, the three paths, the config
// blob, and one-line errors on bad input.
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/data/dataset.h"
#include "host/dsp/features.h"
#include "tests/run_command.h"

namespace mote {
namespace {

using Result = mote::testing::CliResult;
using mote::testing::RunCli;

std::string Tmp(const std::string& name) { return ::testing::TempDir() + "/mote_features_" + name; }

std::vector<int16_t> Pcm(size_t n) {
  std::vector<int16_t> x(n);
  for (size_t i = 0; i < n; ++i)
    x[i] = static_cast<int16_t>(std::lround(9000 * std::sin(0.05 * i + 1e-5 * i * i)));
  return x;
}

TEST(FeaturesCli, RawInputEqualsHostChain) {
  const auto pcm = Pcm(16000);
  const std::string raw = Tmp("a.raw"), out = Tmp("a.npy");
  std::ofstream(raw, std::ios::binary).write(reinterpret_cast<const char*>(pcm.data()), pcm.size() * 2);
  const Result r = RunCli("features " + raw + " -o " + out + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  std::string err;
  auto t = data::LoadNpy(out, &err);
  ASSERT_TRUE(t) << err;
  ASSERT_EQ(t->shape, (train::Shape{49, 10}));
  const auto ref = host::dsp::ComputeFeatures(micro::dsp::KwsConfig(), nullptr,
                                              host::dsp::Int16ToFloat(pcm.data(), pcm.size()));
  ASSERT_EQ(ref.data.size(), t->data.size());
  for (size_t i = 0; i < ref.data.size(); ++i) ASSERT_EQ(ref.data[i], t->data[i]) << i;
  // The fixed path on the same input is close (>= 40 dB) but not identical.
  const Result f = RunCli("features " + raw + " --path fixed -o " + out);
  ASSERT_EQ(f.code, 0) << f.out;
  auto q = data::LoadNpy(out, &err);
  ASSERT_TRUE(q) << err;
  double s = 0, e = 0;
  for (size_t i = 0; i < ref.data.size(); ++i) {
    s += ref.data[i] * ref.data[i];
    e += (q->data[i] - ref.data[i]) * (q->data[i] - ref.data[i]);
  }
  EXPECT_GT(10 * std::log10(s / e), 40.0);
}

TEST(FeaturesCli, BatchOfFloatClipsAndConfigBlob) {
  train::Tensor clips({2, 8000});
  const auto pcm = Pcm(8000);
  for (size_t i = 0; i < 8000; ++i) clips.data[i] = clips.data[8000 + i] = pcm[i] / 32768.0f;
  const std::string in = Tmp("b.npy"), out = Tmp("b_out.npy"), cfg = Tmp("b.json"), blob = Tmp("b.bin");
  std::string err;
  ASSERT_TRUE(data::SaveNpy(in, clips, false, &err)) << err;
  std::ofstream(cfg) << R"({"feature": "logmel", "mel_bands": 32, "window_ms": 25, "hop_ms": 10})";
  const Result r = RunCli("features " + in + " --config " + cfg + " --path float -o " + out +
                          " --write-config " + blob);
  ASSERT_EQ(r.code, 0) << r.out;
  auto t = data::LoadNpy(out, &err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->shape, (train::Shape{2, 48, 32}));  // (8000 - 400) / 160 + 1 frames
  for (size_t i = 0; i < 48 * 32; ++i) ASSERT_EQ(t->data[i], t->data[48 * 32 + i]);
  std::ifstream f(blob, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  micro::dsp::FrontEndConfig c;
  ASSERT_EQ(micro::dsp::DecodeConfig(bytes.data(), bytes.size(), &c, nullptr, nullptr),
            micro::Status::kOk);
  EXPECT_EQ(c.mel_bands, 32);
  EXPECT_EQ(c.feature, micro::dsp::FeatureType::kLogMel);
  EXPECT_EQ(micro::dsp::WindowSamples(c), 400);
}

TEST(FeaturesCli, FitNormWritesAConfigThatNormalises) {
  train::Tensor clips({3, 16000});
  for (int c = 0; c < 3; ++c) {
    const auto pcm = Pcm(16000);
    for (size_t i = 0; i < 16000; ++i) clips.data[c * 16000 + i] = pcm[(i + 997 * c) % 16000] / 32768.0f;
  }
  const std::string in = Tmp("n.npy"), out = Tmp("n_out.npy"), norm = Tmp("n.json");
  std::string err;
  ASSERT_TRUE(data::SaveNpy(in, clips, false, &err)) << err;
  Result r = RunCli("features " + in + " -o " + out + " --fit-norm " + norm);
  ASSERT_EQ(r.code, 0) << r.out;
  r = RunCli("features " + in + " --config " + norm + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  auto t = data::LoadNpy(out, &err);
  ASSERT_TRUE(t) << err;
  ASSERT_EQ(t->shape, (train::Shape{3, 49, 10}));
  for (int k = 0; k < 10; ++k) {
    double sum = 0, sq = 0;
    for (int i = 0; i < 3 * 49; ++i) {
      sum += t->data[i * 10 + k];
      sq += t->data[i * 10 + k] * t->data[i * 10 + k];
    }
    EXPECT_NEAR(sum / 147, 0.0, 1e-4) << k;
    EXPECT_NEAR(sq / 147, 1.0, 1e-3) << k;
  }
}

TEST(FeaturesCli, BadInputGivesOneLineErrors) {
  const std::string cfg = Tmp("bad.json"), raw = Tmp("odd.raw"), out = Tmp("x.npy");
  std::ofstream(cfg) << R"({"fft_size": 500})";
  std::ofstream(raw, std::ios::binary) << "abc";
  Result r = RunCli("features " + raw + " --config " + cfg + " -o " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("fft_size"), std::string::npos) << r.out;
  r = RunCli("features " + raw + " -o " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("odd byte count"), std::string::npos) << r.out;
  r = RunCli("features " + Tmp("missing.raw") + " -o " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot open"), std::string::npos) << r.out;
  std::ofstream(cfg) << R"({"window_ms": 30, "colour": 3})";
  r = RunCli("features " + raw + " --config " + cfg + " -o " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("unknown field 'colour'"), std::string::npos) << r.out;
  const auto pcm = Pcm(100);  // shorter than one window
  std::ofstream(raw, std::ios::binary).write(reinterpret_cast<const char*>(pcm.data()), 200);
  r = RunCli("features " + raw + " -o " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("shorter than one window"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mote
