// mote classify: on a small int8 model whose manifest carries the KWS front
// end (with normalisation) and 12 labels, the label and score equal the host
// front end + mote's runtime run directly on the same samples; stereo copies
// and other rates are accepted (averaged / resampled, with a note); empty,
// NaN and non-audio files are reported by name while the other files are
// still classified; models without a manifest or without a front-end config
// are refused with a clear message.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "host/compress/evaluate.h"
#include "host/compress/ptq.h"
#include "host/data/synth_kws.h"
#include "host/dsp/features.h"
#include "host/io/file.h"
#include "host/io/manifest.h"
#include "host/io/tflite_edit.h"
#include "host/io/tflite_writer.h"
#include "host/io/wav.h"
#include "host/train/loss.h"
#include "host/train/model.h"
#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace mote {
namespace {

namespace fs = std::filesystem;
namespace mdsp = micro::dsp;
using nlohmann::json;

using mote::testing::RunCommand;

std::vector<float> Signal(size_t n, int kind, double rate = 16000.0) {
  std::vector<float> s(n);
  uint32_t state = 777u + kind;
  for (size_t i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    const double t = static_cast<double>(i) / rate;
    const double noise = static_cast<double>(state >> 8) / 16777216.0 - 0.5;
    s[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * (300.0 + 400.0 * kind) * t) + 0.02 * noise);
  }
  return s;
}

void Put32(std::string* s, uint32_t v) {
  for (int k = 0; k < 4; ++k) s->push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}
void Put16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v & 0xff));
  s->push_back(static_cast<char>(v >> 8));
}
// A canonical RIFF/WAVE file: format 1 (PCM) or 3 (IEEE float).
std::string MakeWav(uint16_t format, uint16_t channels, uint32_t rate, uint16_t bits, const std::string& data) {
  std::string s = "RIFF";
  Put32(&s, 36 + static_cast<uint32_t>(data.size()));
  s += "WAVEfmt ";
  Put32(&s, 16);
  Put16(&s, format);
  Put16(&s, channels);
  Put32(&s, rate);
  Put32(&s, rate * channels * bits / 8);
  Put16(&s, static_cast<uint16_t>(channels * bits / 8));
  Put16(&s, bits);
  s += "data";
  Put32(&s, static_cast<uint32_t>(data.size()));
  return s + data;
}

class ClassifyCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(mote::testing::ProcessTempDir("mote_classify"));
    fs::create_directories(*dir_);
    // A small model on the KWS input: Flatten -> Dense 12 -> softmax, random
    // weights (what matters is that classify feeds it the right features).
    train::Sequential m({49, 10, 1});
    m.Add({{"type", "Flatten"}});
    m.Add({{"type", "Dense"}, {"units", 12}});
    m.Add({{"type", "Softmax"}});
    std::string err;
    ASSERT_TRUE(m.Compile(train::Loss::kSparseCategoricalCrossentropy, 3, &err)) << err;
    c_ = new mdsp::FrontEndConfig(mdsp::KwsConfig());
    std::vector<host::dsp::Features> raw;
    for (int k = 0; k < 6; ++k) {
      auto s = Signal(15840, k);
      raw.push_back(host::dsp::ComputeFeatures(*c_, nullptr, s));
    }
    norm_ = new mdsp::FeatureNorm(host::dsp::FitNorm(raw));
    c_->normalize = 1;
    train::Tensor rep({6, 49, 10, 1});
    for (int k = 0; k < 6; ++k) {
      const auto f = host::dsp::ComputeFeatures(*c_, norm_, Signal(15840, k));
      std::copy(f.data.begin(), f.data.end(), rep.data.begin() + k * 490);
    }
    auto q = compress::QuantizeInt8(m, rep, &err);
    ASSERT_TRUE(q) << err;
    plain_ = new std::vector<uint8_t>(host::WriteTflite(q->model));
    host::ManifestData man;
    man.name = "kws-test";
    man.version = {1, 0, 0};
    man.labels = data::KwsLabels();
    man.front_end.resize(mdsp::EncodedConfigBytes(*c_));
    ASSERT_GT(mdsp::EncodeConfig(*c_, norm_, man.front_end.data(), man.front_end.size()), 0u);
    auto rec = host::EncodeManifest(man, &err);
    ASSERT_TRUE(rec) << err;
    auto with = host::AddMetadata(*plain_, "mote.manifest", *rec, &err);
    ASSERT_TRUE(with) << err;
    model_ = new std::string((*dir_ / "model.tflite").string());
    ASSERT_TRUE(host::WriteFile(*model_, with->data(), with->size(), &err)) << err;
    man.front_end.clear();
    rec = host::EncodeManifest(man, &err);
    ASSERT_TRUE(rec) << err;
    with = host::AddMetadata(*plain_, "mote.manifest", *rec, &err);
    ASSERT_TRUE(with) << err;
    ASSERT_TRUE(host::WriteFile((*dir_ / "no_front_end.tflite").string(), with->data(), with->size(), &err));
    ASSERT_TRUE(host::WriteFile((*dir_ / "plain.tflite").string(), plain_->data(), plain_->size(), &err));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete c_;
    delete norm_;
    delete plain_;
    delete model_;
  }
  static std::string Path(const std::string& name) { return (*dir_ / name).string(); }
  static std::string Cli() { return std::string(MOTE_CLI) + " classify "; }

  // The expected (label index, score) computed without classify: the file read
  // back, its first 15840 samples through the host front end, mote's runtime.
  static std::pair<int, float> Direct(const std::string& wav) {
    std::string err;
    auto a = host::ReadAudio(wav, &err);
    EXPECT_TRUE(a) << err;
    a->samples.resize(15840, 0.0f);
    const auto f = host::dsp::ComputeFeatures(*c_, norm_, a->samples);
    train::Tensor x({1, 49, 10, 1});
    std::copy(f.data.begin(), f.data.end(), x.data.begin());
    auto run = compress::RunInt8(*plain_, x, &err);
    EXPECT_TRUE(run) << err;
    int best = 0;
    for (int k = 1; k < 12; ++k)
      if (run->dequantized.data[k] > run->dequantized.data[best]) best = k;
    return {best, run->dequantized.data[best]};
  }

  static fs::path* dir_;
  static mdsp::FrontEndConfig* c_;
  static mdsp::FeatureNorm* norm_;
  static std::vector<uint8_t>* plain_;
  static std::string* model_;
};
fs::path* ClassifyCli::dir_ = nullptr;
mdsp::FrontEndConfig* ClassifyCli::c_ = nullptr;
mdsp::FeatureNorm* ClassifyCli::norm_ = nullptr;
std::vector<uint8_t>* ClassifyCli::plain_ = nullptr;
std::string* ClassifyCli::model_ = nullptr;

TEST_F(ClassifyCli, LabelAndScoreEqualTheFrontEndAndRuntimeRunDirectly) {
  std::string err;
  for (int kind = 0; kind < 3; ++kind) {
    const auto s = Signal(16000, kind + 2);
    const std::string wav = Path("clip" + std::to_string(kind) + ".wav");
    ASSERT_TRUE(host::WriteWav16(wav, s.data(), s.size(), 16000, &err)) << err;
    const auto want = Direct(wav);
    std::string out;
    ASSERT_EQ(RunCommand(Cli() + *model_ + " " + wav + " --json --top 3", &out, false), 0) << out;
    const json j = json::parse(out);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["label"], data::KwsLabels()[want.first]) << out;
    EXPECT_EQ(j[0]["score"].get<float>(), want.second) << out;
    ASSERT_EQ(j[0]["top"].size(), 3u);
    EXPECT_GE(j[0]["top"][0]["score"].get<float>(), j[0]["top"][1]["score"].get<float>());
    // The text form: FILE<TAB>LABEL<TAB>SCORE.
    out.clear();
    ASSERT_EQ(RunCommand(Cli() + *model_ + " " + wav, &out, false), 0) << out;
    EXPECT_EQ(out.rfind(wav + "\t" + data::KwsLabels()[want.first] + "\t", 0), 0u) << out;
  }
}

TEST_F(ClassifyCli, StereoCopiesAreAveragedAndOtherRatesResampled) {
  std::string err;
  const auto s = Signal(16000, 4);
  const std::string mono = Path("mono.wav");
  ASSERT_TRUE(host::WriteWav16(mono, s.data(), s.size(), 16000, &err)) << err;
  const auto pcm = host::FloatToInt16(s.data(), s.size());
  std::string data;
  for (int16_t v : pcm) {
    Put16(&data, static_cast<uint16_t>(v));
    Put16(&data, static_cast<uint16_t>(v));
  }
  const std::string stereo = Path("stereo.wav");
  std::ofstream(stereo, std::ios::binary) << MakeWav(1, 2, 16000, 16, data);
  const auto s44 = Signal(44100, 4, 44100.0);
  const std::string wav44 = Path("rate44.wav");
  ASSERT_TRUE(host::WriteWav16(wav44, s44.data(), s44.size(), 44100, &err)) << err;
  std::string out;
  ASSERT_EQ(RunCommand(Cli() + *model_ + " " + mono + " " + stereo + " " + wav44 + " --json", &out, false), 0)
      << out;
  const json j = json::parse(out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["label"], j[1]["label"]);
  EXPECT_EQ(j[0]["score"], j[1]["score"]);
  EXPECT_NE(j[1]["notes"].dump().find("2 channels averaged"), std::string::npos) << out;
  EXPECT_NE(j[2]["notes"].dump().find("resampled 44100 Hz -> 16000 Hz"), std::string::npos) << out;
  EXPECT_TRUE(j[2].contains("label")) << out;
}

TEST_F(ClassifyCli, ShortLongAndClippedAudioAreAdjustedWithNotes) {
  std::string err;
  const auto shrt = Signal(4000, 1);
  std::vector<float> longer(48000, 0.0f);
  const auto word = Signal(8000, 5);
  std::copy(word.begin(), word.end(), longer.begin() + 30000);
  std::vector<float> clipped(16000);
  for (size_t i = 0; i < clipped.size(); ++i) clipped[i] = (i / 20) % 2 ? 1.0f : -1.0f;
  ASSERT_TRUE(host::WriteWav16(Path("short.wav"), shrt.data(), shrt.size(), 16000, &err));
  ASSERT_TRUE(host::WriteWav16(Path("long.wav"), longer.data(), longer.size(), 16000, &err));
  ASSERT_TRUE(host::WriteWav16(Path("clipped.wav"), clipped.data(), clipped.size(), 16000, &err));
  std::string out;
  ASSERT_EQ(RunCommand(Cli() + *model_ + " " + Path("short.wav") + " " + Path("long.wav") + " " +
                           Path("clipped.wav") + " --json", &out, false), 0)
      << out;
  const json j = json::parse(out);
  EXPECT_NE(j[0]["notes"].dump().find("zero-padded"), std::string::npos) << out;
  // The word fills [30000, 38000): the earliest hop-aligned 15840-sample
  // window holding all of it starts at 22400 (38000 - 15840 = 22160 -> 22400).
  EXPECT_NE(j[1]["notes"].dump().find("loudest 0.99 s from 1.40 s"), std::string::npos) << out;
  EXPECT_NE(j[2]["notes"].dump().find("clipped"), std::string::npos) << out;
}

TEST_F(ClassifyCli, BadFilesAreNamedAndTheOthersStillClassified) {
  std::string err;
  const auto s = Signal(16000, 2);
  const std::string good = Path("good.wav");
  ASSERT_TRUE(host::WriteWav16(good, s.data(), s.size(), 16000, &err)) << err;
  const std::string empty = Path("empty.wav");
  std::ofstream(empty, std::ios::binary) << MakeWav(1, 1, 16000, 16, "");
  std::vector<float> f(1000, 0.1f);
  f[500] = std::nanf("");
  const std::string nan = Path("nan.wav");
  std::ofstream(nan, std::ios::binary)
      << MakeWav(3, 1, 16000, 32, std::string(reinterpret_cast<const char*>(f.data()), f.size() * 4));
  const std::string text = Path("notes.wav");
  std::ofstream(text) << "not audio at all";
  std::string out;
  EXPECT_EQ(RunCommand(Cli() + *model_ + " " + empty + " " + good + " " + nan + " " + text + " " +
                           Path("missing.wav"), &out), 1);
  EXPECT_NE(out.find(good + "\t"), std::string::npos) << out;
  for (const auto& name : {empty, nan, text, Path("missing.wav")})
    EXPECT_NE(out.find("mote: " + name), std::string::npos) << name << "\n" << out;
  EXPECT_NE(out.find("NaN"), std::string::npos) << out;
  EXPECT_NE(out.find("4 of 5 file(s) could not be classified"), std::string::npos) << out;
  // --json carries the errors per file.
  out.clear();
  EXPECT_EQ(RunCommand(Cli() + *model_ + " " + empty + " " + good + " --json", &out, false), 1);
  const json j = json::parse(out);
  EXPECT_TRUE(j[0].contains("error"));
  EXPECT_TRUE(j[1].contains("label"));
}

TEST_F(ClassifyCli, ModelsWithoutAFrontEndConfigAreRefused) {
  std::string err;
  const auto s = Signal(16000, 2);
  const std::string wav = Path("any.wav");
  ASSERT_TRUE(host::WriteWav16(wav, s.data(), s.size(), 16000, &err)) << err;
  std::string out;
  EXPECT_EQ(RunCommand(Cli() + Path("plain.tflite") + " " + wav, &out), 1);
  EXPECT_NE(out.find("no mote.manifest"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Cli() + Path("no_front_end.tflite") + " " + wav, &out), 1);
  EXPECT_NE(out.find("no front-end config"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(Cli() + Path("nothing.tflite") + " " + wav, &out), 1);
  EXPECT_NE(out.find("nothing.tflite"), std::string::npos) << out;
}

}  // namespace
}  // namespace mote
