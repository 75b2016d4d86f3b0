#include "micro/kernels/ref/softmax.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/softmax_test_vectors.h"

// No std::vector: this file also runs on the firmware (no heap), with
// firmware/minitest. Fixed buffers sized for the largest case instead.

namespace mote::micro::ref {
namespace {

using testdata::kSoftmaxS8Cases;

constexpr int MaxCaseElements() {
  int m = 0;
  for (const auto& c : kSoftmaxS8Cases) m = c.outer * c.depth > m ? c.outer * c.depth : m;
  return m;
}
constexpr int kMaxCaseElements = MaxCaseElements();

TEST(SoftmaxS8, MatchesTflmVectors) {
  int checked = 0;
  for (const auto& c : kSoftmaxS8Cases) {
    SoftmaxParamsS8 p;
    SoftmaxPrepareS8(c.input_scale, c.beta, &p);
    const int n = c.outer * c.depth;
    int8_t out[kMaxCaseElements];
    for (int i = 0; i < n; ++i) out[i] = 0x55;
    SoftmaxS8(p, c.outer, c.depth, testdata::kSoftmaxInput + c.offset, out);
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(out[i], testdata::kSoftmaxExpectedS8[c.offset + i])
          << "scale " << c.input_scale << " beta " << c.beta << " row "
          << i / c.depth << " col " << i % c.depth;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(sizeof(testdata::kSoftmaxExpectedS8)));
}

TEST(SoftmaxS8S16, MatchesTflmVectors) {
  int checked = 0;
  for (const auto& c : kSoftmaxS8Cases) {
    if (c.offset_s16 < 0) continue;
    SoftmaxParamsS8 p;
    SoftmaxPrepareS8(c.input_scale, c.beta, &p);
    const int n = c.outer * c.depth;
    int16_t out[kMaxCaseElements];
    for (int i = 0; i < n; ++i) out[i] = 0x5555;
    SoftmaxS8S16(p, c.outer, c.depth, testdata::kSoftmaxInput + c.offset, out);
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(out[i], testdata::kSoftmaxExpectedS16[c.offset_s16 + i])
          << "scale " << c.input_scale << " beta " << c.beta << " row "
          << i / c.depth << " col " << i % c.depth;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(sizeof(testdata::kSoftmaxExpectedS16) /
                                      sizeof(int16_t)));
}

TEST(SoftmaxS8, PrepareParams) {
  SoftmaxParamsS8 p;
  // 0.1f * 2^26 = 6710886.5 = 0.79999998 * 2^23.
  SoftmaxPrepareS8(0.1f, 1.0f, &p);
  EXPECT_EQ(p.input_left_shift, 23);
  EXPECT_EQ(p.input_multiplier, 1717986944);
  EXPECT_EQ(p.diff_min, -248);  // -floor(31 * 2^26 / 2^23)

  // beta * scale = 16: 2^30 exactly, kept as 0.5 * 2^31 (no saturation).
  SoftmaxPrepareS8(0.25f, 64.0f, &p);
  EXPECT_EQ(p.input_left_shift, 31);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.diff_min, 0);

  // Products beyond 2^31 - 1 are capped there.
  SoftmaxPrepareS8(4.0f, 1000.0f, &p);
  EXPECT_EQ(p.input_left_shift, 31);
  EXPECT_EQ(p.input_multiplier, INT32_MAX);
}

TEST(SoftmaxS8, UniformRowsAndSingleElement) {
  SoftmaxParamsS8 p;
  SoftmaxPrepareS8(0.1f, 1.0f, &p);
  int8_t in[4] = {-7, -7, -7, -7};
  int8_t out[4];
  SoftmaxS8(p, 1, 4, in, out);
  for (int8_t v : out) EXPECT_EQ(v, 64 - 128);  // 1/4 in 1/256 steps
  int8_t one_in[1] = {-128};
  int8_t one_out[1];
  SoftmaxS8(p, 1, 1, one_in, one_out);
  EXPECT_EQ(one_out[0], 127);  // 1.0 saturates to 255/256
}

TEST(SoftmaxS8, LongRowsBeyondTflmLimitAreRounded) {
  // 1024 equal values: probability 1/1024 = 0.25 / 256, rounds to 0 above
  // the -128 zero point. (TFLM aborts on this input; see softmax.h.)
  SoftmaxParamsS8 p;
  SoftmaxPrepareS8(0.1f, 1.0f, &p);
  int8_t in[1024], out[1024];
  for (int i = 0; i < 1024; ++i) in[i] = 3, out[i] = 0;
  SoftmaxS8(p, 1, 1024, in, out);
  for (int8_t v : out) ASSERT_EQ(v, -128);
  // 300 equal values: 1/300 = 0.853 / 256 -> one step.
  for (int i = 0; i < 300; ++i) in[i] = 3;
  SoftmaxS8(p, 1, 300, in, out);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(out[i], -127);
}

TEST(SoftmaxF32, MatchesTflmVectors) {
  constexpr int kDepth = 10;
  float out[8 * kDepth];
  SoftmaxF32(1.0f, 6, kDepth, testdata::kSoftmaxF32Input, out);
  SoftmaxF32(0.25f, 2, kDepth, testdata::kSoftmaxF32Input + 6 * kDepth,
             out + 6 * kDepth);
  static_assert(sizeof(testdata::kSoftmaxF32Expected) == sizeof(out), "size");
  for (int i = 0; i < 8 * kDepth; ++i) {
    const float want = testdata::kSoftmaxF32Expected[i];
    EXPECT_LE(fabsf(out[i] - want), 1e-5f + 1e-4f * fabsf(want)) << i;
  }
}

TEST(SoftmaxF32, InPlace) {
  float v[3] = {1.0f, 2.0f, 3.0f};
  SoftmaxF32(1.0f, 1, 3, v, v);
  EXPECT_NEAR(v[0], 0.09003057f, 1e-6f);
  EXPECT_NEAR(v[1], 0.24472848f, 1e-6f);
  EXPECT_NEAR(v[2], 0.66524094f, 1e-6f);
}

}  // namespace
}  // namespace mote::micro::ref
