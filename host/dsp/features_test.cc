#include "host/dsp/features.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "micro/dsp/frontend.h"
#include "micro/dsp/mel.h"

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

}  // namespace
}  // namespace mote::micro::dsp
