#include "micro/dsp/dsp_math.h"

#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

TEST(DspMathTest, DoubleFunctionsMatchLibm) {
  for (double x = -20.0; x <= 20.0; x += 0.0137) {
    EXPECT_NEAR(SinD(x), std::sin(x), 1e-14) << x;
    EXPECT_NEAR(CosD(x), std::cos(x), 1e-14) << x;
    EXPECT_NEAR(ExpD(x), std::exp(x), 1e-14 * std::exp(x)) << x;
  }
  for (double x = 1e-12; x < 1e12; x *= 1.37) {
    EXPECT_NEAR(LogD(x), std::log(x), 1e-14 * std::max(1.0, std::fabs(std::log(x)))) << x;
    EXPECT_NEAR(SqrtD(x), std::sqrt(x), 1e-15 * std::sqrt(x)) << x;
  }
}

TEST(DspMathTest, LogFRelativeErrorBound) {
  double worst = 0;
  for (float x = 1e-30f; x < 1e30f; x *= 1.0173f) {
    const double ref = std::log(static_cast<double>(x));
    worst = std::max(worst, std::fabs(LogF(x) - ref) / std::max(1.0, std::fabs(ref)));
  }
  EXPECT_LT(worst, 3e-7);
  EXPECT_NEAR(LogF(1e-40f), std::log(1e-40), 1e-4);  // subnormal input
  EXPECT_FLOAT_EQ(LogF(1.0f), 0.0f);
}

TEST(DspMathTest, Log2Q16WithinBound) {
  uint64_t x = 1;
  double worst = 0;
  uint32_t r = 1;
  for (int i = 0; i < 200000; ++i) {
    r = r * 1664525u + 1013904223u;
    x = (static_cast<uint64_t>(r) << (i % 32)) | 1u;
    const double ref = std::log2(static_cast<double>(x)) * 65536.0;
    worst = std::max(worst, std::fabs(Log2Q16(x) - ref));
  }
  EXPECT_LT(worst / 65536.0, 6e-5);  // documented bound (log2 units)
  EXPECT_EQ(Log2Q16(1), 0);
  EXPECT_EQ(Log2Q16(uint64_t{1} << 40), 40 * 65536);
  EXPECT_EQ(Log2Q16(~uint64_t{0}), 64 * 65536);  // rounds up to the top of the range
}

TEST(DspMathTest, TwiddlesWithinOneLsb) {
  for (uint32_t j = 0; j < 1024; ++j) {
    int32_t c, s;
    CosSinQ30(j, &c, &s);
    const double a = 2 * M_PI * j / 1024;
    EXPECT_LE(std::fabs(c - std::cos(a) * 1073741824.0), 0.5 + 1e-6) << j;
    EXPECT_LE(std::fabs(s + std::sin(a) * 1073741824.0), 0.5 + 1e-6) << j;
  }
}

// The CLZ form against the definition (smallest n with x < 2^n) at every
// power of two and its neighbours.
TEST(DspMathTest, BitLengthAtEveryPowerOfTwo) {
  for (int k = 0; k < 64; ++k) {
    const uint64_t p = uint64_t{1} << k;
    EXPECT_EQ(BitLength64(p), k + 1);
    EXPECT_EQ(BitLength64(p - 1), k);
    if (k < 63) EXPECT_EQ(BitLength64(p + 1), k == 0 ? 2 : k + 1);
    EXPECT_EQ(BitLength64(p | (p - 1)), k + 1);
  }
  EXPECT_EQ(BitLength64(~uint64_t{0}), 64);
}

TEST(DspMathTest, BitLengthAndFinite) {
  EXPECT_EQ(BitLength64(0), 0);
  EXPECT_EQ(BitLength64(1), 1);
  EXPECT_EQ(BitLength64(255), 8);
  EXPECT_EQ(BitLength64(uint64_t{1} << 63), 64);
  EXPECT_TRUE(IsFiniteF(1.0f));
  EXPECT_FALSE(IsFiniteF(NAN));
  EXPECT_FALSE(IsFiniteF(INFINITY));
}

}  // namespace
}  // namespace mote::micro::dsp
