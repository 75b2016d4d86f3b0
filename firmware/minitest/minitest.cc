// minitest runtime (see gtest/gtest.h): the test table, failure reports and
// main(). Output, through semihosting:
//   [ RUN      ] Suite.Name
//   file:line: Failure / the check / the message      (per failed check)
//   [       OK ] Suite.Name   or   [  FAILED  ] Suite.Name
//   checks=N                                          (assertions evaluated)
//   result: P passed, F failed
// Exit status 0 only if at least one test ran and none failed.
#include <math.h>
#include <string.h>

#include "firmware/board.h"
#include "gtest/gtest.h"

namespace minitest {
namespace {

constexpr int kMaxTests = 256;
struct Entry {
  const char* suite;
  const char* name;
  TestFn fn;
};
// Zero-initialized (.bss) before any constructor runs, so registration from
// static constructors in any order is safe.
Entry g_tests[kMaxTests];
int g_num_tests;
bool g_overflow;
bool g_current_failed;
uint32_t g_checks;
Text g_failure_text;

}  // namespace

void Text::Put(char c) {
  if (n_ < kCap) {
    buf_[n_++] = c;
    buf_[n_] = '\0';
  } else if (n_ == kCap) {
    memcpy(buf_ + n_, "...", 4);
    n_ = kCap + 1;
  }
}

void Text::Add(const char* s) {
  if (s == nullptr) s = "(null)";
  while (*s) Put(*s++);
}

void Text::AddU(unsigned long long v) {
  char tmp[24];
  int k = 0;
  do {
    tmp[k++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (k > 0) Put(tmp[--k]);
}

void Text::AddI(long long v) {
  if (v < 0) {
    Put('-');
    AddU(0ull - static_cast<unsigned long long>(v));
  } else {
    AddU(static_cast<unsigned long long>(v));
  }
}

// 9 significant digits, %g-like: enough to tell floats apart in a report.
void Text::AddF(double v) {
  if (isnan(v)) return Add("nan");
  if (v < 0 || (v == 0 && signbit(v))) {
    Put('-');
    v = -v;
  }
  if (isinf(v)) return Add("inf");
  if (v == 0) return Put('0');
  int e = static_cast<int>(floor(log10(v)));
  double m = v / pow(10.0, e);  // [1, 10) up to rounding
  unsigned long long digits = static_cast<unsigned long long>(llround(m * 1e8));
  if (digits >= 1000000000ull) {
    digits /= 10;
    ++e;
  }
  char d[10];
  for (int i = 8; i >= 0; --i) {
    d[i] = static_cast<char>('0' + digits % 10);
    digits /= 10;
  }
  int last = 8;
  while (last > 0 && d[last] == '0') --last;
  if (e >= -4 && e < 9) {
    if (e < 0) {
      Add("0.");
      for (int i = -1; i > e; --i) Put('0');
      for (int i = 0; i <= last; ++i) Put(d[i]);
    } else {
      for (int i = 0; i <= e; ++i) Put(i <= 8 ? d[i] : '0');
      if (last > e) {
        Put('.');
        for (int i = e + 1; i <= last; ++i) Put(d[i]);
      }
    }
    return;
  }
  Put(d[0]);
  if (last > 0) {
    Put('.');
    for (int i = 1; i <= last; ++i) Put(d[i]);
  }
  Put('e');
  AddI(e);
}

void Text::AddP(const void* p) {
  static const char kHex[] = "0123456789abcdef";
  uintptr_t v = reinterpret_cast<uintptr_t>(p);
  Add("0x");
  for (int shift = static_cast<int>(sizeof(v) * 8) - 4; shift >= 0; shift -= 4)
    Put(kHex[(v >> shift) & 0xF]);
}

Text& FailureText() { return g_failure_text; }
void CountCheck() { ++g_checks; }

void Reporter::operator=(const Message& m) const {
  g_current_failed = true;
  Text where;
  where.Add(file_);
  where.Add(":");
  where.AddI(line_);
  where.Add(": Failure\n");
  MoteWrite(where.c_str());
  MoteWrite(g_failure_text.c_str());
  MoteWrite("\n");
  if (m.c_str()[0] != '\0') {
    MoteWrite(m.c_str());
    MoteWrite("\n");
  }
}

Result CmpNear(const char* ea, const char* eb, const char* ee, double a, double b,
               double abs_error) {
  CountCheck();
  const double diff = fabs(a - b);
  if (diff <= abs_error) return Result{true};
  const double min_abs = fmin(fabs(a), fabs(b));
  const double epsilon = nextafter(min_abs, INFINITY) - min_abs;
  Text& t = g_failure_text;
  t = Text();
  t.Add("The difference between ");
  t.Add(ea);
  t.Add(" and ");
  t.Add(eb);
  t.Add(" is ");
  t.AddF(diff);
  if (!isnan(a) && !isnan(b) && abs_error > 0 && abs_error < epsilon) {
    t.Add(", and abs_error ");
    t.Add(ee);
    t.Add(" is smaller than the spacing of doubles there (");
    t.AddF(epsilon);
    t.Add("), where\n");
  } else {
    t.Add(", which exceeds ");
    t.Add(ee);
    t.Add(", where\n");
  }
  t.Add(ea);
  t.Add(" evaluates to ");
  t.AddF(a);
  t.Add(",\n");
  t.Add(eb);
  t.Add(" evaluates to ");
  t.AddF(b);
  t.Add(", and\n");
  t.Add(ee);
  t.Add(" evaluates to ");
  t.AddF(abs_error);
  return Result{false};
}

Result CmpFloatEq(const char* ea, const char* eb, float a, float b) {
  CountCheck();
  if (!isnan(a) && !isnan(b)) {
    uint32_t ua, ub;
    memcpy(&ua, &a, 4);
    memcpy(&ub, &b, 4);
    auto biased = [](uint32_t sam) { return (sam & 0x80000000u) ? ~sam + 1 : (0x80000000u | sam); };
    const uint32_t ba = biased(ua), bb = biased(ub);
    if ((ba >= bb ? ba - bb : bb - ba) <= 4) return Result{true};
  }
  Fail2("==", ea, eb, a, b);
  g_failure_text.Add(" (at most 4 ULPs apart)");
  return Result{false};
}

Registrar::Registrar(const char* suite, const char* name, TestFn fn) {
  if (g_num_tests == kMaxTests) {
    g_overflow = true;
    return;
  }
  g_tests[g_num_tests++] = Entry{suite, name, fn};
}

}  // namespace minitest

int main(void) {
  using namespace minitest;
  MoteWrite("mote-fw minitest: ");
  MoteWriteU(static_cast<uint32_t>(g_num_tests));
  MoteWrite(" tests\n");
  uint32_t passed = 0, failed = 0;
  for (int i = 0; i < g_num_tests; ++i) {
    const Entry& e = g_tests[i];
    MoteWrite("[ RUN      ] ");
    MoteWrite(e.suite);
    MoteWrite(".");
    MoteWrite(e.name);
    MoteWrite("\n");
    g_current_failed = false;
    e.fn();
    MoteWrite(g_current_failed ? "[  FAILED  ] " : "[       OK ] ");
    MoteWrite(e.suite);
    MoteWrite(".");
    MoteWrite(e.name);
    MoteWrite("\n");
    ++(g_current_failed ? failed : passed);
  }
  if (g_overflow) {
    MoteWrite("minitest: more than 256 tests; raise kMaxTests\n");
    ++failed;
  }
  if (g_num_tests == 0) {
    MoteWrite("minitest: no tests registered\n");
    ++failed;
  }
  MoteWrite("checks=");
  MoteWriteU(g_checks);
  MoteWrite("\n");
  return MoteReportResult(passed, failed);
}
