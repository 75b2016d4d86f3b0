#include "micro/safety/crc32.h"

namespace mote::micro {
namespace {

// kNibble[i] = CRC of the 4-bit value i shifted through the reflected polynomial.
constexpr uint32_t kNibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

}  // namespace

uint32_t Crc32Update(uint32_t state, const void* data, size_t size) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) {
    state ^= p[i];
    state = (state >> 4) ^ kNibble[state & 15u];
    state = (state >> 4) ^ kNibble[state & 15u];
  }
  return state;
}

}  // namespace mote::micro
