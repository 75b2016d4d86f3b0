// SHA-256 (FIPS 180-4), streaming and one-shot. Freestanding, no heap, no
// tables in RAM: the 64 round constants live in flash (256 bytes) and the
// message schedule is a rolling 16-word window, so a context is 108 bytes and
// a block costs about 200 bytes of stack. Used by the model signature
// (micro/safety/model_signature.h) to hash a model while it sits in flash.
//
//   uint8_t digest[kSha256Bytes];
//   Sha256(data, size, digest);                       // one shot
//   Sha256Context c;                                   // streaming
//   Sha256Init(&c);
//   Sha256Update(&c, part1, n1);
//   Sha256Update(&c, part2, n2);
//   Sha256Final(&c, digest);
#ifndef MOTE_MICRO_SAFETY_SHA256_H_
#define MOTE_MICRO_SAFETY_SHA256_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

constexpr size_t kSha256Bytes = 32;

struct Sha256Context {
  uint32_t state[8];
  uint64_t bytes;        // message length so far
  uint8_t block[64];     // pending input, bytes % 64 of it are valid
};

void Sha256Init(Sha256Context* c);
// REQUIRES: data != nullptr or size == 0.
void Sha256Update(Sha256Context* c, const void* data, size_t size);
// Writes the digest; the context must be re-initialised before reuse.
void Sha256Final(Sha256Context* c, uint8_t digest[kSha256Bytes]);
void Sha256(const void* data, size_t size, uint8_t digest[kSha256Bytes]);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_SHA256_H_
