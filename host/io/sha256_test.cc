// Sha256Hex (host wrapper over micro/safety/sha256) against libsodium's
// SHA-256 and the FIPS 180-4 example.
#include "host/io/sha256.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>
#include <vector>

namespace mote::host {
namespace {

TEST(HostSha256, MatchesLibsodium) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 rng(3);
  for (size_t n : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 1000u, 4099u}) {
    std::vector<uint8_t> m(n);
    for (auto& b : m) b = static_cast<uint8_t>(rng());
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, m.data(), m.size());
    char hex[2 * sizeof(d) + 1];
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    EXPECT_EQ(Sha256Hex(m.data(), m.size()), hex) << n;
  }
  const uint8_t abc[] = {'a', 'b', 'c'};
  EXPECT_EQ(Sha256Hex(abc, 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace mote::host
