// The caller-owned arena: activations are planned from the bottom,
// persistent records (tensors, nodes, kernel parameters) grow from the top.
//
//   alignas(16) static uint8_t buf[32 * 1024];
//   Arena arena(buf, sizeof(buf));
//   void* p = arena.AllocatePersistent(64, 8);
#ifndef MOTE_MICRO_RUNTIME_ARENA_H_
#define MOTE_MICRO_RUNTIME_ARENA_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro {

class Arena {
 public:
  Arena(uint8_t* base, size_t size) : base_(base), size_(size), tail_(size) {}

  // From the top; nullptr (and failed() == true) when it does not fit.
  void* AllocatePersistent(size_t bytes, size_t align) {
    if (bytes > tail_) return Exhaust(bytes);
    size_t start = tail_ - bytes;
    start -= (reinterpret_cast<uintptr_t>(base_) + start) % align;
    if (start > tail_) return Exhaust(bytes);  // wrapped below zero
    tail_ = start;
    return base_ + start;
  }
  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }
  size_t persistent_bytes() const { return size_ - tail_; }
  // Bytes free below the persistent area.
  size_t free_bytes() const { return tail_; }
  bool failed() const { return failed_; }
  size_t shortfall() const { return shortfall_; }

 private:
  void* Exhaust(size_t bytes) {
    failed_ = true;
    shortfall_ += bytes;
    return nullptr;
  }
  uint8_t* base_;
  size_t size_;
  size_t tail_;
  bool failed_ = false;
  size_t shortfall_ = 0;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_ARENA_H_
