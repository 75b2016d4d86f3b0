#include "micro/safety/flash_sim.h"

#include <string.h>

namespace mote::micro {

SimFlash::SimFlash(uint8_t* memory, size_t size, size_t sector_size)
    : mem_(memory), size_(size), sector_size_(sector_size) {
  if (mem_ != nullptr) memset(mem_, 0xFF, size_);
}

bool SimFlash::Spend() {
  ++byte_ops_;
  if (budget_ == kUnlimited) return true;
  if (budget_ == 0) {
    powered_ = false;
    return false;
  }
  --budget_;
  return true;
}

Status SimFlash::Erase(size_t offset) {
  if (!powered_ || sector_size_ == 0 || offset % sector_size_ != 0 || offset >= size_)
    return Status::kFlashError;
  for (size_t i = 0; i < sector_size_; ++i) {
    if (!Spend()) {
      mem_[offset + i] |= 0x5A;  // half-erased byte; the rest keeps old data
      return Status::kFlashError;
    }
    mem_[offset + i] = 0xFF;
  }
  return Status::kOk;
}

Status SimFlash::Program(size_t offset, const uint8_t* data, size_t n) {
  if (!powered_ || offset > size_ || n > size_ - offset || (n > 0 && data == nullptr))
    return Status::kFlashError;
  for (size_t i = 0; i < n; ++i) {
    uint8_t& cell = mem_[offset + i];
    if ((cell & data[i]) != data[i]) ++nor_violations_;
    if (!Spend()) {
      cell &= static_cast<uint8_t>(data[i] | 0xF0);  // half-written byte
      return Status::kFlashError;
    }
    cell &= data[i];
  }
  return Status::kOk;
}

Status SimFlash::Read(size_t offset, uint8_t* out, size_t n) {
  if (!powered_ || offset > size_ || n > size_ - offset || (n > 0 && out == nullptr))
    return Status::kFlashError;
  if (n > 0) memcpy(out, mem_ + offset, n);
  return Status::kOk;
}

}  // namespace mote::micro
