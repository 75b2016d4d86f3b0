// Arithmetic modulo p = 2^255 - 19 for the Ed25519 verifier (ed25519.cc).
// Internal to micro/safety; not a general-purpose API.
//
// An element is eight 32-bit little-endian limbs holding any value below
// 2^256 that is congruent to the element (so up to two representatives);
// FeToBytes() reduces to the canonical one. Reduction uses 2^256 = 38 (mod p).
// Nothing here is constant time: the verifier handles public data only.
//
//   Fe a, b;
//   FeFromBytes(&a, bytes);           // 255 bits, top bit ignored
//   FeMul(&b, a, a);                  // outputs may alias inputs
//   uint8_t out[32];
//   FeToBytes(out, b);                // canonical encoding
#ifndef MOTE_MICRO_SAFETY_FE25519_H_
#define MOTE_MICRO_SAFETY_FE25519_H_

#include <stdint.h>

namespace mote::micro::fe {

struct Fe {
  uint32_t v[8];
};

void FeFromBytes(Fe* r, const uint8_t s[32]);  // ignores bit 255
void FeToBytes(uint8_t s[32], const Fe& a);    // canonical, < p
void FeSet(Fe* r, uint32_t small);
void FeAdd(Fe* r, const Fe& a, const Fe& b);
void FeSub(Fe* r, const Fe& a, const Fe& b);
void FeMul(Fe* r, const Fe& a, const Fe& b);
void FeSquare(Fe* r, const Fe& a);  // FeMul(r, a, a), 36 products instead of 64
// r = a^(p-2) = 1/a (0 for a = 0) when `invert`, else r = a^((p-5)/8).
void FePow(Fe* r, const Fe& a, bool invert);
// True when a and b are the same element (compares canonical encodings).
bool FeEqual(const Fe& a, const Fe& b);
// Bit 0 of the canonical encoding (the "sign" of x in point encodings).
int FeIsOdd(const Fe& a);

}  // namespace mote::micro::fe

#endif  // MOTE_MICRO_SAFETY_FE25519_H_
