// A NOR flash device as the model slots and the field log see it: a byte
// array of size() bytes split into equal sectors of sector_size() bytes.
//
// NOR semantics: an erased byte reads 0xFF; Erase() sets a whole sector to
// 0xFF; Program() can only clear bits (1 -> 0), so a byte is written once per
// erase. Implementations report failures (timeout, write-protect, power loss
// in the simulator) as Status::kFlashError and never change other sectors.
// Offsets are relative to the start of the device (or of the region the
// implementation exposes).
//
//   class BoardFlash : public mote::micro::Flash { ... };   // HAL calls
//   BoardFlash flash;
//   uint8_t buf[16];
//   if (flash.Read(0, buf, sizeof(buf)) != Status::kOk) { ... }
//
// No virtual destructor on purpose (a deleting destructor would reference
// operator delete, which micro/ must not): objects are never deleted through
// a Flash pointer.
#ifndef MOTE_MICRO_SAFETY_FLASH_H_
#define MOTE_MICRO_SAFETY_FLASH_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/status.h"

namespace mote::micro {

class Flash {
 public:
  virtual size_t size() const = 0;
  virtual size_t sector_size() const = 0;
  // The device mapped into the address space (internal flash, XIP), or nullptr
  // when it is only reachable through Read(). Models run in place from it.
  virtual const uint8_t* mapped() const = 0;
  // REQUIRES: offset is a multiple of sector_size(), offset < size().
  virtual Status Erase(size_t offset) = 0;
  // REQUIRES: offset + n <= size(); the bytes were erased since last written.
  virtual Status Program(size_t offset, const uint8_t* data, size_t n) = 0;
  // REQUIRES: offset + n <= size().
  virtual Status Read(size_t offset, uint8_t* out, size_t n) = 0;

 protected:
  Flash() = default;
  ~Flash() = default;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_FLASH_H_
