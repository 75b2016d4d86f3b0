// Ed25519 verify: RFC 8032 section 7.1 vectors, and decision-for-decision
// agreement with libsodium's crypto_sign_verify_detached on random valid
// signatures, corrupted ones, non-canonical S, small-order and
// non-canonical keys and R values.
#include "micro/safety/ed25519.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <random>
#include <string>
#include <vector>

namespace mote::micro {
namespace {

std::vector<uint8_t> FromHex(const std::string& h) {
  std::vector<uint8_t> v(h.size() / 2);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(std::stoi(h.substr(2 * i, 2), nullptr, 16));
  return v;
}

bool Sodium(const uint8_t* sig, const uint8_t* m, size_t n, const uint8_t* pk) {
  return crypto_sign_verify_detached(sig, m, n, pk) == 0;
}

bool Mote(const uint8_t* sig, const uint8_t* m, size_t n, const uint8_t* pk) {
  return Ed25519Verify(sig, m, n, pk);
}

class Ed25519 : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

struct RfcVector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032, section 7.1: TEST 1, TEST 2, TEST 3 and TEST SHA(abc).
const RfcVector kRfc[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
     "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
     "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290"
     "ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a8"
     "36ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ec"
     "fdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

TEST_F(Ed25519, Rfc8032Vectors) {
  for (const RfcVector& v : kRfc) {
    const auto seed = FromHex(v.secret), pk = FromHex(v.public_key), m = FromHex(v.message),
               sig = FromHex(v.signature);
    // The vector is self-consistent under libsodium (keys and deterministic signature).
    uint8_t derived_pk[32], sk[64], resig[64];
    crypto_sign_seed_keypair(derived_pk, sk, seed.data());
    ASSERT_EQ(std::vector<uint8_t>(derived_pk, derived_pk + 32), pk) << v.public_key;
    crypto_sign_detached(resig, nullptr, m.data(), m.size(), sk);
    ASSERT_EQ(std::vector<uint8_t>(resig, resig + 64), sig) << v.signature;
    EXPECT_TRUE(Mote(sig.data(), m.data(), m.size(), pk.data())) << v.signature;
    auto bad = sig;
    bad[0] ^= 1;
    EXPECT_FALSE(Mote(bad.data(), m.data(), m.size(), pk.data()));
  }
}

TEST_F(Ed25519, RandomSignaturesAndCorruptionsAgreeWithLibsodium) {
  std::mt19937 rng(25519);
  int accepted = 0, corrupted_rejected = 0;
  for (int i = 0; i < 10000; ++i) {
    uint8_t pk[32], sk[64], sig[64];
    crypto_sign_keypair(pk, sk);
    std::vector<uint8_t> m(rng() % 200);
    for (auto& b : m) b = static_cast<uint8_t>(rng());
    crypto_sign_detached(sig, nullptr, m.data(), m.size(), sk);
    ASSERT_TRUE(Mote(sig, m.data(), m.size(), pk)) << "valid signature " << i << " rejected";
    ++accepted;
    // One flipped bit in the signature, the message and the key.
    uint8_t s2[64], k2[32];
    memcpy(s2, sig, 64);
    s2[rng() % 64] ^= static_cast<uint8_t>(1u << (rng() % 8));
    const bool ms = Mote(s2, m.data(), m.size(), pk);
    ASSERT_EQ(ms, Sodium(s2, m.data(), m.size(), pk)) << "signature flip " << i;
    memcpy(k2, pk, 32);
    k2[rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
    const bool mk = Mote(sig, m.data(), m.size(), k2);
    ASSERT_EQ(mk, Sodium(sig, m.data(), m.size(), k2)) << "key flip " << i;
    bool mm = false;
    if (!m.empty()) {
      auto m2 = m;
      m2[rng() % m2.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      mm = Mote(sig, m2.data(), m2.size(), pk);
      ASSERT_EQ(mm, Sodium(sig, m2.data(), m2.size(), pk)) << "message flip " << i;
    }
    corrupted_rejected += !ms + !mk + !mm;
  }
  EXPECT_EQ(accepted, 10000);
  EXPECT_GE(corrupted_rejected, 29900);  // a bit flip almost never leaves a valid signature
}

TEST_F(Ed25519, RandomBytesAgreeWithLibsodium) {
  // Random keys (half of them not on the curve) and random signatures.
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    uint8_t pk[32], sig[64], m[16];
    for (auto& b : pk) b = static_cast<uint8_t>(rng());
    for (auto& b : sig) b = static_cast<uint8_t>(rng());
    for (auto& b : m) b = static_cast<uint8_t>(rng());
    if (i % 2) sig[63] &= 0x0f;  // S < 2^252: passes the canonical check
    ASSERT_EQ(Mote(sig, m, sizeof(m), pk), Sodium(sig, m, sizeof(m), pk)) << i;
  }
}

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const std::vector<uint8_t> kL = FromHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

// a + b for 256-bit little-endian numbers (no overflow in these tests).
std::vector<uint8_t> Add256(const uint8_t* a, const std::vector<uint8_t>& b) {
  std::vector<uint8_t> r(32);
  unsigned c = 0;
  for (int i = 0; i < 32; ++i) {
    c += a[i] + b[i];
    r[i] = static_cast<uint8_t>(c);
    c >>= 8;
  }
  return r;
}

TEST_F(Ed25519, NonCanonicalSIsRejected) {
  uint8_t pk[32], sk[64], sig[64];
  const uint8_t m[] = {1, 2, 3};
  crypto_sign_keypair(pk, sk);
  crypto_sign_detached(sig, nullptr, m, sizeof(m), sk);
  ASSERT_TRUE(Mote(sig, m, sizeof(m), pk));
  // S + L is the same scalar mod L: a naive verifier accepts it (malleability).
  const auto s_plus_l = Add256(sig + 32, kL);
  uint8_t forged[64];
  memcpy(forged, sig, 32);
  memcpy(forged + 32, s_plus_l.data(), 32);
  EXPECT_FALSE(Sodium(forged, m, sizeof(m), pk));
  EXPECT_FALSE(Mote(forged, m, sizeof(m), pk));
  // S = L exactly, and S = L - 1 (canonical, so only the equation decides).
  memcpy(forged + 32, kL.data(), 32);
  EXPECT_FALSE(Mote(forged, m, sizeof(m), pk));
  EXPECT_EQ(Mote(forged, m, sizeof(m), pk), Sodium(forged, m, sizeof(m), pk));
}

// The 7 small-order encodings libsodium blocks (sign bit clear).
std::vector<std::vector<uint8_t>> SmallOrderEncodings() {
  std::vector<std::vector<uint8_t>> v;
  std::vector<uint8_t> e(32, 0);
  v.push_back(e);  // y = 0 (order 4)
  e[0] = 1;
  v.push_back(e);  // y = 1 (identity)
  v.push_back(FromHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
  v.push_back(FromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
  std::vector<uint8_t> p(32, 0xff);
  p[31] = 0x7f;
  for (uint8_t low : {0xec, 0xed, 0xee}) {  // p - 1 (order 2), p (= 0), p + 1 (= 1)
    p[0] = low;
    v.push_back(p);
  }
  return v;
}

TEST_F(Ed25519, SmallOrderKeysAndRAreRejected) {
  const uint8_t m[] = {'m', 'o', 't', 'e'};
  for (auto enc : SmallOrderEncodings()) {
    for (int sign = 0; sign < 2; ++sign) {
      enc[31] = static_cast<uint8_t>((enc[31] & 0x7f) | (sign << 7));
      // With A of small order and S = 0, R = [S]B - [h]A is a small-order point
      // that a naive verifier could match: try every small-order R.
      for (const auto& r : SmallOrderEncodings()) {
        uint8_t sig[64] = {};
        memcpy(sig, r.data(), 32);
        EXPECT_FALSE(Mote(sig, m, sizeof(m), enc.data()));
        EXPECT_FALSE(Sodium(sig, m, sizeof(m), enc.data()));
      }
    }
  }
  // A valid key with a small-order R: rejected by both.
  uint8_t pk[32], sk[64], sig[64];
  crypto_sign_keypair(pk, sk);
  crypto_sign_detached(sig, nullptr, m, sizeof(m), sk);
  for (const auto& r : SmallOrderEncodings()) {
    uint8_t bad[64];
    memcpy(bad, sig, 64);
    memcpy(bad, r.data(), 32);
    EXPECT_FALSE(Mote(bad, m, sizeof(m), pk));
    EXPECT_FALSE(Sodium(bad, m, sizeof(m), pk));
  }
}

TEST_F(Ed25519, NonCanonicalKeysAgreeWithLibsodium) {
  // y = p + k for k = 0..18 (the only non-canonical y values), both sign bits.
  const uint8_t m[] = {9};
  std::mt19937 rng(1);
  for (int k = 0; k <= 18; ++k) {
    for (int sign = 0; sign < 2; ++sign) {
      std::vector<uint8_t> pk(32, 0xff);
      pk[0] = static_cast<uint8_t>(0xed + k);
      pk[31] = static_cast<uint8_t>(0x7f | (sign << 7));
      uint8_t sig[64];
      for (auto& b : sig) b = static_cast<uint8_t>(rng());
      sig[63] &= 0x0f;
      EXPECT_FALSE(Mote(sig, m, sizeof(m), pk.data())) << k;
      EXPECT_EQ(Mote(sig, m, sizeof(m), pk.data()), Sodium(sig, m, sizeof(m), pk.data()));
    }
  }
}

TEST_F(Ed25519, NonCanonicalREncodingIsRejected) {
  // R with the sign bit flipped, and R = y + p where that fits in 255 bits.
  std::mt19937 rng(3);
  int tried = 0;
  for (int i = 0; i < 200; ++i) {
    uint8_t pk[32], sk[64], sig[64], m[8];
    for (auto& b : m) b = static_cast<uint8_t>(rng());
    crypto_sign_keypair(pk, sk);
    crypto_sign_detached(sig, nullptr, m, sizeof(m), sk);
    uint8_t bad[64];
    memcpy(bad, sig, 64);
    bad[31] ^= 0x80;
    EXPECT_FALSE(Mote(bad, m, sizeof(m), pk));
    EXPECT_FALSE(Sodium(bad, m, sizeof(m), pk));
  }
  // y + p < 2^255 only for y < 19: R with y = 2..18 (non-canonical y = p + 2..).
  for (int y = 2; y < 19; ++y) {
    uint8_t pk[32], sk[64], sig[64];
    const uint8_t m[] = {static_cast<uint8_t>(y)};
    crypto_sign_keypair(pk, sk);
    crypto_sign_detached(sig, nullptr, m, sizeof(m), sk);
    std::vector<uint8_t> r(32, 0xff);
    r[0] = static_cast<uint8_t>(0xed + y);
    r[31] = 0x7f;
    memcpy(sig, r.data(), 32);
    EXPECT_EQ(Mote(sig, m, sizeof(m), pk), Sodium(sig, m, sizeof(m), pk));
    EXPECT_FALSE(Mote(sig, m, sizeof(m), pk));
    ++tried;
  }
  EXPECT_EQ(tried, 17);
}

}  // namespace
}  // namespace mote::micro
