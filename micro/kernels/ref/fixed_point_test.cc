#include "micro/kernels/ref/fixed_point.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/fixed_point_test_vectors.h"

namespace mote::micro::ref {
namespace {

double FromQ(int32_t raw, int integer_bits) {
  return ldexp(static_cast<double>(raw), integer_bits - 31);
}
int32_t ToQ(double v, int integer_bits) {
  return static_cast<int32_t>(llround(ldexp(v, 31 - integer_bits)));
}

TEST(FixedPoint, MatchesGemmlowpRawWords) {
  for (const auto& c : testdata::kFixedPointRawCases) {
    const int32_t neg = c.a > 0 ? -c.a : c.a;
    const int32_t abs = c.a < 0 ? -c.a : c.a;
    EXPECT_EQ(ExpOnNegativeValues<4>(neg), c.exp_q4) << c.a;
    EXPECT_EQ(ExpOnNegativeValues<5>(neg), c.exp_q5) << c.a;
    EXPECT_EQ(LogisticQ0<4>(c.a), c.logistic_q4) << c.a;
    EXPECT_EQ(TanhQ0<4>(c.a), c.tanh_q4) << c.a;
    EXPECT_EQ(OneOverOnePlusXForXIn01(abs), c.one_over_1px) << c.a;
  }
}

TEST(FixedPoint, SaturatingRoundingMultiplyByPOT) {
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(1 << 28), 1 << 30);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(1 << 29), INT32_MAX);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(-(1 << 29)), INT32_MIN);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(6), 2);    // 1.5 -> 2
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(-6), -2);  // -1.5 -> -2
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(5), 1);
  EXPECT_EQ((RescaleQ<12, 0>(INT32_MAX)), 1 << 19);
}

TEST(FixedPoint, RoundingHalfSumAndClz) {
  EXPECT_EQ(RoundingHalfSum(INT32_MAX, INT32_MAX), INT32_MAX);
  EXPECT_EQ(RoundingHalfSum(1, 2), 2);
  EXPECT_EQ(RoundingHalfSum(-1, -2), -2);
  EXPECT_EQ(CountLeadingZeros32(0), 32);
  EXPECT_EQ(CountLeadingZeros32(1), 31);
  EXPECT_EQ(CountLeadingZeros32(0x80000000u), 0);
}

TEST(FixedPoint, CalculateInputRadius) {
  EXPECT_EQ(CalculateInputRadius(5, 23), 248);
  EXPECT_EQ(CalculateInputRadius(5, 31), 0);
  EXPECT_EQ(CalculateInputRadius(4, 20), 1920);  // 15 * 2^27 / 2^20
  EXPECT_EQ(CalculateInputRadius(4, 40), 0);
}

TEST(FixedPoint, ExpOnNegativeValuesIsAccurate) {
  EXPECT_EQ(ExpOnNegativeValues<5>(0), INT32_MAX);
  for (double x = -31.9; x < 0; x += 0.037) {
    const double got = FromQ(ExpOnNegativeValues<5>(ToQ(x, 5)), 0);
    ASSERT_NEAR(got, exp(x), 2e-9 + 1e-6 * exp(x)) << x;
  }
  for (double x = -15.9; x < 0; x += 0.013) {
    const double got = FromQ(ExpOnNegativeValues<4>(ToQ(x, 4)), 0);
    ASSERT_NEAR(got, exp(x), 2e-9 + 1e-6 * exp(x)) << x;
  }
}

TEST(FixedPoint, ReciprocalLogisticTanhAreAccurate) {
  for (double a = 0.0; a < 1.0; a += 0.001) {
    const double got = FromQ(OneOverOnePlusXForXIn01(ToQ(a, 0)), 0);
    ASSERT_NEAR(got, 1.0 / (1.0 + a), 1e-8) << a;
  }
  for (double x = 1.0; x < 4000.0; x *= 1.37) {
    int bits = 0;
    const int32_t q = ToQ(x, 12);
    const int32_t r = GetReciprocal(q, 12, &bits);
    const double want = 1.0 / FromQ(q, 12);
    ASSERT_NEAR(ldexp(FromQ(r, 0), -bits), want, 1e-8 * want) << x;
  }
  for (double x = -7.99; x < 8.0; x += 0.01) {
    const double l = FromQ(LogisticQ0<4>(ToQ(x, 4)), 0);
    ASSERT_NEAR(l, 1.0 / (1.0 + exp(-x)), 3e-7) << x;
    const double t = FromQ(TanhQ0<4>(ToQ(x, 4)), 0);
    ASSERT_NEAR(t, tanh(x), 3e-7) << x;
  }
  EXPECT_EQ(LogisticQ0<4>(0), 1 << 30);
  EXPECT_EQ(TanhQ0<4>(0), 0);
}

}  // namespace
}  // namespace mote::micro::ref
