#include "micro/safety/fe25519.h"

#include <string.h>

namespace mote::micro::fe {
namespace {

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

void FeMul(Fe* r, const Fe& a, const Fe& b) {
  uint32_t t[16] = {0};
  for (int i = 0; i < 8; ++i) {
    uint32_t carry = 0;
    for (int j = 0; j < 8; ++j) {  // a*b + t + carry < 2^64: one UMAAL on Armv7E-M
      const uint64_t x = static_cast<uint64_t>(a.v[i]) * b.v[j] + t[i + j] + carry;
      t[i + j] = static_cast<uint32_t>(x);
      carry = static_cast<uint32_t>(x >> 32);
    }
    t[i + 8] = carry;
  }
  uint64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    c += t[i] + uint64_t{38} * t[i + 8];
    r->v[i] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  Fold(r->v, static_cast<int64_t>(c));
}

void FePow(Fe* r, const Fe& a, bool invert) {
  // p - 2 = 2^255 - 21: bits 254..0 all set except bits 4 and 2.
  // (p - 5) / 8 = 2^252 - 3: bits 251..0 all set except bit 1.
  Fe c = a;
  for (int bit = invert ? 253 : 250; bit >= 0; --bit) {
    FeMul(&c, c, c);
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
