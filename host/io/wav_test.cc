// host/io/wav: round trips, hand-made RIFF files (so the reader is checked
// against the format, not against our own writer), and bad files.
#include "host/io/wav.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace mote::host {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/wav_test_" + name;
}

void Put32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void Put16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v & 0xff));
  s->push_back(static_cast<char>(v >> 8));
}

// A canonical RIFF/WAVE file: format 1 (PCM) or 3 (IEEE float).
std::string MakeWav(uint16_t format, uint16_t channels, uint32_t rate, uint16_t bits,
                    const std::string& data, uint32_t declared_data = 0) {
  std::string s = "RIFF";
  const uint32_t data_size = declared_data ? declared_data : static_cast<uint32_t>(data.size());
  Put32(&s, 36 + data_size);
  s += "WAVEfmt ";
  Put32(&s, 16);
  Put16(&s, format);
  Put16(&s, channels);
  Put32(&s, rate);
  Put32(&s, rate * channels * bits / 8);
  Put16(&s, static_cast<uint16_t>(channels * bits / 8));
  Put16(&s, bits);
  s += "data";
  Put32(&s, data_size);
  return s + data;
}

template <typename T>
std::string Bytes(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

std::string WriteBytes(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Wav, Int16RoundTripIsExact) {
  std::vector<int16_t> x;
  for (int i = 0; i < 1000; ++i) x.push_back(static_cast<int16_t>((i * 7919) % 65536 - 32768));
  std::string err;
  const std::string path = TempPath("rt16.wav");
  ASSERT_TRUE(WriteWav16(path, x.data(), x.size(), 16000, &err)) << err;
  auto a = ReadAudioInt16(path, &err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->rate, 16000);
  EXPECT_EQ(a->samples, x);
  // As float: s / 32768 exactly.
  auto f = ReadAudio(path, &err);
  ASSERT_TRUE(f) << err;
  ASSERT_EQ(f->samples.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(f->samples[i], x[i] / 32768.0f) << i;
}

TEST(Wav, FloatWriteRoundsAndCountsClipping) {
  const std::vector<float> x = {0.0f, 0.5f, -0.5f, 1.0f / 32768 * 0.49f, 1.5f, -2.0f,
                                std::numeric_limits<float>::quiet_NaN()};
  std::string err;
  int64_t clipped = -1;
  const std::string path = TempPath("rtf.wav");
  ASSERT_TRUE(WriteWav16(path, x.data(), x.size(), 8000, &err, &clipped)) << err;
  EXPECT_EQ(clipped, 3);  // 1.5, -2.0, NaN
  auto a = ReadAudioInt16(path, &err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->samples, (std::vector<int16_t>{0, 16384, -16384, 0, 32767, -32768, 0}));
  EXPECT_EQ(a->rate, 8000);
  EXPECT_EQ(a->clipped, 2);  // the two full-scale samples
}

TEST(Wav, ReadsHandMadePcmAndFloatFiles) {
  const std::vector<int16_t> pcm = {0, 1000, -1000, 32767, -32768};
  std::string err;
  auto a = ReadAudioInt16(WriteBytes("pcm.wav", MakeWav(1, 1, 22050, 16, Bytes(pcm))), &err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->samples, pcm);
  EXPECT_EQ(a->rate, 22050);
  EXPECT_EQ(a->clipped, 2);
  const std::vector<float> fl = {0.25f, -0.75f, 1.25f};
  auto f = ReadAudio(WriteBytes("float.wav", MakeWav(3, 1, 48000, 32, Bytes(fl))), &err);
  ASSERT_TRUE(f) << err;
  EXPECT_TRUE(f->source_is_float);
  EXPECT_EQ(f->samples, (std::vector<float>{0.25f, -0.75f, 1.0f}));  // 1.25 clamped
  EXPECT_EQ(f->clipped, 1);
}

TEST(Wav, StereoIsAveragedOrRefused) {
  // L, R pairs.
  const std::vector<int16_t> st = {100, 300, -100, -301, 32767, 32767, 5, 6};
  const std::string path = WriteBytes("stereo.wav", MakeWav(1, 2, 16000, 16, Bytes(st)));
  std::string err;
  auto a = ReadAudioInt16(path, &err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->source_channels, 2);
  // Rounded to nearest, ties away from zero: -200.5 -> -201, 5.5 -> 6.
  EXPECT_EQ(a->samples, (std::vector<int16_t>{200, -201, 32767, 6}));
  auto f = ReadAudio(path, &err);
  ASSERT_TRUE(f) << err;
  EXPECT_FLOAT_EQ(f->samples[0], 200.0f / 32768);
  ReadAudioOptions strict;
  strict.downmix = Downmix::kError;
  EXPECT_FALSE(ReadAudio(path, &err, strict));
  EXPECT_NE(err.find("2 channels, expected mono"), std::string::npos) << err;
}

TEST(Wav, BadFilesGetClearErrors) {
  std::string err;
  EXPECT_FALSE(ReadAudio(WriteBytes("empty.wav", ""), &err));
  EXPECT_NE(err.find("empty.wav: not a readable audio file"), std::string::npos) << err;

  EXPECT_FALSE(ReadAudio(WriteBytes("text.wav", "this is not audio at all, just words\n"), &err));
  EXPECT_NE(err.find("not a readable audio file"), std::string::npos) << err;

  EXPECT_FALSE(ReadAudio(TempPath("does_not_exist.wav"), &err));
  EXPECT_NE(err.find("does_not_exist.wav"), std::string::npos) << err;

  // A header with no frames.
  EXPECT_FALSE(ReadAudio(WriteBytes("noframes.wav", MakeWav(1, 1, 16000, 16, "")), &err));
  EXPECT_NE(err.find("no audio frames"), std::string::npos) << err;

  // Header promises 1000 samples, the file holds 100.
  const std::vector<int16_t> some(100, 7);
  const std::string trunc = WriteBytes("trunc.wav", MakeWav(1, 1, 16000, 16, Bytes(some), 2000));
  EXPECT_FALSE(ReadAudio(trunc, &err));
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;
  EXPECT_FALSE(ReadAudioInt16(trunc, &err));
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;

  // NaN and Inf in float WAVs.
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    const std::vector<float> fl = {0.1f, bad, 0.2f};
    const std::string path = WriteBytes("nan.wav", MakeWav(3, 1, 16000, 32, Bytes(fl)));
    EXPECT_FALSE(ReadAudio(path, &err));
    EXPECT_NE(err.find("sample 1"), std::string::npos) << err;
    EXPECT_NE(err.find(std::isnan(bad) ? "NaN" : "infinite"), std::string::npos) << err;
    EXPECT_FALSE(ReadAudioInt16(path, &err));
  }
}

TEST(Wav, WriterRejectsBadRateAndPath) {
  std::string err;
  const int16_t x[2] = {1, 2};
  EXPECT_FALSE(WriteWav16(TempPath("r0.wav"), x, 2, 0, &err));
  EXPECT_NE(err.find("sample rate 0"), std::string::npos) << err;
  EXPECT_FALSE(WriteWav16("/nonexistent_dir/x.wav", x, 2, 16000, &err));
  EXPECT_NE(err.find("/nonexistent_dir/x.wav: cannot write"), std::string::npos) << err;
}

TEST(Wav, StreamingWriterAppends) {
  const std::string path = TempPath("stream.wav");
  std::string err;
  WavWriter16 w;
  ASSERT_TRUE(w.Open(path, 16000, &err)) << err;
  std::vector<int16_t> all;
  for (int chunk = 0; chunk < 5; ++chunk) {
    std::vector<int16_t> c(777, static_cast<int16_t>(chunk * 100 - 200));
    ASSERT_TRUE(w.Append(c.data(), c.size(), &err)) << err;
    all.insert(all.end(), c.begin(), c.end());
  }
  EXPECT_EQ(w.frames(), 5 * 777);
  ASSERT_TRUE(w.Close(&err)) << err;
  auto a = ReadAudioInt16(path, &err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->samples, all);
}

}  // namespace
}  // namespace mote::host
