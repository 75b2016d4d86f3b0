#include "micro/dsp/filters.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

std::vector<int16_t> Noise(size_t n, uint32_t seed, int amp) {
  std::vector<int16_t> x(n);
  for (auto& v : x) {
    seed = seed * 1103515245u + 12345u;
    v = static_cast<int16_t>(static_cast<int>((seed >> 16) % (2 * amp + 1)) - amp);
  }
  return x;
}

TEST(DspFiltersTest, DcBlockerAndPreEmphasisMatchDifferenceEquations) {
  const auto x = Noise(2000, 7, 12000);
  std::vector<int16_t> dc_s(x.size());
  std::vector<int32_t> pre_s(x.size());
  std::vector<float> xf(x.size()), dc_f(x.size()), pre_f(x.size());
  for (size_t i = 0; i < x.size(); ++i) xf[i] = x[i] / 32768.0f;
  DcBlockerS16 ds; ds.Init(32604);   // 0.995 in Q15 (rounded)
  DcBlockerF32 df; df.Init(32604 / 32768.0f);
  PreEmphasisS16 ps; ps.Init(31785);  // 0.97
  PreEmphasisF32 pf; pf.Init(31785 / 32768.0f);
  ds.Process(x.data(), dc_s.data(), 700);  // in two chunks: state carries over
  ds.Process(x.data() + 700, dc_s.data() + 700, x.size() - 700);
  df.Process(xf.data(), dc_f.data(), x.size());
  ps.Process(x.data(), pre_s.data(), x.size());
  pf.Process(xf.data(), pre_f.data(), x.size());
  const double a = 32604 / 32768.0, p = 31785 / 32768.0;
  double x1 = 0, y1 = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double y = x[i] - x1 + a * y1;
    const double e = x[i] - p * (i ? x[i - 1] : 0);
    x1 = x[i];
    y1 = y;
    EXPECT_NEAR(dc_s[i], y, 1.0) << i;
    EXPECT_NEAR(dc_f[i] * 32768.0, y, 0.05) << i;
    EXPECT_EQ(pre_s[i], static_cast<int32_t>(x[i]) * 32768 - 31785 * (i ? x[i - 1] : 0)) << i;
    EXPECT_NEAR(pre_f[i] * 32768.0, e, 0.01) << i;
  }
}

TEST(DspFiltersTest, BiquadMatchesDoubleDifferenceEquation) {
  // A resonant low-pass (f0 = 1 kHz at 16 kHz, Q = 2), coefficients written out.
  const double w0 = 2 * M_PI * 1000 / 16000, al = std::sin(w0) / 4, cw = std::cos(w0);
  const double a0 = 1 + al;
  const double b[3] = {(1 - cw) / 2 / a0, (1 - cw) / a0, (1 - cw) / 2 / a0};
  const double a[2] = {-2 * cw / a0, (1 - al) / a0};
  BiquadCoeffs c;
  c.b0 = static_cast<float>(b[0]); c.b1 = static_cast<float>(b[1]); c.b2 = static_cast<float>(b[2]);
  c.a1 = static_cast<float>(a[0]); c.a2 = static_cast<float>(a[1]);
  BiquadCoeffsQ28 q;
  ASSERT_TRUE(ToQ28(c, &q));
  const auto x = Noise(4000, 3, 8000);
  std::vector<float> xf(x.size()), yf(x.size());
  std::vector<int16_t> ys(x.size());
  for (size_t i = 0; i < x.size(); ++i) xf[i] = x[i] / 32768.0f;
  BiquadF32 bf; bf.Init(c);
  BiquadS16 bs; bs.Init(q);
  bf.Process(xf.data(), yf.data(), x.size());
  bs.Process(x.data(), ys.data(), 1234);
  bs.Process(x.data() + 1234, ys.data() + 1234, x.size() - 1234);
  // Reference in double with the same (float-rounded) coefficients.
  const double cb0 = c.b0, cb1 = c.b1, cb2 = c.b2, ca1 = c.a1, ca2 = c.a2;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0, worst_s = 0, worst_f = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double y = cb0 * x[i] + cb1 * x1 + cb2 * x2 - ca1 * y1 - ca2 * y2;
    x2 = x1; x1 = x[i]; y2 = y1; y1 = y;
    y = std::max(-32768.0, std::min(32767.0, y));
    worst_s = std::max(worst_s, std::fabs(ys[i] - y));
    worst_f = std::max(worst_f, std::fabs(yf[i] * 32768.0 - y));
  }
  EXPECT_LE(worst_s, 1.0);   // Q28 coefficients, Q12 state: within 1 LSB
  EXPECT_LE(worst_f, 0.05);
}

TEST(DspFiltersTest, ToQ28RejectsOutOfRange) {
  BiquadCoeffsQ28 q;
  BiquadCoeffs c;
  c.a1 = 8.5f;
  EXPECT_FALSE(ToQ28(c, &q));
  c.a1 = NAN;
  EXPECT_FALSE(ToQ28(c, &q));
  c.a1 = -1.5f;
  ASSERT_TRUE(ToQ28(c, &q));
  EXPECT_EQ(q.a1, -1.5 * (1 << 28));
  EXPECT_EQ(q.b0, 1 << 28);
}

TEST(DspFiltersTest, BiquadS16Saturates) {
  BiquadCoeffs c;
  c.b0 = 4.0f;  // gain 4
  BiquadCoeffsQ28 q;
  ASSERT_TRUE(ToQ28(c, &q));
  BiquadS16 f; f.Init(q);
  int16_t x[3] = {20000, -20000, 100}, y[3];
  f.Process(x, y, 3);
  EXPECT_EQ(y[0], 32767);
  EXPECT_EQ(y[1], -32768);
  EXPECT_EQ(y[2], 400);
}

}  // namespace
}  // namespace mote::micro::dsp
