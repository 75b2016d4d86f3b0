#include "micro/dsp/config.h"

#include <cmath>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "micro/safety/crc32.h"

namespace mote::micro::dsp {
namespace {

bool SameConfig(const FrontEndConfig& a, const FrontEndConfig& b) {
  return a.sample_rate_hz == b.sample_rate_hz && a.window_us == b.window_us &&
         a.hop_us == b.hop_us && a.fft_size == b.fft_size && a.frames == b.frames &&
         a.window == b.window && a.feature == b.feature && a.mel_scale == b.mel_scale &&
         a.mel_triangles == b.mel_triangles && a.mel_norm == b.mel_norm &&
         a.mel_bands == b.mel_bands && a.num_mfcc == b.num_mfcc && a.normalize == b.normalize &&
         a.fixed_frac_bits == b.fixed_frac_bits && a.fmin_hz == b.fmin_hz &&
         a.fmax_hz == b.fmax_hz && a.log_floor == b.log_floor && a.preemphasis == b.preemphasis &&
         a.dc_alpha == b.dc_alpha;
}

TEST(DspConfigTest, KwsDerivedSizes) {
  const FrontEndConfig c = KwsConfig();
  EXPECT_EQ(WindowSamples(c), 480);
  EXPECT_EQ(HopSamples(c), 320);
  EXPECT_EQ(NumFeatures(c), 10);
  EXPECT_EQ(NumFrames(c, 16000), 49);
  EXPECT_EQ(NumFrames(c, 479), 0);
  EXPECT_EQ(ValidateConfig(c, nullptr, nullptr), Status::kOk);
}

TEST(DspConfigTest, RoundTripWithAndWithoutStats) {
  FrontEndConfig c = KwsConfig();
  c.mel_scale = MelScale::kSlaney;
  c.mel_norm = MelNorm::kSlaney;
  c.preemphasis = 0.97f;
  c.dc_alpha = 0.995f;
  uint8_t blob[kMaxConfigBytes];
  size_t n = EncodeConfig(c, nullptr, blob, sizeof blob);
  ASSERT_EQ(n, 56u);
  FrontEndConfig d;
  ASSERT_EQ(DecodeConfig(blob, n, &d, nullptr, nullptr), Status::kOk);
  EXPECT_TRUE(SameConfig(c, d));

  c.normalize = 1;
  FeatureNorm norm, back;
  norm.count = 10;
  for (int i = 0; i < 10; ++i) {
    norm.mean[i] = i - 3.5f;
    norm.std[i] = 0.5f + i;
  }
  n = EncodeConfig(c, &norm, blob, sizeof blob);
  ASSERT_EQ(n, 56u + 80u);
  ASSERT_EQ(DecodeConfig(blob, n, &d, &back, nullptr), Status::kOk);
  EXPECT_EQ(d.normalize, 1);
  ASSERT_EQ(back.count, 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(back.mean[i], norm.mean[i]);
    EXPECT_EQ(back.std[i], norm.std[i]);
  }
  EXPECT_EQ(EncodeConfig(c, &norm, blob, n - 1), 0u);  // too small
}

TEST(DspConfigTest, EveryCorruptionIsRejected) {
  const FrontEndConfig c = KwsConfig();
  uint8_t blob[kMaxConfigBytes];
  const size_t n = EncodeConfig(c, nullptr, blob, sizeof blob);
  FrontEndConfig d;
  ErrorText err;
  for (size_t i = 0; i < n; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      blob[i] ^= static_cast<uint8_t>(1u << bit);
      EXPECT_NE(DecodeConfig(blob, n, &d, nullptr, &err), Status::kOk) << i << ":" << bit;
      EXPECT_FALSE(err.empty());
      blob[i] ^= static_cast<uint8_t>(1u << bit);
    }
  }
  for (size_t len = 0; len < n; ++len)
    EXPECT_EQ(DecodeConfig(blob, len, &d, nullptr, nullptr), Status::kBadRecord) << len;
  EXPECT_EQ(DecodeConfig(nullptr, 0, &d, nullptr, nullptr), Status::kBadRecord);
}

// A blob with a valid CRC but a bad field must still be rejected, naming it.
TEST(DspConfigTest, BadFieldsWithValidCrcAreRejected) {
  const FrontEndConfig c = KwsConfig();
  uint8_t good[kMaxConfigBytes];
  const size_t n = EncodeConfig(c, nullptr, good, sizeof good);
  struct Case {
    size_t offset;
    uint8_t value;
    const char* words;
  };
  const Case cases[] = {{4, 2, "version"},     {5, 7, "feature"},  {6, 9, "window"},
                        {10, 0, "mel_bands"},  {11, 41, "num_mfcc"}, {13, 16, "fixed_frac_bits"},
                        {14, 7, "fft_size"},   {15, 0x03, "fft_size"}, {12, 1, "normalize"},
                        {43, 0xFF, "log_floor"}, {47, 0x7F, "preemphasis"}};
  for (const Case& k : cases) {
    uint8_t b[kMaxConfigBytes];
    std::memcpy(b, good, n);
    b[k.offset] = k.value;
    const uint32_t crc = Crc32(b, n - 4);
    std::memcpy(b + n - 4, &crc, 4);  // little-endian host
    FrontEndConfig d;
    ErrorText err;
    EXPECT_NE(DecodeConfig(b, n, &d, nullptr, &err), Status::kOk) << k.words;
    EXPECT_NE(std::strstr(err.c_str(), k.words), nullptr) << k.words << ": " << err.c_str();
  }
}

// Random blobs (with a valid CRC, so that field validation runs) never crash
// and are accepted only if they re-encode to the same bytes.
TEST(DspConfigTest, RandomBlobsAreRejectedOrRoundTrip) {
  uint32_t r = 12345;
  uint8_t good[kMaxConfigBytes];
  const size_t n = EncodeConfig(KwsConfig(), nullptr, good, sizeof good);
  int accepted = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    uint8_t b[kMaxConfigBytes];
    std::memcpy(b, good, n);
    const int flips = 1 + trial % 4;
    for (int k = 0; k < flips; ++k) {
      r = r * 1664525u + 1013904223u;
      b[4 + (r >> 8) % (n - 8)] = static_cast<uint8_t>(r >> 24);
    }
    const uint32_t crc = Crc32(b, n - 4);
    std::memcpy(b + n - 4, &crc, 4);
    FrontEndConfig d;
    FeatureNorm norm;
    if (DecodeConfig(b, n, &d, &norm, nullptr) == Status::kOk) {
      ++accepted;
      uint8_t again[kMaxConfigBytes];
      ASSERT_EQ(EncodeConfig(d, d.normalize ? &norm : nullptr, again, sizeof again), n);
      ASSERT_EQ(std::memcmp(again, b, n), 0) << trial;
    }
  }
  EXPECT_GT(accepted, 0);  // some random configs are valid, and they round-trip
}

TEST(DspConfigTest, ValidateNamesTheField) {
  ErrorText err;
  FrontEndConfig c = KwsConfig();
  c.fmax_hz = 9000.0f;
  EXPECT_EQ(ValidateConfig(c, nullptr, &err), Status::kBadArgument);
  EXPECT_NE(std::strstr(err.c_str(), "fmax_hz"), nullptr);
  c = KwsConfig();
  c.window_us = 40000;  // 640 samples > 512
  EXPECT_NE(ValidateConfig(c, nullptr, &err), Status::kOk);
  EXPECT_NE(std::strstr(err.c_str(), "fft_size"), nullptr);
  c = KwsConfig();
  c.log_floor = NAN;
  EXPECT_NE(ValidateConfig(c, nullptr, &err), Status::kOk);
  c = KwsConfig();
  c.normalize = 1;
  EXPECT_NE(ValidateConfig(c, nullptr, &err), Status::kOk);  // no statistics
  FeatureNorm norm;
  norm.count = 10;
  for (int i = 0; i < 10; ++i) norm.std[i] = 1.0f;
  EXPECT_EQ(ValidateConfig(c, &norm, &err), Status::kOk);
  norm.std[3] = 0.0f;
  EXPECT_NE(ValidateConfig(c, &norm, &err), Status::kOk);
  EXPECT_NE(std::strstr(err.c_str(), "feature 3"), nullptr);
}

}  // namespace
}  // namespace mote::micro::dsp
