// 16x8 ADD / MUL / QUANTIZE / DEQUANTIZE / pooling against double-precision
// maths and hand-derived values. TFLM byte-exactness: tests/oracle/int16_diff.py.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/elementwise.h"
#include "micro/kernels/ref/pooling.h"

namespace mote::micro::ref {
namespace {

TEST(AddS16, CloseToRealSumWithBroadcast) {
  const int32_t a_dims[2] = {3, 4}, b_dims[1] = {4};
  Broadcast bc;
  ASSERT_TRUE(MakeBroadcast(a_dims, 2, b_dims, 1, &bc));
  const float sa = 1.0f / 8000, sb = 1.0f / 3000, so = 1.0f / 2500;
  AddParamsS8 p;
  AddPrepareS16(sa, 0, sb, 0, so, 0, -32768, 32767, &p);
  int16_t a[12], b[4] = {32767, -32768, 1234, 0}, out[12];
  for (int i = 0; i < 12; ++i) a[i] = static_cast<int16_t>(i * 5461 - 32768);
  AddS16(p, bc, a, b, out);
  for (int i = 0; i < 12; ++i) {
    const double want = (a[i] * double{sa} + b[i % 4] * double{sb}) / so;
    EXPECT_NEAR(out[i], fmin(32767, fmax(-32768, want)), 1.0) << "element " << i;
  }
}

TEST(MulS16, CloseToRealProductAndClamps) {
  Broadcast bc;
  const int32_t dims[1] = {5};
  ASSERT_TRUE(MakeBroadcast(dims, 1, dims, 1, &bc));
  MulParamsS8 p;
  const float s = 1.0f / 16384;  // [-2, 2)
  MulPrepareS8(s, 0, s, 0, 1.0f / 8192, 0, -32768, 32767, &p);
  const int16_t a[5] = {16384, -16384, 32767, 100, -32768};
  const int16_t b[5] = {16384, 8192, 32767, -100, -32768};
  int16_t out[5];
  MulS16(p, bc, a, b, out);
  for (int i = 0; i < 5; ++i) {
    const double want = a[i] * double{s} * b[i] * double{s} * 8192;
    EXPECT_NEAR(out[i], fmin(32767, fmax(-32768, want)), 1.0) << "element " << i;
  }
  EXPECT_EQ(out[0], 8192);    // 1 * 1 = 1
  EXPECT_EQ(out[4], 32767);   // (-2) * (-2) = 4 saturates
}

TEST(QuantizeF32ToS16, RoundsHalfAwayAndSaturates) {
  const float in[7] = {1.234f, -0.125f, 0.125f, 1.0e10f, -1.0e10f, NAN, 9000.0f};
  int16_t out[7];
  QuantizeF32ToS16(0.25f, 0, 7, in, out);
  EXPECT_EQ(out[0], 5);   // 4.936
  EXPECT_EQ(out[1], -1);  // -0.5 -> -1 (away from zero)
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], 32767);
  EXPECT_EQ(out[4], -32768);
  EXPECT_EQ(out[5], 0);   // NaN -> zero point
  EXPECT_EQ(out[6], 32767);
  QuantizeF32ToS16(0.25f, 10, 1, in, out);  // zero point added after rounding
  EXPECT_EQ(out[0], 15);
}

TEST(RequantizeS16, BetweenInt8AndInt16) {
  RequantizeParams p;
  // int16 steps of 1/256 -> int8 steps of 1/2, zero point 3.
  RequantizePrepare(1.0f / 256, 0, 0.5f, 3, &p);
  const int16_t in[5] = {256, -256, 384, 32767, -32768};
  int8_t out8[5];
  RequantizeS16ToS8(p, 5, in, out8);
  EXPECT_EQ(out8[0], 5);     // 1.0 -> 2 + 3
  EXPECT_EQ(out8[1], 1);     // -1.0 -> -2 + 3
  EXPECT_EQ(out8[2], 6);     // 1.5 -> 3 + 3
  EXPECT_EQ(out8[3], 127);   // 128 saturates
  EXPECT_EQ(out8[4], -128);
  // int8 (scale 0.5, zp 3) -> int16 (scale 1/256): exact.
  RequantizePrepare(0.5f, 3, 1.0f / 256, 0, &p);
  const int8_t in8[3] = {5, -128, 127};
  int16_t out16[3];
  RequantizeS8ToS16(p, 3, in8, out16);
  EXPECT_EQ(out16[0], 256);
  EXPECT_EQ(out16[1], -131 * 128);
  EXPECT_EQ(out16[2], 124 * 128);
  // int16 -> int16 halving the scale saturates.
  RequantizePrepare(1.0f / 256, 0, 1.0f / 512, 0, &p);
  int16_t o[5];
  RequantizeS16(p, 5, in, o);
  EXPECT_EQ(o[0], 512);
  EXPECT_EQ(o[3], 32767);
  EXPECT_EQ(o[4], -32768);
}

TEST(DequantizeS16, ScaleTimesValue) {
  const int16_t in[3] = {-32768, 0, 32767};
  float out[3];
  DequantizeS16(1.0 / 32768, 0, 3, in, out);
  EXPECT_FLOAT_EQ(out[0], -1.0f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  EXPECT_FLOAT_EQ(out[2], 32767.0f / 32768);
}

TEST(PoolS16, AverageRoundsHalfAwayMaxTakesMax) {
  PoolParams p;
  p.filter_h = 1;
  p.filter_w = 2;
  p.stride_h = 1;
  p.stride_w = 2;
  p.act_min = -32768;
  p.act_max = 32767;
  const Shape4 is{1, 1, 6, 1}, os{1, 1, 3, 1};
  const int16_t in[6] = {1, 2, -1, -2, 32767, 32767};
  int16_t avg[3], mx[3];
  AveragePoolS16(p, is, in, os, avg);
  MaxPoolS16(p, is, in, os, mx);
  EXPECT_EQ(avg[0], 2);    // 1.5 -> 2
  EXPECT_EQ(avg[1], -2);   // -1.5 -> -2
  EXPECT_EQ(avg[2], 32767);
  EXPECT_EQ(mx[0], 2);
  EXPECT_EQ(mx[1], -1);
  EXPECT_EQ(mx[2], 32767);
  p.act_min = 0;  // fused RELU
  MaxPoolS16(p, is, in, os, mx);
  EXPECT_EQ(mx[1], 0);
}

}  // namespace
}  // namespace mote::micro::ref
