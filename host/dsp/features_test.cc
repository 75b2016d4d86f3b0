#include "host/dsp/features.h"

#include <cstring>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "host/dsp/biquad_design.h"
#include "host/dsp/config_json.h"
#include "micro/dsp/frontend.h"
#include "micro/dsp/mel.h"

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

std::vector<float> Speechy(size_t n, uint32_t seed) {
  // Harmonics of a gliding 120-220 Hz pitch with a moving formant, plus noise.
  std::vector<float> x(n);
  double phase = 0;
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    const double t = i / 16000.0, f0 = 120 + 100 * t;
    phase += 2 * M_PI * f0 / 16000;
    double v = 0;
    for (int h = 1; h < 30; ++h) {
      const double fh = h * f0, formant = 500 + 1500 * t;
      v += std::sin(h * phase) / (1 + std::pow((fh - formant) / 300, 2)) / h;
    }
    x[i] = static_cast<float>(0.1 * v + 0.003 * ((seed >> 8) / 16777216.0 - 0.5));
  }
  return x;
}

// The sparse device bank equals the host's dense matrix (a separate
// implementation with std:: maths) for every scale / triangle / norm choice.
TEST(HostDspTest, SparseBankEqualsHostDenseMatrix) {
  for (int scale = 0; scale < 2; ++scale)
    for (int tri = 0; tri < 2; ++tri)
      for (int norm = 0; norm < 2; ++norm) {
        FrontEndConfig c = KwsConfig();
        c.mel_scale = static_cast<MelScale>(scale);
        c.mel_triangles = static_cast<MelTriangles>(tri);
        c.mel_norm = static_cast<MelNorm>(norm);
        c.fmin_hz = tri ? 20.0f : 0.0f;
        c.fmax_hz = 7600.0f;
        const Bank b = Build(c);
        const auto dense = host::dsp::MelMatrix(c);
        const int bins = c.fft_size / 2 + 1;
        std::vector<double> got(dense.size(), 0.0);
        size_t pos = 0;
        for (int m = 0; m < c.mel_bands; ++m) {
          EXPECT_GT(b.count[m], 0) << m;
          for (int i = 0; i < b.count[m]; ++i) got[m * bins + b.start[m] + i] = b.w[pos++];
        }
        EXPECT_EQ(pos, b.w.size());
        for (size_t i = 0; i < dense.size(); ++i)
          ASSERT_NEAR(got[i], dense[i], 1e-7 * std::max(1.0, dense[i] * 1e3))
              << scale << tri << norm << " at " << i;
        if (tri == 1) {
          for (int m = 0; m < c.mel_bands; ++m) EXPECT_GE(b.start[m], 1);  // no DC bin
        }
      }
}

// The device float path equals the host double chain (independent FFT, mel
// matrix, DCT) within float rounding, for several configs.
TEST(HostDspTest, DeviceFloatPathMatchesHostChain) {
  std::vector<FrontEndConfig> configs(6, KwsConfig());
  configs[1].feature = FeatureType::kLogMel;
  configs[1].num_mfcc = 0;
  configs[1].mel_scale = MelScale::kSlaney;
  configs[1].mel_norm = MelNorm::kSlaney;
  configs[1].fmax_hz = 8000;
  configs[2].preemphasis = 0.97f;
  configs[2].dc_alpha = 0.995f;
  configs[2].window = WindowType::kHamming;
  configs[3].window_us = 25000;
  configs[3].hop_us = 40000;  // hop > window: gaps between frames
  configs[3].mel_triangles = MelTriangles::kMel;
  configs[4].sample_rate_hz = 8000;
  configs[4].fft_size = 256;
  configs[4].window_us = 32000;
  configs[4].hop_us = 16000;
  configs[4].mel_bands = 20;
  configs[4].num_mfcc = 13;
  configs[5].sample_rate_hz = 22050;  // FFT 1024, 882-sample window, 64 Slaney bands
  configs[5].fft_size = 1024;
  configs[5].window_us = 40000;
  configs[5].hop_us = 10000;
  configs[5].mel_bands = 64;
  configs[5].mel_scale = MelScale::kSlaney;
  configs[5].mel_norm = MelNorm::kSlaney;
  configs[5].fmax_hz = 11025;
  const auto x = Speechy(20000, 1);
  for (size_t ci = 0; ci < configs.size(); ++ci) {
    FrontEndConfig c = configs[ci];
    c.frames = 400;
    const auto host = host::dsp::ComputeFeatures(c, nullptr, x);
    std::vector<uint64_t> scratch(FrontEnd::ScratchBytes(c, FrontEndPath::kFloat) / 8 + 1);
    FrontEnd fe;
    ASSERT_EQ(fe.Init(c, nullptr, FrontEndPath::kFloat, scratch.data(), scratch.size() * 8, nullptr),
              Status::kOk);
    fe.PushSamples(x.data(), x.size());
    ASSERT_EQ(fe.frames_ready(), host.frames) << ci;
    std::vector<float> dev(host.data.size());
    fe.CopyFrames(dev.data());
    double worst = 0;
    for (size_t i = 0; i < dev.size(); ++i)
      worst = std::max(worst, std::fabs(double(dev[i]) - host.data[i]) /
                                  std::max(1.0, std::fabs(double(host.data[i]))));
    EXPECT_LT(worst, 2e-3) << "config " << ci;  // float32 FFT + mel sums vs double
  }
}

TEST(HostDspTest, FitNormGivesZeroMeanUnitStd) {
  FrontEndConfig c = KwsConfig();
  std::vector<host::dsp::Features> set;
  for (uint32_t s = 1; s <= 3; ++s) set.push_back(host::dsp::ComputeFeatures(c, nullptr, Speechy(16000, s)));
  const FeatureNorm n = host::dsp::FitNorm(set);
  ASSERT_EQ(n.count, 10);
  c.normalize = 1;
  std::vector<double> sum(10), sq(10);
  double count = 0;
  for (uint32_t s = 1; s <= 3; ++s) {
    const auto f = host::dsp::ComputeFeatures(c, &n, Speechy(16000, s));
    for (int t = 0; t < f.frames; ++t)
      for (int k = 0; k < 10; ++k) {
        sum[k] += f.data[t * 10 + k];
        sq[k] += f.data[t * 10 + k] * f.data[t * 10 + k];
      }
    count += f.frames;
  }
  for (int k = 0; k < 10; ++k) {
    EXPECT_NEAR(sum[k] / count, 0.0, 1e-4);
    EXPECT_NEAR(sq[k] / count, 1.0, 1e-3);
  }
}

TEST(HostDspTest, ConfigJsonRoundTripAndErrors) {
  FrontEndConfig c = KwsConfig();
  FeatureNorm n;
  host::dsp::ConfigFromJson(nlohmann::json::parse(R"({"feature": "logmel", "mel_bands": 32,
      "mel_scale": "slaney", "mel_norm": "slaney", "window": "hamming", "window_ms": 25,
      "hop_ms": 10, "preemphasis": 0.97})"), &c, &n);
  EXPECT_EQ(c.feature, FeatureType::kLogMel);
  EXPECT_EQ(c.num_mfcc, 0);
  EXPECT_EQ(WindowSamples(c), 400);
  EXPECT_EQ(HopSamples(c), 160);
  FrontEndConfig d = KwsConfig();
  host::dsp::ConfigFromJson(host::dsp::ConfigToJson(c, nullptr), &d, &n);
  EXPECT_TRUE(SameConfig(c, d));
  for (const char* bad : {R"({"fft_size": 500})", R"({"mel_scale": "bark"})", R"({"windw": 1})",
                          R"({"normalize": true})", R"({"fmax_hz": "x"})"}) {
    FrontEndConfig e = KwsConfig();
    EXPECT_THROW(host::dsp::ConfigFromJson(nlohmann::json::parse(bad), &e, &n), std::invalid_argument)
        << bad;
  }
}

TEST(HostDspTest, BiquadDesignGains) {
  using host::dsp::BiquadKind;
  const double fs = 16000;
  const auto lp = host::dsp::DesignBiquad(BiquadKind::kLowPass, fs, 1000, M_SQRT1_2);
  const auto hp = host::dsp::DesignBiquad(BiquadKind::kHighPass, fs, 100, M_SQRT1_2);
  const auto bp = host::dsp::DesignBiquad(BiquadKind::kBandPass, fs, 2000, 2.0);
  EXPECT_NEAR(host::dsp::BiquadGain(lp, fs, 1000), M_SQRT1_2, 1e-4);  // -3 dB at cut-off
  EXPECT_NEAR(host::dsp::BiquadGain(lp, fs, 0), 1.0, 1e-5);
  EXPECT_LT(host::dsp::BiquadGain(lp, fs, 7000), 0.02);
  EXPECT_NEAR(host::dsp::BiquadGain(hp, fs, 100), M_SQRT1_2, 1e-4);
  EXPECT_NEAR(host::dsp::BiquadGain(hp, fs, 8000), 1.0, 1e-5);
  EXPECT_LT(host::dsp::BiquadGain(hp, fs, 10), 0.02);
  EXPECT_NEAR(host::dsp::BiquadGain(bp, fs, 2000), 1.0, 1e-4);  // 0 dB peak
  EXPECT_LT(host::dsp::BiquadGain(bp, fs, 200), 0.1);
  // The designed filter runs on the device in float and Q28 and rejects DC.
  BiquadCoeffsQ28 q;
  ASSERT_TRUE(ToQ28(hp, &q));
  BiquadS16 f;
  f.Init(q);
  std::vector<int16_t> dc(4000, 10000), out(4000);
  f.Process(dc.data(), out.data(), dc.size());
  EXPECT_LE(std::abs(out.back()), 2);
  EXPECT_THROW(host::dsp::DesignBiquad(BiquadKind::kLowPass, fs, 9000, 0.7), std::invalid_argument);
  EXPECT_THROW(host::dsp::DesignBiquad(BiquadKind::kLowPass, fs, 100, 0), std::invalid_argument);
}

}  // namespace
}  // namespace mote::micro::dsp
