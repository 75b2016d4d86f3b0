// SHA-256: FIPS 180-4 example vectors, and agreement with libsodium's
// crypto_hash_sha256 on every length 0..3000 with one-shot and split inputs.
#include "micro/safety/sha256.h"

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

std::string Sha256Hex(const std::string& m) {
  uint8_t d[kSha256Bytes];
  Sha256(m.data(), m.size(), d);
  return Hex(d, sizeof(d));
}

TEST(Sha256, FipsVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, MatchesLibsodiumOnAllLengthsAndSplits) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 rng(256);
  std::vector<uint8_t> data(3000);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  for (size_t n = 0; n <= data.size(); ++n) {
    uint8_t want[kSha256Bytes], one[kSha256Bytes], split[kSha256Bytes];
    crypto_hash_sha256(want, data.data(), n);
    Sha256(data.data(), n, one);
    ASSERT_EQ(Hex(one, 32), Hex(want, 32)) << "length " << n;
    // Streaming: random pieces, including empty ones and block-crossing ones.
    Sha256Context c;
    Sha256Init(&c);
    size_t pos = 0;
    while (pos < n) {
      const size_t piece = std::min<size_t>(n - pos, rng() % 150);
      Sha256Update(&c, data.data() + pos, piece);
      pos += piece;
    }
    Sha256Final(&c, split);
    ASSERT_EQ(Hex(split, 32), Hex(want, 32)) << "length " << n << " streamed";
  }
}

}  // namespace
}  // namespace mote::micro
