#include "micro/safety/crc32.h"

#include <cstring>

#include <gtest/gtest.h>

namespace mote::micro {
namespace {

// Bitwise definition, one bit at a time: the oracle for the nibble table.
uint32_t Crc32Bitwise(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int b = 0; b < 8; ++b) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32("", 0), 0x00000000u);
  EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(Crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

TEST(Crc32Test, StreamingEqualsOneShotAndBitwise) {
  uint8_t buf[300];
  uint32_t x = 12345;
  for (auto& b : buf) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  for (size_t n = 0; n <= sizeof(buf); n += 7) {
    const uint32_t whole = Crc32(buf, n);
    EXPECT_EQ(whole, Crc32Bitwise(buf, n)) << n;
    const size_t cut = n / 3;
    uint32_t c = Crc32Update(kCrc32Init, buf, cut);
    c = Crc32Update(c, buf + cut, n - cut);
    EXPECT_EQ(Crc32Final(c), whole) << n;
  }
}

}  // namespace
}  // namespace mote::micro
