#include "host/io/sha256.h"

#include "micro/safety/sha256.h"

namespace mote::host {

std::string Sha256Hex(const uint8_t* data, size_t size) {
  uint8_t digest[micro::kSha256Bytes];
  micro::Sha256(data, size, digest);
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof(digest));
  for (uint8_t b : digest) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

}  // namespace mote::host
