#include "micro/dsp/timeseries.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

TEST(DspTimeSeriesTest, MovingNormMatchesRecurrence) {
  MovingNormF32 n;
  n.Init(0.05f);
  double m = 0, v = 0;
  for (int i = 0; i < 500; ++i) {
    const double x = 3.0 + std::sin(0.1 * i) + (i > 250 ? 5.0 : 0.0);
    const float y = n.Process(static_cast<float>(x));
    if (i == 0) {
      m = x;
    } else {
      const double d = x - m;
      m += 0.05 * d;
      v = 0.95 * (v + 0.05 * d * d);
    }
    EXPECT_NEAR(n.mean(), m, 1e-4);
    EXPECT_NEAR(n.variance(), v, 1e-4 + 1e-4 * v);
    EXPECT_NEAR(y, (x - m) / std::sqrt(v + 1e-6), 1e-3 * std::max(1.0, std::fabs(double(y))));
  }
  for (float x : {1e-6f, 0.5f, 2.0f, 1e6f}) EXPECT_NEAR(InvSqrtF(x), 1 / std::sqrt(x), 1e-6 / std::sqrt(x));
}

TEST(DspTimeSeriesTest, SlidingWindowWithHop) {
  for (int hop : {1, 3, 8, 11}) {
    int16_t buf[8 * 2];
    SlidingWindow<int16_t> w;
    w.Init(buf, 8, hop, 2);
    int windows = 0;
    for (int t = 0; t < 100; ++t) {
      const int16_t s[2] = {static_cast<int16_t>(t), static_cast<int16_t>(-t)};
      if (w.Push(s)) {
        const int start = windows * hop;  // window k covers [k hop, k hop + 8)
        for (int i = 0; i < 8; ++i) {
          ASSERT_EQ(w.data()[2 * i], start + i) << hop;
          ASSERT_EQ(w.data()[2 * i + 1], -(start + i));
        }
        EXPECT_EQ(t, start + 7);
        ++windows;
      }
    }
    EXPECT_EQ(windows, (100 - 8) / hop + 1) << hop;
  }
}

TEST(DspTimeSeriesTest, ClampCountsSaturatedAndNan) {
  int16_t s[6] = {0, 32767, -32768, 100, -100, 32000};
  EXPECT_EQ(ClampSamplesS16(s, 6, -32000, 32000), 3u);
  EXPECT_EQ(s[1], 32000);
  EXPECT_EQ(s[2], -32000);
  EXPECT_EQ(s[3], 100);
  float f[4] = {0.5f, NAN, 2.0f, -0.25f};
  EXPECT_EQ(ClampSamplesF32(f, 4, -1.0f, 1.0f), 2u);
  EXPECT_EQ(f[1], 0.0f);
  EXPECT_EQ(f[2], 1.0f);
  EXPECT_EQ(f[3], -0.25f);
}

}  // namespace
}  // namespace mote::micro::dsp
