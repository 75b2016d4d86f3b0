// The machinery SHA-256 and SHA-512 (FIPS 180-4) share: the compression
// round over a rolling 16-word message schedule, block buffering and the
// final padding. Each algorithm supplies its word type, round constants and
// rotation amounts as a traits struct (see sha256.cc, sha512.cc):
//
//   struct Traits {
//     using Word = uint32_t;            // or uint64_t
//     static constexpr int kRounds = 64;
//     static constexpr const Word* K;   // kRounds constants
//     static Word Sum0(Word a), Sum1(Word e), Sigma0(Word x), Sigma1(Word x);
//   };
//   Sha2Update<Traits>(state, block, &bytes, data, size);
//   Sha2Final<Traits>(state, block, bytes, digest);
//
// Internal to micro/safety: include it only from the two .cc files.
#ifndef MOTE_MICRO_SAFETY_SHA2_CORE_H_
#define MOTE_MICRO_SAFETY_SHA2_CORE_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace mote::micro::sha2 {

template <typename Word>
inline Word Rotr(Word x, unsigned n) {
  return (x >> n) | (x << (8 * sizeof(Word) - n));
}

template <typename T>
void Compress(typename T::Word state[8], const uint8_t* block) {
  using Word = typename T::Word;
  Word w[16];
  for (int i = 0; i < 16; ++i) {
    Word x = 0;
    for (size_t j = 0; j < sizeof(Word); ++j) x = (x << 8) | block[sizeof(Word) * i + j];
    w[i] = x;
  }
  Word a = state[0], b = state[1], c = state[2], d = state[3];
  Word e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < T::kRounds; ++t) {
    Word wt = w[t & 15];
    if (t >= 16) {  // w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16], in place
      wt = w[t & 15] = wt + T::Sigma0(w[(t - 15) & 15]) + w[(t - 7) & 15] +
                       T::Sigma1(w[(t - 2) & 15]);
    }
    const Word t1 = h + T::Sum1(e) + ((e & f) ^ (~e & g)) + T::K[t] + wt;
    const Word t2 = T::Sum0(a) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

// A block is 16 words; `bytes` counts the whole message so far.
template <typename T>
void Update(typename T::Word state[8], uint8_t* block, uint64_t* bytes, const void* data,
            size_t size) {
  constexpr size_t kBlock = 16 * sizeof(typename T::Word);
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const size_t used = static_cast<size_t>(*bytes % kBlock);
    size_t n = kBlock - used;
    if (n > size) n = size;
    if (used == 0 && n == kBlock) {
      Compress<T>(state, p);  // whole block straight from the input
    } else {
      memcpy(block + used, p, n);
      if (used + n == kBlock) Compress<T>(state, block);
    }
    *bytes += n;
    p += n;
    size -= n;
  }
}

// Pads with 0x80, zeros and the big-endian bit length (two words wide), then
// writes the 8 state words big-endian to `digest`.
template <typename T>
void Final(typename T::Word state[8], uint8_t* block, uint64_t bytes, uint8_t* digest) {
  using Word = typename T::Word;
  constexpr size_t kWord = sizeof(Word);
  constexpr size_t kBlock = 16 * kWord;
  constexpr size_t kLengthAt = kBlock - 2 * kWord;
  size_t used = static_cast<size_t>(bytes % kBlock);
  block[used++] = 0x80;
  if (used > kLengthAt) {
    memset(block + used, 0, kBlock - used);
    Compress<T>(state, block);
    used = 0;
  }
  memset(block + used, 0, kBlock - used);
  const uint64_t bits = bytes << 3;
  const uint64_t high = bytes >> 61;  // bits above 64 (SHA-512's 128-bit length)
  for (int i = 0; i < 8; ++i) {
    block[kBlock - 8 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    if (kWord == 8) block[kBlock - 16 + i] = static_cast<uint8_t>(high >> (56 - 8 * i));
  }
  Compress<T>(state, block);
  for (size_t i = 0; i < 8 * kWord; ++i) {
    digest[i] = static_cast<uint8_t>(state[i / kWord] >> (8 * (kWord - 1 - i % kWord)));
  }
}

}  // namespace mote::micro::sha2

#endif  // MOTE_MICRO_SAFETY_SHA2_CORE_H_
