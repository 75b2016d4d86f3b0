// LOGISTIC and TANH share their int8 parameters and fixed-point structure;
// both are checked against TFLM's outputs on every int8 input of several
// (scale, zero point) cases, in place, and in float.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include "micro/kernels/ref/logistic.h"
#include "micro/kernels/ref/logistic_test_vectors.h"
#include "micro/kernels/ref/tanh.h"
#include "micro/kernels/ref/tanh_test_vectors.h"

namespace mote::micro::ref {
namespace {

using PrepareS8 = void (*)(float, int32_t, LogisticParamsS8*);
using RunS8 = void (*)(const LogisticParamsS8&, int, const int8_t*, int8_t*);

struct Op {
  PrepareS8 prepare;
  RunS8 run;
};

constexpr Op kLogistic{LogisticPrepareS8, LogisticS8};
constexpr Op kTanh{TanhPrepareS8, TanhS8};

template <typename Case, size_t kCases, size_t kExpected>
void ExpectMatchesVectors(const Op& op, const Case (&cases)[kCases],
                          const int8_t (&expected_all)[kExpected]) {
  int8_t in[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  size_t checked = 0;
  const int8_t* expected = expected_all;
  for (const Case& c : cases) {
    LogisticParamsS8 p;
    op.prepare(c.input_scale, c.input_zero_point, &p);
    int8_t out[256];
    op.run(p, 256, in, out);
    for (int i = 0; i < 256; ++i) {
      ASSERT_EQ(out[i], expected[i]) << "scale " << c.input_scale << " zero point "
                                     << c.input_zero_point << " input " << i - 128;
      ++checked;
    }
    expected += 256;
  }
  EXPECT_EQ(checked, kExpected);
}

void ExpectInPlace(const Op& op) {
  LogisticParamsS8 p;
  op.prepare(0.1f, 0, &p);
  int8_t in[256], out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  op.run(p, 256, in, out);
  op.run(p, 256, in, in);
  for (int i = 0; i < 256; ++i) ASSERT_EQ(in[i], out[i]);
}

template <size_t kN>
void ExpectF32(void (*run)(int, const float*, float*), const float (&input)[kN],
               const float (&want)[kN]) {
  float out[kN];
  run(static_cast<int>(kN), input, out);
  for (size_t i = 0; i < kN; ++i) {
    EXPECT_LE(fabsf(out[i] - want[i]), 1e-5f + 1e-4f * fabsf(want[i])) << "input " << input[i];
  }
}

TEST(LogisticS8, MatchesTflmVectorsOnEveryInput) {
  ExpectMatchesVectors(kLogistic, testdata::kLogisticS8Cases, testdata::kLogisticExpectedS8);
}

TEST(TanhS8, MatchesTflmVectorsOnEveryInput) {
  ExpectMatchesVectors(kTanh, testdata::kTanhS8Cases, testdata::kTanhExpectedS8);
}

TEST(LogisticS8, InPlace) { ExpectInPlace(kLogistic); }

TEST(TanhS8, InPlace) { ExpectInPlace(kTanh); }

TEST(LogisticF32, MatchesTflmVectors) {
  ExpectF32(LogisticF32, testdata::kLogisticF32Input, testdata::kLogisticF32Expected);
}

TEST(TanhF32, MatchesTflmVectors) {
  ExpectF32(TanhF32, testdata::kTanhF32Input, testdata::kTanhF32Expected);
}

}  // namespace
}  // namespace mote::micro::ref
