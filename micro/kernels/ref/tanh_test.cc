#include "micro/kernels/ref/tanh.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/tanh_test_vectors.h"

namespace mote::micro::ref {
namespace {

TEST(TanhS8, MatchesTflmVectorsOnEveryInput) {
  int8_t in[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  int checked = 0;
  const int8_t* expected = testdata::kTanhExpectedS8;
  for (const auto& c : testdata::kTanhS8Cases) {
    TanhParamsS8 p;
    TanhPrepareS8(c.input_scale, c.input_zero_point, &p);
    int8_t out[256];
    TanhS8(p, 256, in, out);
    for (int i = 0; i < 256; ++i) {
      ASSERT_EQ(out[i], expected[i])
          << "scale " << c.input_scale << " zero point " << c.input_zero_point
          << " input " << i - 128;
      ++checked;
    }
    expected += 256;
  }
  EXPECT_EQ(checked, static_cast<int>(sizeof(testdata::kTanhExpectedS8)));
}

TEST(TanhS8, InPlace) {
  TanhParamsS8 p;
  TanhPrepareS8(0.1f, 0, &p);
  int8_t in[256], out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  TanhS8(p, 256, in, out);
  TanhS8(p, 256, in, in);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(in[i], out[i]);
}

TEST(TanhF32, MatchesTflmVectors) {
  constexpr int kN = sizeof(testdata::kTanhF32Input) / sizeof(float);
  float out[kN];
  TanhF32(kN, testdata::kTanhF32Input, out);
  for (int i = 0; i < kN; ++i) {
    const float want = testdata::kTanhF32Expected[i];
    EXPECT_LE(fabsf(out[i] - want), 1e-5f + 1e-4f * fabsf(want))
        << "input " << testdata::kTanhF32Input[i];
  }
}

}  // namespace
}  // namespace mote::micro::ref
