// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final
// XOR 0xFFFFFFFF), the checksum of zlib, PNG and Ethernet. Used by the
// on-device records (model slots, field log, telemetry, manifest).
//
// Freestanding, no tables in RAM: a 16-entry nibble table in flash (64 bytes).
//
//   uint32_t crc = Crc32(data, size);                 // one shot
//   uint32_t c = kCrc32Init;                          // streaming
//   c = Crc32Update(c, part1, n1); c = Crc32Update(c, part2, n2);
//   uint32_t crc = Crc32Final(c);
#ifndef MOTE_MICRO_SAFETY_CRC32_H_
#define MOTE_MICRO_SAFETY_CRC32_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

constexpr uint32_t kCrc32Init = 0xFFFFFFFFu;

// REQUIRES: data != nullptr or size == 0.
uint32_t Crc32Update(uint32_t state, const void* data, size_t size);
inline uint32_t Crc32Final(uint32_t state) { return state ^ 0xFFFFFFFFu; }
inline uint32_t Crc32(const void* data, size_t size) {
  return Crc32Final(Crc32Update(kCrc32Init, data, size));
}

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_CRC32_H_
