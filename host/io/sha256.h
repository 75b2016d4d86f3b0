// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Host
// convenience over the device implementation (micro/safety/sha256.h), used
// to stamp generated C arrays.
//
//   std::string hex = host::Sha256Hex(bytes.data(), bytes.size());
#ifndef MOTE_HOST_IO_SHA256_H_
#define MOTE_HOST_IO_SHA256_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace mote::host {

std::string Sha256Hex(const uint8_t* data, size_t size);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_SHA256_H_
