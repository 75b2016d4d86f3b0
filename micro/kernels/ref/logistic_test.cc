#include "micro/kernels/ref/logistic.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/logistic_test_vectors.h"

namespace mote::micro::ref {
namespace {

TEST(LogisticS8, MatchesTflmVectorsOnEveryInput) {
  int8_t in[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  int checked = 0;
  const int8_t* expected = testdata::kLogisticExpectedS8;
  for (const auto& c : testdata::kLogisticS8Cases) {
    LogisticParamsS8 p;
    LogisticPrepareS8(c.input_scale, c.input_zero_point, &p);
    int8_t out[256];
    LogisticS8(p, 256, in, out);
    for (int i = 0; i < 256; ++i) {
      ASSERT_EQ(out[i], expected[i])
          << "scale " << c.input_scale << " zero point " << c.input_zero_point
          << " input " << i - 128;
      ++checked;
    }
    expected += 256;
  }
  EXPECT_EQ(checked, static_cast<int>(sizeof(testdata::kLogisticExpectedS8)));
}

TEST(LogisticS8, InPlace) {
  LogisticParamsS8 p;
  LogisticPrepareS8(0.1f, 0, &p);
  int8_t in[256], out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  LogisticS8(p, 256, in, out);
  LogisticS8(p, 256, in, in);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(in[i], out[i]);
}

TEST(LogisticF32, MatchesTflmVectors) {
  constexpr int kN = sizeof(testdata::kLogisticF32Input) / sizeof(float);
  float out[kN];
  LogisticF32(kN, testdata::kLogisticF32Input, out);
  for (int i = 0; i < kN; ++i) {
    const float want = testdata::kLogisticF32Expected[i];
    EXPECT_LE(fabsf(out[i] - want), 1e-5f + 1e-4f * fabsf(want))
        << "input " << testdata::kLogisticF32Input[i];
  }
}

}  // namespace
}  // namespace mote::micro::ref
