// Maths for the signal front end without <math.h> (the device build is
// freestanding): constexpr double sine / cosine / log / exp for tables built
// at compile time or in Init (never per frame), a float ln for the float path,
// an integer log2 in Q16 for the fixed-point path, and the constant Q30
// quarter-wave sine table the FFTs take their twiddles from (1 KB of flash).
//
// Accuracy: SinD/CosD/LogD/ExpD agree with libm within ~4 ulp on the ranges
// the front end uses; LogF within 2e-7 relative; Log2Q16 within 6e-5 (log2
// units) of the exact value, see dsp_math_test.cc.
//
//   double c = CosD(2 * kPiD * n / N);      // init-time window coefficient
//   int32_t l = Log2Q16(energy);            // fixed path, energy > 0
//   int32_t c30, s30; CosSinQ30(j, &c30, &s30);  // e^{-2 pi i j / 1024}
#ifndef MOTE_MICRO_DSP_DSP_MATH_H_
#define MOTE_MICRO_DSP_DSP_MATH_H_

#include <stdint.h>
#include <string.h>

// Forces inlining of the few per-sample helpers (also at -Os, where GCC
// would otherwise call them: about +40% instructions in the FFT).
#if defined(__GNUC__)
#define MOTE_DSP_INLINE inline __attribute__((always_inline))
#else
#define MOTE_DSP_INLINE inline
#endif

namespace mote::micro::dsp {

constexpr double kPiD = 3.14159265358979323846;
constexpr double kLn2D = 0.69314718055994530942;

constexpr double FloorD(double x) {
  const double t = static_cast<double>(static_cast<int64_t>(x));
  return t > x ? t - 1.0 : t;
}

// sin(x) and cos(x) for |x| < 1e9: reduction to [-pi/4, pi/4] plus Taylor.
constexpr double SinCosCore(double r, bool want_sin) {
  double term = want_sin ? r : 1.0, sum = term;
  const double r2 = r * r;
  for (int n = want_sin ? 3 : 2; n < 30; n += 2) {
    term *= -r2 / ((n - 1) * n);
    sum += term;
  }
  return sum;
}
constexpr double SinCosD(double x, bool want_sin) {
  const double q = FloorD(x / (kPiD / 2) + 0.5);
  const double r = x - q * (kPiD / 2);
  int64_t quadrant = static_cast<int64_t>(q) % 4;
  if (quadrant < 0) quadrant += 4;
  if (!want_sin) quadrant = (quadrant + 1) % 4;  // cos(x) = sin(x + pi/2)
  switch (quadrant) {
    case 0: return SinCosCore(r, true);
    case 1: return SinCosCore(r, false);
    case 2: return -SinCosCore(r, true);
    default: return -SinCosCore(r, false);
  }
}
constexpr double SinD(double x) { return SinCosD(x, true); }
constexpr double CosD(double x) { return SinCosD(x, false); }

// ln(x) for x > 0 (finite, normal): x = m * 2^e with m in [sqrt(.5), sqrt(2)),
// ln m = 2 atanh((m - 1) / (m + 1)).
constexpr double LogD(double x) {
  int e = 0;
  double m = x;
  while (m >= 1.4142135623730951) { m *= 0.5; ++e; }
  while (m < 0.7071067811865476) { m *= 2.0; --e; }
  const double z = (m - 1.0) / (m + 1.0), z2 = z * z;
  double p = z, sum = 0.0;
  for (int n = 1; n < 40; n += 2) {
    sum += p / n;
    p *= z2;
  }
  return 2.0 * sum + e * kLn2D;
}
// exp(x) for |x| < 700.
constexpr double ExpD(double x) {
  const double k = FloorD(x / kLn2D + 0.5);
  const double r = x - k * kLn2D;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 24; ++n) {
    term *= r / n;
    sum += term;
  }
  int64_t ki = static_cast<int64_t>(k);
  while (ki > 0) { sum *= 2.0; --ki; }
  while (ki < 0) { sum *= 0.5; ++ki; }
  return sum;
}
constexpr double Log10D(double x) { return LogD(x) / 2.302585092994045684; }
constexpr double SqrtD(double x) {
  if (x <= 0) return 0.0;
  double g = x > 1 ? x : 1.0;
  for (int i = 0; i < 200; ++i) {
    const double n = 0.5 * (g + x / g);
    if (n == g) break;
    g = n;
  }
  return g;
}

// ln(x) for finite x > 0 in single precision (the float path's log).
// REQUIRES: x > 0 and finite (callers clamp to the log floor first).
float LogF(float x);

// floor(log2(x)) + 1 (0 for x == 0).
// One CLZ instruction per word where the compiler has the builtin (every
// Armv7-M / Armv8-M core has CLZ; the bit loop cost ~100 instructions).
inline int BitLength64(uint64_t x) {
#if defined(__GNUC__)
  const uint32_t hi = static_cast<uint32_t>(x >> 32), lo = static_cast<uint32_t>(x);
  if (hi != 0) return 64 - __builtin_clz(hi);
  return lo != 0 ? 32 - __builtin_clz(lo) : 0;
#else
  int n = 0;
  while (x >= (uint64_t{1} << 32)) { x >>= 32; n += 32; }
  while (x != 0) { x >>= 1; ++n; }
  return n;
#endif
}

// log2(x) in Q16 for x >= 1 (65-entry table + linear interpolation).
// REQUIRES: x > 0.
int32_t Log2Q16(uint64_t x);

// The quarter-wave table: kQuarterSineQ30[i] = round(sin(2 pi i / 1024) * 2^30).
constexpr int kQuarterSineSize = 257;
extern const int32_t kQuarterSineQ30[kQuarterSineSize];

// e^{-2 pi i j / 1024} in Q30: *c = round(cos * 2^30), *s = round(-sin * 2^30).
// REQUIRES: 0 <= j < 1024.
MOTE_DSP_INLINE void CosSinQ30(uint32_t j, int32_t* c, int32_t* s) {
  const uint32_t q = j >> 8, r = j & 255u;
  const int32_t a = kQuarterSineQ30[r], b = kQuarterSineQ30[256 - r];
  // sin and cos of 2 pi j / 1024 by quadrant.
  const int32_t sn = q == 0 ? a : q == 1 ? b : q == 2 ? -a : -b;
  const int32_t cs = q == 0 ? b : q == 1 ? -a : q == 2 ? -b : a;
  *c = cs;
  *s = -sn;
}

inline float FloatFromBits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}
inline uint32_t BitsFromFloat(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}
// True for finite floats (not NaN, not +-inf).
inline bool IsFiniteF(float f) { return (BitsFromFloat(f) & 0x7F800000u) != 0x7F800000u; }

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_DSP_MATH_H_
