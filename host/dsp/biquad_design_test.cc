#include "host/dsp/biquad_design.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

TEST(HostBiquadDesignTest, BiquadDesignGains) {
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
