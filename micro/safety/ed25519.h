// Ed25519 signature verification (RFC 8032, "pure" Ed25519, no context),
// freestanding: no heap, no tables beyond a few constants, about 1.3 KB of
// stack (Cortex-M4 -Os: a 896-byte frame plus 376 bytes in callees). Signing stays on the host (host/io/signing.h, libsodium).
//
// Accepts exactly what libsodium 1.0.18's crypto_sign_verify_detached
// accepts (the tests compare both on random and corrupted inputs). It rejects:
//   - S >= L (non-canonical scalar; blocks signature malleability),
//   - R or A whose encoding is one of the 7 small-order encodings (y of a
//     point of order 1, 2, 4 or 8, canonical or y + p, sign bit ignored),
//   - A with y >= p (non-canonical) or not on the curve,
//   - R whose bytes differ from the canonical encoding of [S]B - [h]A, with
//     h = SHA-512(R || A || M) mod L (no cofactor; non-canonical R never match).
// Not constant time: every input is public.
//
//   if (!Ed25519Verify(sig, message, message_size, public_key)) return Status::kBadSignature;
#ifndef MOTE_MICRO_SAFETY_ED25519_H_
#define MOTE_MICRO_SAFETY_ED25519_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

constexpr size_t kEd25519PublicKeyBytes = 32;
constexpr size_t kEd25519SignatureBytes = 64;

// True when `signature` (R || S) is a valid signature of `message` by `public_key`.
// REQUIRES: message != nullptr or size == 0.
bool Ed25519Verify(const uint8_t signature[kEd25519SignatureBytes], const uint8_t* message,
                   size_t size, const uint8_t public_key[kEd25519PublicKeyBytes]);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_ED25519_H_
