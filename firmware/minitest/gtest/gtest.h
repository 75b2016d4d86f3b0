// minitest: a freestanding stand-in for <gtest/gtest.h> on the firmware, so
// the kernel unit tests (micro/**/*_test.cc) compile unchanged for the host
// (GoogleTest) and for Cortex-M under QEMU (this header, found first through
// -I firmware/minitest). No heap, no exceptions, no RTTI, no stdio: tests
// register into a fixed table from static constructors, failure text goes
// into fixed buffers and out through semihosting (firmware/board.h).
//
// Only the subset those files use: TEST, EXPECT/ASSERT_{EQ,NE,LE,GE,TRUE,
// FALSE,NEAR}, EXPECT_FLOAT_EQ (4 ULPs, as gtest) and `<< message` on any
// of them. ASSERT_* returns from the test on failure, as in gtest.
// firmware/minitest/minitest.cc has main(): runs every test, prints
// "result: N passed, M failed" and exits non-zero if any failed.
#ifndef MOTE_FIRMWARE_MINITEST_GTEST_GTEST_H_
#define MOTE_FIRMWARE_MINITEST_GTEST_GTEST_H_

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

namespace minitest {

// A fixed-size text buffer; appends past the end are dropped ("..." marks it).
class Text {
 public:
  static constexpr size_t kCap = 240;
  Text() { buf_[0] = '\0'; }
  void Add(const char* s);
  void AddI(long long v);
  void AddU(unsigned long long v);
  void AddF(double v);
  void AddP(const void* p);
  const char* c_str() const { return buf_; }

 private:
  void Put(char c);
  char buf_[kCap + 4];
  size_t n_ = 0;
};

template <typename T>
void AddValue(Text& t, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    t.Add(v ? "true" : "false");
  } else if constexpr (std::is_enum_v<T>) {
    t.AddI(static_cast<long long>(static_cast<std::underlying_type_t<T>>(v)));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    t.AddI(static_cast<long long>(v));
  } else if constexpr (std::is_integral_v<T>) {
    t.AddU(static_cast<unsigned long long>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    t.AddF(static_cast<double>(v));
  } else if constexpr (std::is_convertible_v<const T&, const char*>) {
    t.Add(static_cast<const char*>(v));
  } else if constexpr (std::is_pointer_v<T>) {
    t.AddP(static_cast<const void*>(v));
  } else {
    t.Add("<value>");
  }
}

// The user's `<< ...` after a failed check.
class Message {
 public:
  template <typename T>
  Message& operator<<(const T& v) {
    AddValue(text_, v);
    return *this;
  }
  const char* c_str() const { return text_.c_str(); }

 private:
  Text text_;
};

// Outcome of one check; the failure text (if any) is in a static buffer
// that lives until the Reporter below has printed it.
struct Result {
  bool ok;
  explicit operator bool() const { return ok; }
};
Text& FailureText();
void CountCheck();

// Prints "file:line: Failure", the check's text and the user's message and
// marks the running test failed. `return Reporter(...) = Message()` is how
// ASSERT_* leaves a void test function.
class Reporter {
 public:
  Reporter(const char* file, int line) : file_(file), line_(line) {}
  void operator=(const Message& m) const;

 private:
  const char* file_;
  int line_;
};

template <typename A, typename B>
Result Fail2(const char* op, const char* ea, const char* eb, const A& a, const B& b) {
  Text& t = FailureText();
  t = Text();
  t.Add("Expected: (");
  t.Add(ea);
  t.Add(") ");
  t.Add(op);
  t.Add(" (");
  t.Add(eb);
  t.Add("), actual: ");
  AddValue(t, a);
  t.Add(" vs ");
  AddValue(t, b);
  return Result{false};
}

#define MINITEST_CMP_(name, op)                                                        \
  template <typename A, typename B>                                                    \
  Result name(const char* ea, const char* eb, const A& a, const B& b) {                \
    CountCheck();                                                                      \
    if (a op b) return Result{true};                                                   \
    return Fail2(#op, ea, eb, a, b);                                                   \
  }
MINITEST_CMP_(CmpEQ, ==)
MINITEST_CMP_(CmpNE, !=)
MINITEST_CMP_(CmpLE, <=)
MINITEST_CMP_(CmpGE, >=)
#undef MINITEST_CMP_

template <typename T>
Result CmpBool(const char* expr, const T& cond, bool want) {
  CountCheck();
  if (static_cast<bool>(cond) == want) return Result{true};
  Text& t = FailureText();
  t = Text();
  t.Add("Value of: ");
  t.Add(expr);
  t.Add("\n  Actual: ");
  t.Add(want ? "false" : "true");
  t.Add("\nExpected: ");
  t.Add(want ? "true" : "false");
  return Result{false};
}

// gtest's DoubleNearPredFormat: |a - b| <= abs_error, and an abs_error below
// the spacing of doubles at that magnitude is reported as an error.
Result CmpNear(const char* ea, const char* eb, const char* ee, double a, double b, double abs_error);
// gtest's FloatingPoint<float>::AlmostEquals: at most 4 ULPs apart, NaN never.
Result CmpFloatEq(const char* ea, const char* eb, float a, float b);

using TestFn = void (*)();
struct Registrar {
  Registrar(const char* suite, const char* name, TestFn fn);
};

}  // namespace minitest

#define MINITEST_CHECK_(result, on_failure)                             \
  switch (0)                                                            \
  case 0:                                                               \
  default:                                                              \
    if (const ::minitest::Result minitest_r_ = (result)) {              \
    } else /* NOLINT */                                                 \
      on_failure ::minitest::Reporter(__FILE__, __LINE__) = ::minitest::Message()

#define EXPECT_EQ(a, b) MINITEST_CHECK_(::minitest::CmpEQ(#a, #b, a, b), )
#define EXPECT_NE(a, b) MINITEST_CHECK_(::minitest::CmpNE(#a, #b, a, b), )
#define EXPECT_LE(a, b) MINITEST_CHECK_(::minitest::CmpLE(#a, #b, a, b), )
#define EXPECT_GE(a, b) MINITEST_CHECK_(::minitest::CmpGE(#a, #b, a, b), )
#define EXPECT_TRUE(c) MINITEST_CHECK_(::minitest::CmpBool(#c, c, true), )
#define EXPECT_FALSE(c) MINITEST_CHECK_(::minitest::CmpBool(#c, c, false), )
#define EXPECT_NEAR(a, b, e) MINITEST_CHECK_(::minitest::CmpNear(#a, #b, #e, a, b, e), )
#define EXPECT_FLOAT_EQ(a, b) MINITEST_CHECK_(::minitest::CmpFloatEq(#a, #b, a, b), )
#define ASSERT_EQ(a, b) MINITEST_CHECK_(::minitest::CmpEQ(#a, #b, a, b), return)
#define ASSERT_NE(a, b) MINITEST_CHECK_(::minitest::CmpNE(#a, #b, a, b), return)
#define ASSERT_LE(a, b) MINITEST_CHECK_(::minitest::CmpLE(#a, #b, a, b), return)
#define ASSERT_GE(a, b) MINITEST_CHECK_(::minitest::CmpGE(#a, #b, a, b), return)
#define ASSERT_TRUE(c) MINITEST_CHECK_(::minitest::CmpBool(#c, c, true), return)
#define ASSERT_FALSE(c) MINITEST_CHECK_(::minitest::CmpBool(#c, c, false), return)
#define ASSERT_NEAR(a, b, e) MINITEST_CHECK_(::minitest::CmpNear(#a, #b, #e, a, b, e), return)

#define TEST(suite, name)                                                               \
  static void MinitestFn_##suite##_##name();                                            \
  static const ::minitest::Registrar minitest_reg_##suite##_##name(#suite, #name,       \
                                                                   &MinitestFn_##suite##_##name); \
  static void MinitestFn_##suite##_##name()

#endif  // MOTE_FIRMWARE_MINITEST_GTEST_GTEST_H_
