// host/io/resample: length, tone frequency and amplitude preserved in the
// passband, content above the new Nyquist suppressed (aliasing), DC kept.
#include "host/io/resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace mote::host {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> Tone(double freq, int rate, size_t n, double amp = 0.5) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2 * kPi * freq * i / rate));
  return x;
}

// Amplitude of the component at `freq` (least squares on sin and cos) over the
// middle half of y, and the RMS of what is left.
void Fit(const std::vector<float>& y, double freq, int rate, double* amp, double* residual) {
  const size_t a = y.size() / 4, b = 3 * y.size() / 4;
  double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
  for (size_t i = a; i < b; ++i) {
    const double s = std::sin(2 * kPi * freq * i / rate), c = std::cos(2 * kPi * freq * i / rate);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y[i] * s;
    yc += y[i] * c;
  }
  const double det = ss * cc - sc * sc;
  const double ks = (ys * cc - yc * sc) / det, kc = (yc * ss - ys * sc) / det;
  *amp = std::hypot(ks, kc);
  double r = 0;
  for (size_t i = a; i < b; ++i) {
    const double e = y[i] - ks * std::sin(2 * kPi * freq * i / rate) - kc * std::cos(2 * kPi * freq * i / rate);
    r += e * e;
  }
  *residual = std::sqrt(r / static_cast<double>(b - a));
}

double RmsMiddle(const std::vector<float>& y) {
  double s = 0;
  const size_t a = y.size() / 4, b = 3 * y.size() / 4;
  for (size_t i = a; i < b; ++i) s += static_cast<double>(y[i]) * y[i];
  return std::sqrt(s / static_cast<double>(b - a));
}

TEST(Resample, LengthIsCeilOfRatio) {
  EXPECT_EQ(ResampledLength(44100, 44100, 16000), 16000u);
  EXPECT_EQ(ResampledLength(22050, 22050, 16000), 16000u);
  EXPECT_EQ(ResampledLength(1, 22050, 16000), 1u);
  EXPECT_EQ(ResampledLength(100, 22050, 16000), 73u);  // 72.56 -> 73
  EXPECT_EQ(ResampledLength(100, 8000, 16000), 200u);
  EXPECT_EQ(Resample(std::vector<float>(100, 0.1f), 22050, 16000).size(), 73u);
  EXPECT_EQ(Resample({}, 22050, 16000).size(), 0u);
}

TEST(Resample, PassbandToneKeepsFrequencyAndAmplitude) {
  struct Case { int from, to; double freq; };
  for (const Case c : {Case{44100, 16000, 1000}, Case{22050, 16000, 440}, Case{22050, 16000, 6000},
                       Case{48000, 16000, 3000}, Case{8000, 16000, 2500}, Case{16000, 22050, 6000}}) {
    const auto y = Resample(Tone(c.freq, c.from, static_cast<size_t>(c.from)), c.from, c.to);
    double amp, residual;
    Fit(y, c.freq, c.to, &amp, &residual);
    // 0.01 dB of 0.5 is 0.000576.
    EXPECT_NEAR(amp, 0.5, 0.0006) << c.from << "->" << c.to << " at " << c.freq << " Hz";
    EXPECT_LT(residual, 1e-3) << c.from << "->" << c.to << " at " << c.freq << " Hz";
  }
}

TEST(Resample, ContentAboveTheNewNyquistIsSuppressed) {
  // 44.1 kHz -> 16 kHz: 9, 12 and 20 kHz would alias to 7, 4 and 4 kHz.
  for (double f : {9000.0, 12000.0, 20000.0}) {
    const auto y = Resample(Tone(f, 44100, 44100), 44100, 16000);
    EXPECT_LT(RmsMiddle(y), 0.5 / std::sqrt(2.0) * 1e-3) << f << " Hz";  // < -60 dB
  }
  // 22050 -> 16000 (espeak-ng's rate to the model's): 10 kHz aliases to 6 kHz.
  const auto y = Resample(Tone(10000, 22050, 22050), 22050, 16000);
  EXPECT_LT(RmsMiddle(y), 0.5 / std::sqrt(2.0) * 1e-3);
}

TEST(Resample, DcIsKeptAndSameRateCopies) {
  const auto y = Resample(std::vector<float>(22050, 0.25f), 22050, 16000);
  for (size_t i = 1000; i < y.size() - 1000; ++i) ASSERT_NEAR(y[i], 0.25f, 1e-5f) << i;
  const std::vector<float> x = {1, 2, 3};
  EXPECT_EQ(Resample(x, 16000, 16000), x);
}

TEST(Resample, OddRatesUseTheDirectPathAndStillWork) {
  // 16001 / 16000 share no factor: 16000 phases, computed per output sample.
  const auto y = Resample(Tone(1000, 16001, 8000), 16001, 16000);
  double amp, residual;
  Fit(y, 1000, 16000, &amp, &residual);
  EXPECT_NEAR(amp, 0.5, 0.0006);
  EXPECT_LT(residual, 1e-3);
}

TEST(Resample, BadRatesThrow) {
  EXPECT_THROW(Resample({1.0f}, 0, 16000), std::invalid_argument);
  EXPECT_THROW(Resample({1.0f}, 16000, -1), std::invalid_argument);
}

}  // namespace
}  // namespace mote::host
