#include "micro/dsp/fft.h"

#include <cmath>
#include <complex>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

std::vector<std::complex<double>> NaiveDft(const std::vector<double>& x) {
  const size_t n = x.size();
  std::vector<std::complex<double>> out(n / 2 + 1);
  for (size_t k = 0; k <= n / 2; ++k) {
    std::complex<double> s = 0;
    for (size_t t = 0; t < n; ++t) s += x[t] * std::polar(1.0, -2 * M_PI * double(k * t % n) / n);
    out[k] = s;
  }
  return out;
}

std::complex<double> Bin(const std::vector<double>& packed, size_t n, size_t k) {
  if (k == 0) return packed[0];
  if (k == n / 2) return packed[1];
  return {packed[2 * k], packed[2 * k + 1]};
}

TEST(DspFftTest, FloatMatchesNaiveDft) {
  for (int n = 32; n <= 1024; n *= 2) {
    std::vector<double> x(n);
    std::vector<float> buf(n);
    uint32_t r = 99 + n;
    for (int i = 0; i < n; ++i) {
      r = r * 1664525u + 1013904223u;
      buf[i] = static_cast<float>((r >> 8) * (1.0 / 16777216.0) - 0.5);
      x[i] = buf[i];
    }
    const auto ref = NaiveDft(x);
    RealFftF32(buf.data(), n);
    std::vector<double> packed(buf.begin(), buf.end());
    double err = 0, sig = 0;
    for (int k = 0; k <= n / 2; ++k) {
      err += std::norm(Bin(packed, n, k) - ref[k]);
      sig += std::norm(ref[k]);
    }
    EXPECT_GT(10 * std::log10(sig / err), 120.0) << n;  // float: ~130 dB
  }
}

TEST(DspFftTest, FixedMatchesNaiveDftAtFullScale) {
  for (int n = 32; n <= 1024; n *= 2) {
    const int bits = FftInputBits(n);
    std::vector<double> x(n);
    std::vector<int32_t> buf(n);
    uint32_t r = 7 + n;
    for (int i = 0; i < n; ++i) {
      r = r * 1664525u + 1013904223u;
      buf[i] = std::max(static_cast<int32_t>(r >> (32 - bits - 1)) - (1 << bits),
                        -(1 << bits) + 1);  // |x| < 2^bits
      x[i] = buf[i];
    }
    const auto ref = NaiveDft(x);
    RealFftS32(buf.data(), n);
    std::vector<double> packed(buf.begin(), buf.end());
    for (double& v : packed) v *= n;  // the fixed FFT returns X / n
    double err = 0, sig = 0, worst = 0;
    for (int k = 0; k <= n / 2; ++k) {
      const auto d = Bin(packed, n, k) - ref[k];
      err += std::norm(d);
      sig += std::norm(ref[k]);
      worst = std::max({worst, std::fabs(d.real()), std::fabs(d.imag())});
      EXPECT_LT(std::fabs(Bin(packed, n, k).real()) / n, 1 << 29);
    }
    EXPECT_GT(10 * std::log10(sig / err), 110.0) << n;
    EXPECT_LE(worst / n, 8.0) << n;  // a few LSB of the scaled output
  }
}

TEST(DspFftTest, FixedSurvivesWorstCaseInput) {
  // All samples at the limit, and an alternating sequence (energy at Nyquist).
  for (int n : {32, 512, 1024}) {
    const int32_t a = (1 << FftInputBits(n)) - 1;
    std::vector<int32_t> dc(n, a), alt(n);
    for (int i = 0; i < n; ++i) alt[i] = i % 2 ? -a : a;
    RealFftS32(dc.data(), n);
    RealFftS32(alt.data(), n);
    EXPECT_NEAR(dc[0], a, 8);  // X / n
    EXPECT_NEAR(alt[1], a, 8);
    EXPECT_NEAR(alt[0], 0.0, 8);
  }
}

TEST(DspFftTest, PowerSpectrumInPlace) {
  std::vector<float> buf(64);
  for (int i = 0; i < 64; ++i) buf[i] = std::cos(2 * M_PI * 5 * i / 64) + 0.25f;
  RealFftF32(buf.data(), 64);
  PowerSpectrumF32(buf.data(), 64, buf.data());
  EXPECT_NEAR(buf[0], 16.0 * 16.0, 1e-3);  // DC: 0.25 * 64
  EXPECT_NEAR(buf[5], 32.0 * 32.0, 1e-2);
  for (int k = 1; k <= 32; ++k)
    if (k != 5) EXPECT_LT(buf[k], 1e-6) << k;
}

}  // namespace
}  // namespace mote::micro::dsp
