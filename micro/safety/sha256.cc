#include "micro/safety/sha256.h"

#include <string.h>

namespace mote::micro {
namespace {

constexpr uint32_t kK[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};

inline uint32_t Rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

void Compress(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[16];
  for (int i = 0; i < 16; ++i) {
    const uint8_t* p = block + 4 * i;
    w[i] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    uint32_t wt = w[t & 15];
    if (t >= 16) {  // w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16], in place
      const uint32_t x = w[(t - 15) & 15], y = w[(t - 2) & 15];
      const uint32_t s0 = Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
      const uint32_t s1 = Rotr(y, 17) ^ Rotr(y, 19) ^ (y >> 10);
      wt = w[t & 15] = wt + s0 + w[(t - 7) & 15] + s1;
    }
    const uint32_t t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) +
                        ((e & f) ^ (~e & g)) + kK[t] + wt;
    const uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) +
                        ((a & b) ^ (a & c) ^ (b & c));
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

}  // namespace

void Sha256Init(Sha256Context* c) {
  static constexpr uint32_t kInit[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
  memcpy(c->state, kInit, sizeof(kInit));
  c->bytes = 0;
}

void Sha256Update(Sha256Context* c, const void* data, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const size_t used = static_cast<size_t>(c->bytes & 63u);
    size_t n = 64 - used;
    if (n > size) n = size;
    if (used == 0 && n == 64) {
      Compress(c->state, p);  // whole block straight from the input
    } else {
      memcpy(c->block + used, p, n);
      if (used + n == 64) Compress(c->state, c->block);
    }
    c->bytes += n;
    p += n;
    size -= n;
  }
}

void Sha256Final(Sha256Context* c, uint8_t digest[kSha256Bytes]) {
  const uint64_t bits = c->bytes << 3;
  size_t used = static_cast<size_t>(c->bytes & 63u);
  c->block[used++] = 0x80;
  if (used > 56) {
    memset(c->block + used, 0, 64 - used);
    Compress(c->state, c->block);
    used = 0;
  }
  memset(c->block + used, 0, 56 - used);
  for (int i = 0; i < 8; ++i) c->block[56 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  Compress(c->state, c->block);
  for (int i = 0; i < 32; ++i) digest[i] = static_cast<uint8_t>(c->state[i / 4] >> (24 - 8 * (i % 4)));
}

void Sha256(const void* data, size_t size, uint8_t digest[kSha256Bytes]) {
  Sha256Context c;
  Sha256Init(&c);
  Sha256Update(&c, data, size);
  Sha256Final(&c, digest);
}

}  // namespace mote::micro
