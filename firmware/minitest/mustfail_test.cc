// Negative control for the firmware test runner (kernel_tests_mustfail.elf,
// never linked into kernel_tests.elf): deliberately wrong checks must be
// reported and make the image exit non-zero. tests/tests.cmake expects
// exactly "result: 1 passed, 3 failed" and exit status 1, and fails on
// "unreachable" (an ASSERT_* must leave its test).
#include <gtest/gtest.h>
#include <stdint.h>

#include "firmware/board.h"

namespace {

TEST(MustFail, Passes) {
  EXPECT_EQ(2 + 2, 4);
  EXPECT_NEAR(1.0, 1.05, 0.1);
  EXPECT_FLOAT_EQ(0.1f + 0.2f, 0.3f);
}

TEST(MustFail, WrongExpectEq) {
  const int8_t got = -3;
  EXPECT_EQ(got, -4) << "deliberately wrong";
}

TEST(MustFail, WrongAssertNearReturns) {
  ASSERT_NEAR(1.0, 1.5, 0.25) << "deliberately wrong";
  MoteWrite("unreachable\n");
}

TEST(MustFail, WrongExpectTrue) { EXPECT_TRUE(1 > 2); }

}  // namespace
