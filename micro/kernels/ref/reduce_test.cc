#include "micro/kernels/ref/reduce.h"

#include <gtest/gtest.h>
#include <stdint.h>

namespace mote::micro::ref {
namespace {

TEST(ReduceShape, SplitsKeptAndReducedAxes) {
  const int32_t dims[3] = {2, 3, 4};
  ReduceShape s;
  MakeReduceShape(dims, 3, 0b010, &s);
  EXPECT_EQ(s.num_kept, 2);
  EXPECT_EQ(s.num_reduced, 1);
  EXPECT_EQ(s.outputs, 8);
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.red_strides[0], 4);
  EXPECT_EQ(s.kept_strides[0], 12);
  EXPECT_EQ(s.kept_strides[1], 1);
}

TEST(MeanF32, MiddleAxisKeepsRowMajorOutputOrder) {
  const int32_t dims[3] = {2, 3, 2};
  const float in[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  ReduceShape s;
  MakeReduceShape(dims, 3, 0b010, &s);
  float out[4];
  MeanF32(s, in, out);
  EXPECT_FLOAT_EQ(out[0], 3.0f);   // (1 + 3 + 5) / 3
  EXPECT_FLOAT_EQ(out[1], 4.0f);   // (2 + 4 + 6) / 3
  EXPECT_FLOAT_EQ(out[2], 9.0f);
  EXPECT_FLOAT_EQ(out[3], 10.0f);
}

// Values follow TFLM's QuantizedMeanOrSum (multiplier 1/count folded in,
// double rounding), which TFLM also uses for equal input/output quantization.
TEST(MeanS8, RoundsLikeTflmQuantizedMeanOrSum) {
  const int32_t dims[2] = {2, 3};
  const int8_t in[6] = {-3, -4, 5, 10, 20, 30};
  ReduceShape s;
  MakeReduceShape(dims, 2, 0b10, &s);
  MeanParamsS8 same;
  MeanPrepareS8(0.5f, 0, 0.5f, 0, s.count, &same);
  int8_t out[2];
  MeanS8(s, same, in, out);
  EXPECT_EQ(out[0], -1);  // -2 / 3 rounds to -1 (truncation would give 0)
  EXPECT_EQ(out[1], 20);
  MeanParamsS8 rescale;  // real mean of row 1: (63 / 3) * 0.5 = 10.5 -> 11, + 3
  MeanPrepareS8(0.5f, -1, 1.0f, 3, s.count, &rescale);
  MeanS8(s, rescale, in, out);
  EXPECT_EQ(out[1], 14);
}

TEST(MeanS8, SaturatesAndHandlesNoAxes) {
  const int32_t dims[1] = {4};
  const int8_t in[4] = {127, 127, 127, 126};
  ReduceShape s;
  MakeReduceShape(dims, 1, 0, &s);  // no reduced axis: a requantizing copy
  MeanParamsS8 p;
  MeanPrepareS8(1.0f, 0, 0.5f, 0, s.count, &p);
  int8_t out[4];
  MeanS8(s, p, in, out);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], 127);
}

}  // namespace
}  // namespace mote::micro::ref
