// 16x8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED against a plain
// reference written here (int64 sums, double requantization), plus the int64
// requantization's rounding and saturation. TFLM byte-exactness is checked by
// tests/oracle/int16_diff.py.
#include "micro/kernels/ref/conv_s16.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/fully_connected_s16.h"
#include "micro/kernels/test_rand.h"

namespace mote::micro::ref {
namespace {

uint32_t g_seed = 1;
int Rand(int lo, int hi) { return RandIn(&g_seed, lo, hi); }

TEST(MultiplyByQuantizedMultiplier64, CloseToRealProduct) {
  const double reals[] = {0.75, 1.0 / 3, 0.0123, 3.5e-5, 1.0, 100.0};
  for (double real : reals) {
    int32_t m;
    int shift;
    QuantizeMultiplier(real, &m, &shift);
    ASSERT_LE(shift, 7);
    for (int i = 0; i < 200; ++i) {
      // x such that x * real is about a random int in [-2^30, 2^30].
      const int64_t x = static_cast<int64_t>(Rand(-(1 << 30), 1 << 30) / real);
      const double want = static_cast<double>(x) * real;
      // The Q15 multiplier carries a relative error up to 2^-16.
      EXPECT_NEAR(MultiplyByQuantizedMultiplier64(x, m, shift), want,
                  1.0 + fabs(want) * ldexp(1.0, -15)) << "real " << real << " x " << x;
    }
  }
}

TEST(MultiplyByQuantizedMultiplier64, EdgeCases) {
  // A multiplier above 0x7FFF0000 saturates to Q15 0x7FFF (not 0x8000).
  EXPECT_EQ(MultiplyByQuantizedMultiplier64(1 << 20, INT32_MAX, 0), 32 * 32767);
  // Ties round up (towards +infinity): 3 * 2^30 / 2^31 = 1.5 -> 2, -1.5 -> -1.
  EXPECT_EQ(MultiplyByQuantizedMultiplier64(3, 1 << 30, 0), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier64(-3, 1 << 30, 0), -1);
  // Shift 7 and -31 (the documented range ends).
  EXPECT_EQ(MultiplyByQuantizedMultiplier64(1000, 1 << 30, 7), 64000);
  EXPECT_EQ(MultiplyByQuantizedMultiplier64(int64_t{1} << 46, 1 << 30, -31), 16384);
}

// Plain 16x8 conv: double requantization of an exact int64 sum.
void NaiveConv(const ConvParams& p, const double* real, const Shape4& is, const int16_t* in,
               const Shape4& fs, const int8_t* f, const int64_t* bias, const Shape4& os,
               double* out, bool depthwise) {
  for (int b = 0; b < os.n; ++b)
    for (int oy = 0; oy < os.h; ++oy)
      for (int ox = 0; ox < os.w; ++ox)
        for (int oc = 0; oc < os.c; ++oc) {
          int64_t acc = bias ? bias[oc] : 0;
          for (int ky = 0; ky < fs.h; ++ky)
            for (int kx = 0; kx < fs.w; ++kx) {
              const int iy = oy * p.stride_h - p.pad_h + ky * p.dilation_h;
              const int ix = ox * p.stride_w - p.pad_w + kx * p.dilation_w;
              if (iy < 0 || ix < 0 || iy >= is.h || ix >= is.w) continue;
              if (depthwise) {
                acc += f[fs.Offset(0, ky, kx, oc)] *
                       int64_t{in[is.Offset(b, iy, ix, oc / p.depth_multiplier)]};
              } else {
                for (int ic = 0; ic < fs.c; ++ic)
                  acc += f[fs.Offset(oc, ky, kx, ic)] * int64_t{in[is.Offset(b, iy, ix, ic)]};
              }
            }
          out[os.Offset(b, oy, ox, oc)] = fmin(32767, fmax(-32768, acc * real[oc]));
        }
}

void CheckConv(bool depthwise, bool bias32) {
  ConvParams p;
  p.stride_h = 2;
  p.stride_w = 1;
  p.pad_h = 1;
  p.pad_w = 1;
  p.act_min = -32768;
  p.act_max = 32767;
  const Shape4 is{1, 7, 6, 3};
  const Shape4 fs = depthwise ? Shape4{1, 3, 3, 6} : Shape4{5, 3, 3, 3};
  const int oc_n = depthwise ? 6 : 5;
  p.depth_multiplier = 2;
  const Shape4 os{1, 4, 6, oc_n};
  int16_t in[7 * 6 * 3];
  int8_t f[5 * 3 * 3 * 3 + 6 * 9];
  int64_t bias[6];
  int32_t bias_32[6];
  for (auto& v : in) v = static_cast<int16_t>(Rand(-32768, 32767));
  for (auto& v : f) v = static_cast<int8_t>(Rand(-127, 127));
  for (int c = 0; c < 6; ++c) bias_32[c] = Rand(-(1 << 24), 1 << 24);
  for (int c = 0; c < 6; ++c) bias[c] = bias_32[c];
  int32_t mult[6];
  int8_t shift[6];
  double real[6];
  for (int c = 0; c < oc_n; ++c) {
    real[c] = 2.0e-4 * (c + 1);  // in_scale * w_scale / out_scale
    int s;
    QuantizeMultiplier(real[c], &mult[c], &s);
    shift[c] = static_cast<int8_t>(s);
  }
  ChannelQuant q;
  q.channel_mult = mult;
  q.channel_shift = shift;
  int16_t out[4 * 6 * 6];
  double want[4 * 6 * 6];
  if (depthwise) {
    if (bias32)
      DepthwiseConv2DPerChannelS16(p, q, is, in, fs, f, bias_32, os, out);
    else
      DepthwiseConv2DPerChannelS16(p, q, is, in, fs, f, bias, os, out);
  } else {
    if (bias32)
      Conv2DPerChannelS16(p, q, is, in, fs, f, bias_32, os, out);
    else
      Conv2DPerChannelS16(p, q, is, in, fs, f, bias, os, out);
  }
  NaiveConv(p, real, is, in, fs, f, bias, os, want, depthwise);
  int saturated = 0;
  for (int i = 0; i < os.Elements(); ++i) {
    // int32 path: MultiplyByQuantizedMultiplier (Q31, <= 1 LSB); int64 path:
    // Q15 multiplier (relative error 2^-16) and one rounding.
    const double tol = bias32 ? 1.0 : 1.0 + fabs(want[i]) * ldexp(1.0, -15);
    ASSERT_NEAR(out[i], want[i], tol) << "element " << i;
    saturated += out[i] == 32767 || out[i] == -32768;
  }
  EXPECT_LE(saturated, os.Elements() / 2);  // the test data is mostly not clamped
}

TEST(Conv2DPerChannelS16, MatchesPlainConvInt64Bias) { CheckConv(false, false); }
TEST(Conv2DPerChannelS16, MatchesPlainConvInt32Bias) { CheckConv(false, true); }
TEST(DepthwiseConv2DPerChannelS16, MatchesPlainConvInt64Bias) { CheckConv(true, false); }
TEST(DepthwiseConv2DPerChannelS16, MatchesPlainConvInt32Bias) { CheckConv(true, true); }

TEST(Conv2DPerChannelS16, SaturatesAndClampsActivation) {
  ConvParams p;
  p.act_min = 0;       // fused RELU
  p.act_max = 32767;
  const Shape4 is{1, 1, 1, 2}, fs{2, 1, 1, 2}, os{1, 1, 1, 2};
  const int16_t in[2] = {32767, 32767};
  const int8_t f[4] = {127, 127, -127, -127};
  const int64_t bias[2] = {int64_t{1} << 40, 0};
  ChannelQuant q;
  int shift = 0;
  QuantizeMultiplier(1.0, &q.mult, &shift);
  q.shift = shift;
  int16_t out[2];
  Conv2DPerChannelS16(p, q, is, in, fs, f, bias, os, out);
  EXPECT_EQ(out[0], 32767);  // 2^40 + ... saturates
  EXPECT_EQ(out[1], 0);      // negative, clamped by RELU
}

TEST(FullyConnectedS16, MatchesPlainSum) {
  constexpr int kBatches = 2, kDepth = 37, kUnits = 4;
  int16_t x[kBatches * kDepth];
  int8_t w[kUnits * kDepth];
  int64_t bias[kUnits];
  int32_t bias_32[kUnits];
  for (auto& v : x) v = static_cast<int16_t>(Rand(-32768, 32767));
  for (auto& v : w) v = static_cast<int8_t>(Rand(-127, 127));
  for (int u = 0; u < kUnits; ++u) bias[u] = bias_32[u] = Rand(-100000, 100000);
  FullyConnectedParams p;
  p.act_min = -32768;
  p.act_max = 32767;
  p.weights_offset = 0;
  ChannelQuant q;
  const double real = 3.1e-4;
  int shift = 0;
  QuantizeMultiplier(real, &q.mult, &shift);
  q.shift = shift;
  int16_t y64[kBatches * kUnits], y32[kBatches * kUnits];
  FullyConnectedS16(p, q, kBatches, kDepth, kUnits, x, w, bias, y64);
  FullyConnectedS16(p, q, kBatches, kDepth, kUnits, x, w, bias_32, y32);
  for (int b = 0; b < kBatches; ++b)
    for (int u = 0; u < kUnits; ++u) {
      int64_t acc = bias[u];
      for (int d = 0; d < kDepth; ++d) acc += w[u * kDepth + d] * int64_t{x[b * kDepth + d]};
      const double want = fmin(32767, fmax(-32768, acc * real));
      EXPECT_NEAR(y64[b * kUnits + u], want, 1.0 + fabs(want) * ldexp(1.0, -15));
      EXPECT_NEAR(y32[b * kUnits + u], want, 1.0);
    }
}

}  // namespace
}  // namespace mote::micro::ref
