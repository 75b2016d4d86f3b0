#include "micro/safety/ed25519.h"

#include <string.h>

#include "micro/safety/fe25519.h"
#include "micro/safety/sha512.h"

namespace mote::micro {
namespace {

using fe::Fe;

// Curve constant d = -121665/121666, 2d, sqrt(-1) = 2^((p-1)/4), all mod p.
constexpr Fe kD = {{0x135978a3u, 0x75eb4dcau, 0x4141d8abu, 0x00700a4du, 0x7779e898u,
                    0x8cc74079u, 0x2b6ffe73u, 0x52036ceeu}};
constexpr Fe kD2 = {{0x26b2f159u, 0xebd69b94u, 0x8283b156u, 0x00e0149au, 0xeef3d130u,
                     0x198e80f2u, 0x56dffce7u, 0x2406d9dcu}};
constexpr Fe kSqrtM1 = {{0x4a0ea0b0u, 0xc4ee1b27u, 0xad2fe478u, 0x2f431806u, 0x3dfbd7a7u,
                         0x2b4d0099u, 0x4fc1df0bu, 0x2b832480u}};
// y^2 of the points of order 8 (y = +-y8); orders 1, 2, 4 have y^2 = 1 or 0.
constexpr Fe kOrder8YSquared = {{0x9c155291u, 0xae479185u, 0xb4f0a103u, 0x6bdf9e34u,
                                 0xba609c05u, 0xc2c2ebc2u, 0x8bd5b257u, 0x76b9125bu}};
// The base point B: y = 4/5, x the even root.
constexpr Fe kBaseX = {{0x8f25d51au, 0xc9562d60u, 0x9525a7b2u, 0x692cc760u, 0xfdd6dc5cu,
                        0xc0a4e231u, 0xcd6e53feu, 0x216936d3u}};
constexpr Fe kBaseY = {{0x66666658u, 0x66666666u, 0x66666666u, 0x66666666u, 0x66666666u,
                        0x66666666u, 0x66666666u, 0x66666666u}};
// The group order L = 2^252 + 27742317777372353535851937790883648493.
constexpr uint32_t kL[8] = {0x5cf5d3edu, 0x5812631au, 0xa2f79cd6u, 0x14def9deu,
                            0, 0, 0, 0x10000000u};

// A point in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z.
struct Point {
  Fe x, y, z, t;
};

// r = p + q (add-2008-hwcd-3, complete for Ed25519).
void Add(Point* r, const Point& p, const Point& q) {
  Fe a, b, c, d, e, f, g, h;
  fe::FeSub(&a, p.y, p.x);
  fe::FeSub(&h, q.y, q.x);
  fe::FeMul(&a, a, h);
  fe::FeAdd(&b, p.y, p.x);
  fe::FeAdd(&h, q.y, q.x);
  fe::FeMul(&b, b, h);
  fe::FeMul(&c, p.t, q.t);
  fe::FeMul(&c, c, kD2);
  fe::FeMul(&d, p.z, q.z);
  fe::FeAdd(&d, d, d);
  fe::FeSub(&e, b, a);
  fe::FeSub(&f, d, c);
  fe::FeAdd(&g, d, c);
  fe::FeAdd(&h, b, a);
  fe::FeMul(&r->x, e, f);
  fe::FeMul(&r->y, g, h);
  fe::FeMul(&r->t, e, h);
  fe::FeMul(&r->z, f, g);
}

// r = 2p (dbl-2008-hwcd with a = -1; F and H negated, which negates all four
// output coordinates: the same projective point). Does not read p.t.
void Double(Point* r, const Point& p) {
  Fe a, b, c, e, g, h;
  fe::FeSquare(&a, p.x);
  fe::FeSquare(&b, p.y);
  fe::FeSquare(&c, p.z);
  fe::FeAdd(&c, c, c);      // C = 2 Z^2
  fe::FeAdd(&h, a, b);      // H' = A + B
  fe::FeAdd(&e, p.x, p.y);
  fe::FeSquare(&e, e);
  fe::FeSub(&e, e, h);      // E = (X + Y)^2 - A - B
  fe::FeSub(&g, b, a);      // G = B - A
  fe::FeSub(&c, c, g);      // F' = C - G
  fe::FeMul(&r->x, e, c);
  fe::FeMul(&r->y, g, h);
  fe::FeMul(&r->t, e, h);
  fe::FeMul(&r->z, c, g);
}

// Decodes a point (RFC 8032 5.1.3) without the y < p check; false when x^2
// has no square root. x = 0 with the sign bit set only arises for y = +-1,
// which the small-order check rejects before decoding.
bool Decode(Point* r, const uint8_t s[32]) {
  Fe u, v, v3, vxx;
  fe::FeFromBytes(&r->y, s);
  fe::FeSet(&r->z, 1);
  fe::FeSquare(&u, r->y);
  fe::FeMul(&v, u, kD);
  fe::FeSub(&u, u, r->z);          // u = y^2 - 1
  fe::FeAdd(&v, v, r->z);          // v = d y^2 + 1
  fe::FeSquare(&v3, v);
  fe::FeMul(&v3, v3, v);           // v^3
  fe::FeSquare(&r->x, v3);
  fe::FeMul(&r->x, r->x, v);
  fe::FeMul(&r->x, r->x, u);       // u v^7
  fe::FePow(&r->x, r->x, false);   // (u v^7)^((p-5)/8)
  fe::FeMul(&r->x, r->x, v3);
  fe::FeMul(&r->x, r->x, u);       // candidate x = u v^3 (u v^7)^((p-5)/8)
  fe::FeSquare(&vxx, r->x);
  fe::FeMul(&vxx, vxx, v);
  if (!fe::FeEqual(vxx, u)) {
    fe::FeAdd(&vxx, vxx, u);
    fe::FeSet(&v, 0);
    if (!fe::FeEqual(vxx, v)) return false;  // v x^2 is neither u nor -u
    fe::FeMul(&r->x, r->x, kSqrtM1);
  }
  if (fe::FeIsOdd(r->x) != (s[31] >> 7)) {
    fe::FeSet(&v, 0);
    fe::FeSub(&r->x, v, r->x);
  }
  fe::FeMul(&r->t, r->x, r->y);
  return true;
}

void Encode(uint8_t s[32], const Point& p) {
  Fe zi, x, y;
  fe::FePow(&zi, p.z, true);
  fe::FeMul(&x, p.x, zi);
  fe::FeMul(&y, p.y, zi);
  fe::FeToBytes(s, y);
  s[31] |= static_cast<uint8_t>(fe::FeIsOdd(x) << 7);
}

// y (bit 255 ignored) is the y of a point of order 1, 2, 4 or 8, i.e.
// y^2 = 0, 1 or kOrder8YSquared mod p. Matches libsodium's list of 7 encodings.
bool HasSmallOrder(const uint8_t s[32]) {
  Fe y, one;
  fe::FeFromBytes(&y, s);
  fe::FeSquare(&y, y);
  fe::FeSet(&one, 1);
  uint8_t b[32];
  fe::FeToBytes(b, y);
  bool zero = true;
  for (int i = 0; i < 32; ++i) zero = zero && b[i] == 0;
  return zero || fe::FeEqual(y, one) || fe::FeEqual(y, kOrder8YSquared);
}

// y (bit 255 ignored) < p.
bool IsCanonicalY(const uint8_t s[32]) {
  Fe y;
  fe::FeFromBytes(&y, s);
  uint8_t b[32];
  fe::FeToBytes(b, y);
  return memcmp(b, s, 31) == 0 && b[31] == (s[31] & 0x7f);
}

// r -= L when r >= L; returns whether it subtracted.
bool SubtractLIfAtLeast(uint32_t r[8]) {
  uint32_t d[8];
  int64_t c = 0;
  for (int i = 0; i < 8; ++i) {
    c += static_cast<int64_t>(r[i]) - kL[i];
    d[i] = static_cast<uint32_t>(c);
    c >>= 32;
  }
  if (c != 0) return false;
  memcpy(r, d, sizeof(d));
  return true;
}

void LoadWords(uint32_t w[8], const uint8_t s[32]) {
  for (int i = 0; i < 8; ++i) {
    const uint8_t* p = s + 4 * i;
    w[i] = p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
  }
}

// r = the 512-bit little-endian number h mod L, one bit at a time (r < L
// before each step, so 2r + 1 < 2^254 fits and one subtraction suffices).
void ReduceModL(uint32_t r[8], const uint8_t h[64]) {
  memset(r, 0, 8 * sizeof(uint32_t));
  for (int bit = 511; bit >= 0; --bit) {
    for (int i = 7; i > 0; --i) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
    r[0] = (r[0] << 1) | ((h[bit >> 3] >> (bit & 7)) & 1u);
    SubtractLIfAtLeast(r);
  }
}

}  // namespace

bool Ed25519Verify(const uint8_t signature[kEd25519SignatureBytes], const uint8_t* message,
                   size_t size, const uint8_t public_key[kEd25519PublicKeyBytes]) {
  const uint8_t* r_bytes = signature;
  uint32_t s[8];
  LoadWords(s, signature + 32);
  if (SubtractLIfAtLeast(s)) return false;  // S >= L
  if (HasSmallOrder(r_bytes)) return false;
  if (!IsCanonicalY(public_key) || HasSmallOrder(public_key)) return false;
  Point neg_a;
  if (!Decode(&neg_a, public_key)) return false;
  Fe zero;
  fe::FeSet(&zero, 0);
  fe::FeSub(&neg_a.x, zero, neg_a.x);
  fe::FeSub(&neg_a.t, zero, neg_a.t);

  uint32_t h[8];
  {
    uint8_t digest[kSha512Bytes];
    Sha512Context c;
    Sha512Init(&c);
    Sha512Update(&c, r_bytes, 32);
    Sha512Update(&c, public_key, 32);
    Sha512Update(&c, message, size);
    Sha512Final(&c, digest);
    ReduceModL(h, digest);
  }

  Point b, b_minus_a, acc;
  b.x = kBaseX;
  b.y = kBaseY;
  fe::FeSet(&b.z, 1);
  fe::FeMul(&b.t, b.x, b.y);
  Add(&b_minus_a, b, neg_a);

  // acc = [S]B + [h](-A), both scalars < 2^253, bits from the top (Straus).
  fe::FeSet(&acc.x, 0);
  fe::FeSet(&acc.y, 1);
  fe::FeSet(&acc.z, 1);
  fe::FeSet(&acc.t, 0);
  for (int bit = 252; bit >= 0; --bit) {
    Double(&acc, acc);
    const uint32_t sb = (s[bit >> 5] >> (bit & 31)) & 1u;
    const uint32_t hb = (h[bit >> 5] >> (bit & 31)) & 1u;
    if (sb && hb) {
      Add(&acc, acc, b_minus_a);
    } else if (sb) {
      Add(&acc, acc, b);
    } else if (hb) {
      Add(&acc, acc, neg_a);
    }
  }
  uint8_t check[32];
  Encode(check, acc);
  return memcmp(check, r_bytes, 32) == 0;
}

}  // namespace mote::micro
