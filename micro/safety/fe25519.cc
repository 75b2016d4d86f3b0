#include "micro/safety/fe25519.h"

#include <string.h>

namespace mote::micro::fe {
namespace {

// Returns the high word of a * b + *lo + carry and stores the low word in
// *lo (never overflows 64 bits). On Armv7E-M (Cortex-M4/M7/M33 with DSP)
// this is the single instruction UMAAL, which GCC does not select itself.
inline uint32_t MulAdd(uint32_t a, uint32_t b, uint32_t* lo, uint32_t carry) {
#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__)
  uint32_t l = *lo;
  __asm__("umaal %0, %1, %2, %3" : "+r"(l), "+r"(carry) : "r"(a), "r"(b));
  *lo = l;
  return carry;
#else
  const uint64_t x = static_cast<uint64_t>(a) * b + *lo + carry;
  *lo = static_cast<uint32_t>(x);
  return static_cast<uint32_t>(x >> 32);
#endif
}

// Adds c * 2^256 = 38c (mod p) back into r; c may be negative (a borrow).
void Fold(uint32_t r[8], int64_t c) {
  while (c != 0) {
    c *= 38;
    for (int i = 0; i < 8; ++i) {
      c += r[i];
      r[i] = static_cast<uint32_t>(c);
      c >>= 32;  // arithmetic shift: carries and borrows alike
    }
  }
}

}  // namespace

void FeFromBytes(Fe* r, const uint8_t s[32]) {
  for (int i = 0; i < 8; ++i) {
    const uint8_t* p = s + 4 * i;
    r->v[i] = p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
  }
  r->v[7] &= 0x7fffffffu;
}

void FeToBytes(uint8_t s[32], const Fe& a) {
  uint32_t t[8];
  memcpy(t, a.v, sizeof(t));
  // Any value below 2^256 is below 3p: at most two subtractions of p.
  for (int round = 0; round < 2; ++round) {
    uint32_t d[8];
    int64_t c = 0;
    for (int i = 0; i < 8; ++i) {
      const uint32_t pi = i == 0 ? 0xffffffedu : i == 7 ? 0x7fffffffu : 0xffffffffu;
      c += static_cast<int64_t>(t[i]) - pi;
      d[i] = static_cast<uint32_t>(c);
      c >>= 32;
    }
    if (c == 0) memcpy(t, d, sizeof(t));  // no borrow: t >= p
  }
  for (int i = 0; i < 32; ++i) s[i] = static_cast<uint8_t>(t[i / 4] >> (8 * (i % 4)));
}

void FeSet(Fe* r, uint32_t small) {
  memset(r->v, 0, sizeof(r->v));
  r->v[0] = small;
}

void FeAdd(Fe* r, const Fe& a, const Fe& b) {
  int64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    c += static_cast<int64_t>(a.v[i]) + b.v[i];
    r->v[i] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  Fold(r->v, c);
}

void FeSub(Fe* r, const Fe& a, const Fe& b) {
  int64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    c += static_cast<int64_t>(a.v[i]) - b.v[i];
    r->v[i] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  Fold(r->v, c);
}

namespace {

// r = t mod p (t a 512-bit product): low half + 38 * high half, then folded.
void Reduce(Fe* r, const uint32_t t[16]) {
  uint64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    c += t[i] + uint64_t{38} * t[i + 8];
    r->v[i] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  Fold(r->v, static_cast<int64_t>(c));
}

}  // namespace

void FeMul(Fe* r, const Fe& a, const Fe& b) {
  uint32_t t[16] = {0};
  for (int i = 0; i < 8; ++i) {
    uint32_t carry = 0;
    for (int j = 0; j < 8; ++j) carry = MulAdd(a.v[i], b.v[j], &t[i + j], carry);
    t[i + 8] = carry;
  }
  Reduce(r, t);
}

void FeSquare(Fe* r, const Fe& a) {
  // 28 products a_i a_j (i < j), doubled, plus the 8 squares a_i^2.
  uint32_t t[16] = {0};
  for (int i = 0; i < 7; ++i) {
    uint32_t carry = 0;
    for (int j = i + 1; j < 8; ++j) carry = MulAdd(a.v[i], a.v[j], &t[i + j], carry);
    t[i + 8] = carry;
  }
  for (int i = 15; i > 0; --i) t[i] = (t[i] << 1) | (t[i - 1] >> 31);
  t[0] <<= 1;
  uint64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    const uint64_t sq = static_cast<uint64_t>(a.v[i]) * a.v[i];
    c += t[2 * i] + (sq & 0xffffffffu);
    t[2 * i] = static_cast<uint32_t>(c);
    c >>= 32;
    c += t[2 * i + 1] + (sq >> 32);
    t[2 * i + 1] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  Reduce(r, t);
}

void FePow(Fe* r, const Fe& a, bool invert) {
  // p - 2 = 2^255 - 21: bits 254..0 all set except bits 4 and 2.
  // (p - 5) / 8 = 2^252 - 3: bits 251..0 all set except bit 1.
  Fe c = a;
  for (int bit = invert ? 253 : 250; bit >= 0; --bit) {
    FeSquare(&c, c);
    const bool set = invert ? (bit != 4 && bit != 2) : (bit != 1);
    if (set) FeMul(&c, c, a);
  }
  *r = c;
}

bool FeEqual(const Fe& a, const Fe& b) {
  uint8_t x[32], y[32];
  FeToBytes(x, a);
  FeToBytes(y, b);
  return memcmp(x, y, 32) == 0;
}

int FeIsOdd(const Fe& a) {
  uint8_t x[32];
  FeToBytes(x, a);
  return x[0] & 1;
}

}  // namespace mote::micro::fe
