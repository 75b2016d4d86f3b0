// A simulated NOR flash over caller-owned memory, for tests and the host
// tools: enforces the NOR rules and can lose power part-way through an
// operation, leaving the torn state a real device would leave.
//
// Power model: every erased or programmed byte is one "byte operation".
// set_power_budget(n) lets n more byte operations complete; the next one is
// torn and power is then off: every later Erase/Program/Read fails with
// kFlashError until PowerOn(). A torn erase leaves the sector's first bytes
// erased (0xFF), one byte half-erased (old | 0x5A) and the rest as they were;
// a torn program leaves the earlier bytes written, one byte half-written
// (old & (new | 0xF0)) and the rest untouched.
//
// Programming a 0 bit back to 1 is not possible on NOR: the simulator stores
// old & new (what the hardware does) and counts a violation, so tests can
// assert that a writer never relies on it.
//
//   uint8_t mem[8 * 1024];
//   SimFlash flash(mem, sizeof(mem), /*sector_size=*/1024);   // all erased
//   flash.set_power_budget(100);   // cut power after 100 byte operations
#ifndef MOTE_MICRO_SAFETY_FLASH_SIM_H_
#define MOTE_MICRO_SAFETY_FLASH_SIM_H_

#include "micro/safety/flash.h"

namespace mote::micro {

class SimFlash : public Flash {
 public:
  static constexpr int64_t kUnlimited = -1;

  // REQUIRES: sector_size > 0 and size a multiple of it. Erases everything.
  SimFlash(uint8_t* memory, size_t size, size_t sector_size);

  size_t size() const override { return size_; }
  size_t sector_size() const override { return sector_size_; }
  const uint8_t* mapped() const override { return mem_; }
  Status Erase(size_t offset) override;
  Status Program(size_t offset, const uint8_t* data, size_t n) override;
  Status Read(size_t offset, uint8_t* out, size_t n) override;

  // Byte operations allowed before power is lost (kUnlimited: never).
  void set_power_budget(int64_t byte_ops) { budget_ = byte_ops; }
  bool powered() const { return powered_; }
  void PowerOn() {
    powered_ = true;
    budget_ = kUnlimited;
  }
  // Byte operations (erased + programmed bytes) since construction.
  uint64_t byte_ops() const { return byte_ops_; }
  // Program() calls that tried to turn a 0 bit into 1.
  uint64_t nor_violations() const { return nor_violations_; }
  uint8_t* memory() { return mem_; }

 private:
  // One more byte operation; false when power goes now (this byte is torn).
  bool Spend();

  uint8_t* mem_;
  size_t size_;
  size_t sector_size_;
  int64_t budget_ = kUnlimited;
  bool powered_ = true;
  uint64_t byte_ops_ = 0;
  uint64_t nor_violations_ = 0;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_FLASH_SIM_H_
