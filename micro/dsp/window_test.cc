#include "micro/dsp/window.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

TEST(DspWindowTest, PeriodicHannAndHamming) {
  for (int len : {16, 400, 480, 512}) {
    std::vector<float> h(len), m(len);
    std::vector<int16_t> hq(len);
    FillWindowF32(WindowType::kHann, len, h.data());
    FillWindowF32(WindowType::kHamming, len, m.data());
    FillWindowQ15(WindowType::kHann, len, hq.data());
    for (int n = 0; n < len; ++n) {
      const double c = std::cos(2 * M_PI * n / len);
      EXPECT_NEAR(h[n], 0.5 - 0.5 * c, 1e-7);
      EXPECT_NEAR(m[n], 0.54 - 0.46 * c, 1e-7);
      EXPECT_LE(std::fabs(hq[n] - std::min(32767.0, (0.5 - 0.5 * c) * 32768)), 0.5 + 1e-9);
    }
    // Periodic (DFT-even): w[0] = 0, peak 1 at L/2, symmetric about L/2.
    EXPECT_EQ(h[0], 0.0f);
    EXPECT_NEAR(h[len / 2], 1.0f, 1e-7);
    EXPECT_EQ(hq[len / 2], 32767);
    for (int n = 1; n < len / 2; ++n) EXPECT_NEAR(h[n], h[len - n], 1e-7);
  }
  float r[4];
  FillWindowF32(WindowType::kRectangular, 4, r);
  for (float v : r) EXPECT_EQ(v, 1.0f);
}

}  // namespace
}  // namespace mote::micro::dsp
