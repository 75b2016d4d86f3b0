// Little-endian loads and stores of record fields, and the float finiteness
// test, shared by the safety record formats (manifest, telemetry, model
// slots, field log ring). Byte by byte: any alignment, any host byte order.
//
//   uint8_t rec[8];
//   StoreLe32(rec, 0x544C534Du);          // "MSLT"
//   uint32_t magic = LoadLe32(rec);
//   if (!IsFinite(LoadLeF32(rec + 4))) ...;
#ifndef MOTE_MICRO_SAFETY_LE_BYTES_H_
#define MOTE_MICRO_SAFETY_LE_BYTES_H_

#include <stdint.h>
#include <string.h>

namespace mote::micro {

inline uint16_t LoadLe16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t LoadLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline float LoadLeF32(const uint8_t* p) {
  const uint32_t u = LoadLe32(p);
  float f;
  memcpy(&f, &u, 4);
  return f;
}
inline void StoreLe16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void StoreLe32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void StoreLeF32(uint8_t* p, float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  StoreLe32(p, u);
}
// False for NaN and +-Inf (exponent bits all ones); no <math.h> needed.
inline bool IsFinite(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return (u & 0x7F800000u) != 0x7F800000u;
}

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_LE_BYTES_H_
