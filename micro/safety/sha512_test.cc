// SHA-512: FIPS 180-4 example vectors, and agreement with libsodium's
// crypto_hash_sha512 on every length 0..3000 with one-shot and split inputs.
#include "micro/safety/sha512.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <string>
#include <vector>

namespace mote::micro {
namespace {

std::string Hex(const uint8_t* p, size_t n) {
  std::string s;
  char b[3];
  for (size_t i = 0; i < n; ++i) {
    snprintf(b, sizeof(b), "%02x", p[i]);
    s += b;
  }
  return s;
}

std::string Sha512Hex(const std::string& m) {
  uint8_t d[kSha512Bytes];
  Sha512(m.data(), m.size(), d);
  return Hex(d, sizeof(d));
}

TEST(Sha512, FipsVectors) {
  EXPECT_EQ(Sha512Hex(""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(Sha512Hex("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(Sha512Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  EXPECT_EQ(Sha512Hex(std::string(1000000, 'a')),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST(Sha512, MatchesLibsodiumOnAllLengthsAndSplits) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 rng(512);
  std::vector<uint8_t> data(3000);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n = 0; n <= data.size(); ++n) {
    uint8_t want[kSha512Bytes], one[kSha512Bytes], split[kSha512Bytes];
    crypto_hash_sha512(want, data.data(), n);
    Sha512(data.data(), n, one);
    ASSERT_EQ(Hex(one, 64), Hex(want, 64)) << "length " << n;
    // Streaming: random pieces, including empty ones and block-crossing ones.
    Sha512Context c;
    Sha512Init(&c);
    size_t pos = 0;
    while (pos < n) {
      const size_t piece = std::min<size_t>(n - pos, rng() % 300);
      Sha512Update(&c, data.data() + pos, piece);
      pos += piece;
    }
    Sha512Final(&c, split);
    ASSERT_EQ(Hex(split, 64), Hex(want, 64)) << "length " << n << " streamed";
  }
}

}  // namespace
}  // namespace mote::micro
