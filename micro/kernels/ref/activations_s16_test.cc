// 16x8 LOGISTIC / TANH / SOFTMAX against double-precision maths (within the
// documented table interpolation error) plus exact structural properties.
// TFLM byte-exactness is checked by tests/oracle/int16_diff.py.
#include "micro/kernels/ref/activations_s16.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

namespace mote::micro::ref {
namespace {

TEST(SigmoidTableS16, CloseToSigmoidAndMonotonic) {
  for (int i = 0; i < 256; ++i) {
    const double want = 65536.0 / (1.0 + exp(-i / 24.0));
    EXPECT_NEAR(kSigmoidTableU16[i], want, 2.0) << "entry " << i;
    if (i > 0) {
      EXPECT_GE(kSigmoidTableU16[i], kSigmoidTableU16[i - 1]) << "entry " << i;
    }
  }
  EXPECT_EQ(kSigmoidTableU16[0], 32768);
}

TEST(SigmoidPrepareS16, PowerOfTwoAndGeneralScales) {
  SigmoidParamsS16 p;
  // 2^-12: Q3.12, the power-of-two case: x * 3, no shift.
  ASSERT_TRUE(LogisticPrepareS16(1.0f / 4096, &p));
  EXPECT_EQ(p.input_multiplier, 3);
  EXPECT_EQ(p.input_right_shift, 0);
  // TANH also takes 2^-11 as power of two (3 << 1).
  ASSERT_TRUE(TanhPrepareS16(1.0f / 2048, &p));
  EXPECT_EQ(p.input_multiplier, 6);
  EXPECT_EQ(p.input_right_shift, 0);
  // General scale: multiplier in (16383.5, 32767], scale*12288 = m / 2^shift.
  ASSERT_TRUE(LogisticPrepareS16(0.001f, &p));
  EXPECT_GE(p.input_multiplier, 16384);
  EXPECT_LE(p.input_multiplier, 32767);
  EXPECT_NEAR(p.input_multiplier / ldexp(1.0, p.input_right_shift), 0.001 * 12288, 1e-3);
  EXPECT_FALSE(LogisticPrepareS16(3.0f, &p));  // multiplier would exceed 32767
  EXPECT_FALSE(LogisticPrepareS16(0.0f, &p));
  EXPECT_FALSE(TanhPrepareS16(-1.0f, &p));
  EXPECT_FALSE(TanhPrepareS16(NAN, &p));
}

// Every int16 input: |out - 32768 f(x)| within tolerance, out monotonic
// (run in blocks of 1024 to keep the firmware build's RAM small).
template <typename Run>
void CheckAllInputs(float scale, double (*f)(double), int tol, Run run) {
  int16_t in[1024], out[1024];
  int worst = 0, prev = -32769;
  for (int base = -32768; base < 32768; base += 1024) {
    for (int i = 0; i < 1024; ++i) in[i] = static_cast<int16_t>(base + i);
    run(in, out);
    for (int i = 0; i < 1024; ++i) {
      const double want = 32768.0 * f(in[i] * static_cast<double>(scale));
      const int err = static_cast<int>(fabs(out[i] - want) + 0.5);
      if (err > worst) worst = err;
      ASSERT_GE(out[i], prev) << "input " << in[i];
      prev = out[i];
    }
  }
  EXPECT_LE(worst, tol) << "scale " << scale;
}

double Sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
double Tanh(double x) { return tanh(x); }

TEST(LogisticS16, CloseToSigmoidOnEveryInput) {
  const float scales[] = {1.0f / 4096, 0.0005f, 0.00031f, 1.0f / 32768};
  for (float scale : scales) {
    SigmoidParamsS16 p;
    ASSERT_TRUE(LogisticPrepareS16(scale, &p));
    CheckAllInputs(scale, Sigmoid, 3, [&p](const int16_t* in, int16_t* out) {
      LogisticS16(p, 1024, in, out);
    });
  }
}

TEST(LogisticS16, ZeroHalfAndSaturation) {
  SigmoidParamsS16 p;
  ASSERT_TRUE(LogisticPrepareS16(0.001f, &p));
  const int16_t in[4] = {0, 32767, -32768, 0};
  int16_t out[4];
  LogisticS16(p, 4, in, out);
  EXPECT_EQ(out[0], 16384);   // 1/2
  EXPECT_EQ(out[1], 32767);   // sigmoid(32.8) rounds to 1, saturated
  EXPECT_LE(out[2], 1);       // sigmoid(-32.8) ~ 0
  EXPECT_GE(out[2], 0);
}

TEST(TanhS16, CloseToTanhOnEveryInput) {
  const float scales[] = {1.0f / 4096, 1.0f / 2048, 0.0002f, 0.00013f};
  for (float scale : scales) {
    SigmoidParamsS16 p;
    ASSERT_TRUE(TanhPrepareS16(scale, &p));
    CheckAllInputs(scale, Tanh, 4, [&p](const int16_t* in, int16_t* out) {
      TanhS16(p, 1024, in, out);
    });
  }
}

TEST(TanhS16, OddAndSaturated) {
  SigmoidParamsS16 p;
  ASSERT_TRUE(TanhPrepareS16(0.001f, &p));
  int16_t in[3] = {0, 32767, -32767}, out[3];
  TanhS16(p, 3, in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 32767);
  EXPECT_EQ(out[2], -32767);
  for (int v = 1; v < 32768; v += 97) {
    int16_t x[2] = {static_cast<int16_t>(v), static_cast<int16_t>(-v)}, y[2];
    TanhS16(p, 2, x, y);
    EXPECT_NEAR(y[0] + y[1], 0, 1) << "input " << v;  // tanh(-x) = -tanh(x)
  }
}

TEST(LookupS16, LinearTableInterpolatesExactly) {
  int16_t lut[kLutS16Entries];
  for (int i = 0; i < kLutS16Entries; ++i) lut[i] = static_cast<int16_t>((i - 256) * 64);
  // A table of v/2 at every 128th v: interpolation gives floor((v + 1) / 2).
  for (int v = -32768; v < 32768; ++v) {
    const int want = static_cast<int>(floor((v + 1) / 2.0));
    ASSERT_EQ(LookupS16(static_cast<int16_t>(v), lut), want) << "value " << v;
  }
}

TEST(SoftmaxS16, CloseToSoftmax) {
  static int16_t exp_lut[kLutS16Entries], recip_lut[kLutS16Entries];
  SoftmaxParamsS16 p;
  const float scale = 8.0f / 32768;  // inputs in [-8, 8)
  ASSERT_TRUE(SoftmaxPrepareS16(scale, 1.0f, exp_lut, recip_lut, &p));
  // The tables: exp(-10 + 10 i / 512) and 1 / (1 + i / 512) in Q0.15 (+-2).
  for (int i = 0; i < kLutS16Entries; ++i) {
    EXPECT_NEAR(exp_lut[i], fmin(32767.0, 32768.0 * exp(-10.0 + 10.0 * i / 512)), 2.0);
    EXPECT_NEAR(recip_lut[i], fmin(32767.0, 32768.0 / (1.0 + i / 512.0)), 2.0);
  }
  constexpr int kDepth = 23;
  int16_t in[2 * kDepth], out[2 * kDepth];
  uint32_t s = 12345;
  for (int i = 0; i < 2 * kDepth; ++i) {
    s = s * 1664525u + 1013904223u;
    in[i] = static_cast<int16_t>(s >> 16);
  }
  SoftmaxS16(p, 2, kDepth, in, out);
  for (int r = 0; r < 2; ++r) {
    double mx = -1e9, sum = 0;
    for (int c = 0; c < kDepth; ++c) mx = fmax(mx, in[r * kDepth + c] * double{scale});
    for (int c = 0; c < kDepth; ++c) sum += exp(in[r * kDepth + c] * double{scale} - mx);
    for (int c = 0; c < kDepth; ++c) {
      const double want = 32768.0 * exp(in[r * kDepth + c] * double{scale} - mx) / sum;
      EXPECT_NEAR(out[r * kDepth + c], want, 40.0) << "row " << r << " class " << c;
      EXPECT_GE(out[r * kDepth + c], 0);
    }
  }
}

TEST(SoftmaxS16, UniformRowAndRangeChecks) {
  static int16_t exp_lut[kLutS16Entries], recip_lut[kLutS16Entries];
  SoftmaxParamsS16 p;
  ASSERT_TRUE(SoftmaxPrepareS16(0.001f, 1.0f, exp_lut, recip_lut, &p));
  int16_t in[4] = {-500, -500, -500, -500}, out[4];
  SoftmaxS16(p, 1, 4, in, out);
  for (int c = 0; c < 4; ++c) EXPECT_NEAR(out[c], 8192, 8);
  int16_t one = 7, one_out = 0;
  SoftmaxS16(p, 1, 1, &one, &one_out);
  EXPECT_NEAR(one_out, 32767, 8);
  EXPECT_FALSE(SoftmaxPrepareS16(0.0f, 1.0f, exp_lut, recip_lut, &p));
  EXPECT_FALSE(SoftmaxPrepareS16(1.0f, 1.0e6f, exp_lut, recip_lut, &p));
}

}  // namespace
}  // namespace mote::micro::ref
