// SHA-512 (FIPS 180-4), streaming and one-shot, in the style of sha256.h.
// Freestanding, no heap; the 80 round constants live in flash (640 bytes),
// the message schedule is a rolling 16-word window (a context is 200 bytes).
// Ed25519 (micro/safety/ed25519.h) needs it to hash R || A || message.
//
//   uint8_t digest[kSha512Bytes];
//   Sha512Context c;
//   Sha512Init(&c);
//   Sha512Update(&c, part1, n1);
//   Sha512Final(&c, digest);          // or Sha512(data, size, digest)
#ifndef MOTE_MICRO_SAFETY_SHA512_H_
#define MOTE_MICRO_SAFETY_SHA512_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

constexpr size_t kSha512Bytes = 64;

struct Sha512Context {
  uint64_t state[8];
  uint64_t bytes;        // message length so far (inputs up to 2^61 bytes)
  uint8_t block[128];    // pending input, bytes % 128 of it are valid
};

void Sha512Init(Sha512Context* c);
// REQUIRES: data != nullptr or size == 0.
void Sha512Update(Sha512Context* c, const void* data, size_t size);
// Writes the digest; the context must be re-initialised before reuse.
void Sha512Final(Sha512Context* c, uint8_t digest[kSha512Bytes]);
void Sha512(const void* data, size_t size, uint8_t digest[kSha512Bytes]);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_SHA512_H_
