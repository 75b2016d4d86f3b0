#include "micro/dsp/mel.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

struct Bank {
  std::vector<uint16_t> start, count;
  std::vector<float> w;
};
Bank Build(const FrontEndConfig& c) {
  Bank b;
  b.start.resize(c.mel_bands);
  b.count.resize(c.mel_bands);
  b.w.resize(MelWeightCount(c));
  BuildMelBankF32(c, b.start.data(), b.count.data(), b.w.data());
  return b;
}

TEST(DspMelTest, ScalesAtKnownPoints) {
  EXPECT_NEAR(HzToMel(MelScale::kHtk, 700.0), 2595.0 * std::log10(2.0), 1e-9);
  EXPECT_NEAR(HzToMel(MelScale::kSlaney, 1000.0), 15.0, 1e-12);
  EXPECT_NEAR(HzToMel(MelScale::kSlaney, 6400.0), 42.0, 1e-9);  // 15 + 27 steps of ln(6.4)/27
  EXPECT_NEAR(HzToMel(MelScale::kSlaney, 500.0), 7.5, 1e-12);
  for (double f : {0.0, 123.0, 999.0, 1000.0, 4000.0, 7999.0}) {
    EXPECT_NEAR(MelToHz(MelScale::kHtk, HzToMel(MelScale::kHtk, f)), f, 1e-9);
    EXPECT_NEAR(MelToHz(MelScale::kSlaney, HzToMel(MelScale::kSlaney, f)), f, 1e-9);
  }
}

TEST(DspMelTest, PeakOneAndSlaneyArea) {
  FrontEndConfig c = KwsConfig();
  c.fft_size = 1024;
  c.mel_bands = 20;
  c.fmax_hz = 8000.0f;
  Bank b = Build(c);
  size_t pos = 0;
  for (int m = 0; m < c.mel_bands; ++m) {
    float peak = 0;
    for (int i = 0; i < b.count[m]; ++i) peak = std::max(peak, b.w[pos++]);
    EXPECT_LE(peak, 1.0f);
    EXPECT_GT(peak, 0.5f);
  }
  c.mel_norm = MelNorm::kSlaney;
  b = Build(c);
  const double df = 16000.0 / 1024;
  pos = 0;
  for (int m = 0; m < c.mel_bands; ++m) {
    double area = 0;
    for (int i = 0; i < b.count[m]; ++i) area += b.w[pos++] * df;
    EXPECT_NEAR(area, 1.0, 0.1) << m;  // triangle of height 2/bw: area 1
  }
}

TEST(DspMelTest, FixedBankMatchesFloat) {
  FrontEndConfig c = KwsConfig();
  c.mel_norm = MelNorm::kSlaney;
  const Bank b = Build(c);
  std::vector<uint16_t> s(c.mel_bands), n(c.mel_bands);
  std::vector<int16_t> w(b.w.size());
  std::vector<int32_t> ln_scale(c.mel_bands);
  BuildMelBankQ15(c, s.data(), n.data(), w.data(), ln_scale.data());
  EXPECT_EQ(s, b.start);
  EXPECT_EQ(n, b.count);
  size_t pos = 0;
  for (int m = 0; m < c.mel_bands; ++m) {
    const double scale = std::exp(ln_scale[m] / 65536.0);
    for (int i = 0; i < n[m]; ++i, ++pos)
      EXPECT_NEAR(w[pos] / 32768.0 * scale, b.w[pos], scale * 1.0 / 32768 + 1e-4 * b.w[pos]);
  }
}

}  // namespace
}  // namespace mote::micro::dsp
