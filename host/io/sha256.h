// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Host
// only; used to stamp generated C arrays.
#ifndef MOTE_HOST_IO_SHA256_H_
#define MOTE_HOST_IO_SHA256_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace mote::host {

std::string Sha256Hex(const uint8_t* data, size_t size);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_SHA256_H_
