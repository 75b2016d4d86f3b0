// A/B model slots: two regions of a NOR flash, each holding one model image
// behind a 64-byte header, updated so that a power loss at any moment leaves
// at least one bootable model. The layout is specified in docs/model_slots.md.
//
// An update always goes to the slot that is not booted: erase it (header
// sector first), program the image, program the header, read both back and
// verify them (length, CRC-32, the pluggable verifier), and only then program
// the 4-byte commit marker. A slot without the marker is never booted, so a
// torn update leaves the old slot in charge. Boot() takes the committed slot
// that passes verification with the highest sequence number and falls back to
// the other one, saying why each slot was or was not taken.
//
// The verifier (e.g. the Ed25519 model signature check) sees the image in
// place, so it needs memory-mapped flash (Flash::mapped()); without a mapping
// only length and CRC are checked and a verifier gives kBadArgument.
//
//   ModelSlots slots(&flash, {{0x00000, 0x10000}, 0x10000}, VerifyModel, &key);
//   slots.Install(image, size, /*model_version=*/7, &err);    // or Begin/Write/Finish
//   BootResult boot;
//   if (slots.Boot(&boot, &err) == Status::kOk)
//     RunModel(boot.image, boot.size);                      // boot.slot: 0 = A, 1 = B
//
// No heap; all state lives in the ModelSlots object (48 bytes on Cortex-M).
#ifndef MOTE_MICRO_SAFETY_SLOTS_H_
#define MOTE_MICRO_SAFETY_SLOTS_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/safety/flash.h"
#include "micro/status.h"

namespace mote::micro {

// Returns kOk to accept an image, anything else to refuse it.
using ImageVerifier = Status (*)(const uint8_t* image, size_t size, void* user);

// On-flash header (little-endian), see docs/model_slots.md.
constexpr uint32_t kSlotMagic = 0x544C534Du;    // "MSLT"
constexpr uint16_t kSlotFormatVersion = 1;
constexpr size_t kSlotHeaderBytes = 64;         // the image starts here
constexpr size_t kSlotCommitOffset = 56;        // commit marker (written last)
constexpr size_t kSlotRevokeOffset = 60;        // revoke marker (Activate)
constexpr uint32_t kSlotCommitted = 0x21544D43u;  // "CMT!"
constexpr uint32_t kSlotRevoked = 0x00000000u;

// Why a slot can or cannot be booted.
enum class SlotState : uint8_t {
  kValid,        // committed, length + CRC + verifier pass
  kEmpty,        // header erased (never written, or erase done)
  kBadHeader,    // wrong magic / version / header CRC, or size out of range
  kUncommitted,  // header fine, commit marker missing: torn or refused update
  kBadImage,     // image CRC does not match (torn erase, bit rot)
  kRejected,     // the verifier refused the image
  kRevoked,      // valid, but switched away from with Activate()
  kReadError,    // the flash read failed
};
const char* SlotStateName(SlotState s);

struct SlotInfo {
  SlotState state = SlotState::kEmpty;
  Status verifier_status = Status::kOk;  // what the verifier said (kRejected)
  uint32_t sequence = 0;
  uint32_t model_version = 0;
  uint32_t image_size = 0;
  uint32_t image_crc = 0;
};

struct BootResult {
  int slot = -1;                    // 0 = A, 1 = B, -1 = nothing bootable
  bool fell_back = false;           // the newer committed slot was refused
  const uint8_t* image = nullptr;   // in place (nullptr when not mapped)
  size_t size = 0;
  SlotInfo info[2];                 // both slots, as checked
};

struct SlotLayout {
  size_t offset[2];  // start of slot A and B: sector-aligned, not overlapping
  size_t size;       // bytes per slot: a multiple of the sector size
};

class ModelSlots {
 public:
  ModelSlots(Flash* flash, const SlotLayout& layout, ImageVerifier verifier = nullptr,
             void* verifier_user = nullptr)
      : flash_(flash), layout_(layout), verifier_(verifier), user_(verifier_user) {}

  // Largest image a slot holds.
  size_t capacity() const { return layout_.size > kSlotHeaderBytes ? layout_.size - kSlotHeaderBytes : 0; }

  // Checks one slot (header, commit, length, CRC, verifier). Returns kOk when
  // the state is kValid or kRevoked (bootable), else kBadRecord / kFlashError /
  // the verifier's status, with `err` naming the slot and the reason.
  Status Verify(int slot, SlotInfo* info, ErrorText* err = nullptr);

  // Picks the slot to run. kNotReady when neither slot is bootable.
  Status Boot(BootResult* out, ErrorText* err = nullptr);

  // The whole update in one call (the image is in RAM).
  Status Install(const uint8_t* image, size_t size, uint32_t model_version,
                 ErrorText* err = nullptr);

  // Streaming update, e.g. chunks from a radio: BeginInstall erases the
  // target slot; WriteChunk appends; FinishInstall checks that exactly
  // `size` bytes came, writes the header, verifies and commits. Any failure
  // leaves the target slot uncommitted (the booted slot is never touched).
  Status BeginInstall(size_t size, uint32_t model_version, ErrorText* err = nullptr);
  Status WriteChunk(const uint8_t* data, size_t n, ErrorText* err = nullptr);
  Status FinishInstall(ErrorText* err = nullptr);
  // The slot BeginInstall chose (-1 before).
  int install_slot() const { return target_; }

  // Makes `slot` the one Boot() takes by revoking the other slot (programs
  // its revoke marker; no erase). REQUIRES: `slot` is bootable. Used to roll
  // back to the previous model. A revoked slot is still booted as a last
  // resort when the other one fails.
  Status Activate(int slot, ErrorText* err = nullptr);

 private:
  Status CheckLayout(ErrorText* err) const;

  Flash* flash_;
  SlotLayout layout_;
  ImageVerifier verifier_;
  void* user_;
  // Streaming install state.
  int target_ = -1;
  uint32_t expected_ = 0;
  uint32_t written_ = 0;
  uint32_t crc_state_ = 0;
  uint32_t sequence_ = 0;
  uint32_t model_version_ = 0;
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_SLOTS_H_
