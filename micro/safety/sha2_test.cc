// SHA-256 and SHA-512: FIPS 180-4 example vectors, and agreement with
// libsodium's crypto_hash_sha256/512 on every length 0..3000, one-shot and
// streamed in random pieces (empty ones and block-crossing ones included).
#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <string>
#include <vector>

#include "micro/safety/sha256.h"
#include "micro/safety/sha512.h"

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

// One algorithm: mote's streaming and one-shot calls beside libsodium's.
template <typename Ctx, size_t kBytes>
struct Algorithm {
  void (*init)(Ctx*);
  void (*update)(Ctx*, const void*, size_t);
  void (*final)(Ctx*, uint8_t*);
  void (*one_shot)(const void*, size_t, uint8_t*);
  int (*sodium)(unsigned char*, const unsigned char*, unsigned long long);
  size_t max_piece;

  std::string Hash(const std::string& m) const {
    uint8_t d[kBytes];
    one_shot(m.data(), m.size(), d);
    return Hex(d, kBytes);
  }

  void ExpectMatchesLibsodium(uint32_t seed) const {
    ASSERT_GE(sodium_init(), 0);
    std::mt19937 rng(seed);
    std::vector<uint8_t> data(3000);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    for (size_t n = 0; n <= data.size(); ++n) {
      uint8_t want[kBytes], one[kBytes], split[kBytes];
      sodium(want, data.data(), n);
      one_shot(data.data(), n, one);
      ASSERT_EQ(Hex(one, kBytes), Hex(want, kBytes)) << "length " << n;
      Ctx c;
      init(&c);
      size_t pos = 0;
      while (pos < n) {
        const size_t piece = std::min<size_t>(n - pos, rng() % max_piece);
        update(&c, data.data() + pos, piece);
        pos += piece;
      }
      final(&c, split);
      ASSERT_EQ(Hex(split, kBytes), Hex(want, kBytes)) << "length " << n << " streamed";
    }
  }
};

const Algorithm<Sha256Context, kSha256Bytes> kSha256Algo{
    Sha256Init, Sha256Update, Sha256Final, Sha256, crypto_hash_sha256, 150};
const Algorithm<Sha512Context, kSha512Bytes> kSha512Algo{
    Sha512Init, Sha512Update, Sha512Final, Sha512, crypto_hash_sha512, 300};

TEST(Sha256, FipsVectors) {
  const auto& a = kSha256Algo;
  EXPECT_EQ(a.Hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(a.Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(a.Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(a.Hash(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha512, FipsVectors) {
  const auto& a = kSha512Algo;
  EXPECT_EQ(a.Hash(""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(a.Hash("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(a.Hash("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                   "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  EXPECT_EQ(a.Hash(std::string(1000000, 'a')),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST(Sha256, MatchesLibsodiumOnAllLengthsAndSplits) { kSha256Algo.ExpectMatchesLibsodium(256); }

TEST(Sha512, MatchesLibsodiumOnAllLengthsAndSplits) { kSha512Algo.ExpectMatchesLibsodium(512); }

}  // namespace
}  // namespace mote::micro
