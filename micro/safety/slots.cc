#include "micro/safety/slots.h"

#include <string.h>

#include "micro/safety/crc32.h"
#include "micro/safety/le_bytes.h"

namespace mote::micro {
namespace {

// Header field offsets (docs/model_slots.md).
constexpr size_t kMagicAt = 0, kVersionAt = 4, kHeaderBytesAt = 6, kSequenceAt = 8,
                 kImageSizeAt = 12, kImageCrcAt = 16, kModelVersionAt = 20, kHeaderCrcAt = 52;
constexpr uint32_t kErasedWord = 0xFFFFFFFFu;
constexpr char kSlotName[2][2] = {"A", "B"};

bool Bootable(SlotState s) { return s == SlotState::kValid || s == SlotState::kRevoked; }
// The header was written completely (the slot holds a sequence number).
bool HasHeader(SlotState s) {
  return s != SlotState::kEmpty && s != SlotState::kBadHeader && s != SlotState::kReadError;
}

}  // namespace

const char* SlotStateName(SlotState s) {
  switch (s) {
    case SlotState::kValid: return "valid";
    case SlotState::kEmpty: return "empty";
    case SlotState::kBadHeader: return "bad header";
    case SlotState::kUncommitted: return "not committed (torn or refused update)";
    case SlotState::kBadImage: return "image CRC mismatch";
    case SlotState::kRejected: return "rejected by the verifier";
    case SlotState::kRevoked: return "revoked";
    case SlotState::kReadError: return "flash read error";
  }
  return "unknown";
}

Status ModelSlots::CheckLayout(ErrorText* err) const {
  const size_t sector = flash_ == nullptr ? 0 : flash_->sector_size();
  if (sector == 0) return Fail(err, Status::kBadArgument, "slots: no flash");
  if (layout_.size <= kSlotHeaderBytes || layout_.size % sector != 0)
    return Fail(err, Status::kBadArgument, "slots: slot size ", layout_.size,
                " is not a multiple of the sector size ", sector, " above ", kSlotHeaderBytes);
  for (int i = 0; i < 2; ++i) {
    if (layout_.offset[i] % sector != 0 || layout_.offset[i] > flash_->size() ||
        layout_.size > flash_->size() - layout_.offset[i])
      return Fail(err, Status::kBadArgument, "slots: slot ", kSlotName[i], " at ",
                  layout_.offset[i], " is not sector-aligned inside the flash");
  }
  const size_t lo = layout_.offset[0] < layout_.offset[1] ? layout_.offset[0] : layout_.offset[1];
  const size_t hi = layout_.offset[0] < layout_.offset[1] ? layout_.offset[1] : layout_.offset[0];
  if (hi - lo < layout_.size) return Fail(err, Status::kBadArgument, "slots: A and B overlap");
  if (verifier_ != nullptr && flash_->mapped() == nullptr)
    return Fail(err, Status::kBadArgument, "slots: a verifier needs memory-mapped flash");
  return Status::kOk;
}

Status ModelSlots::Verify(int slot, SlotInfo* info, ErrorText* err) {
  SlotInfo local;
  SlotInfo& in = info != nullptr ? *info : local;
  in = SlotInfo();
  if (slot != 0 && slot != 1) return Fail(err, Status::kBadArgument, "slots: no slot ", slot);
  if (Status s = CheckLayout(err); s != Status::kOk) return s;
  const char* name = kSlotName[slot];
  const size_t base = layout_.offset[slot];
  uint8_t h[kSlotHeaderBytes];
  if (flash_->Read(base, h, sizeof(h)) != Status::kOk) {
    in.state = SlotState::kReadError;
    return Fail(err, Status::kFlashError, "slot ", name, ": header read failed");
  }
  bool erased = true;
  for (uint8_t b : h) erased = erased && b == 0xFF;
  if (erased) {
    in.state = SlotState::kEmpty;
    return Fail(err, Status::kBadRecord, "slot ", name, ": empty");
  }
  in.state = SlotState::kBadHeader;
  if (LoadLe32(h + kMagicAt) != kSlotMagic)
    return Fail(err, Status::kBadRecord, "slot ", name, ": bad magic");
  if (LoadLe16(h + kVersionAt) != kSlotFormatVersion || LoadLe16(h + kHeaderBytesAt) != kSlotHeaderBytes)
    return Fail(err, Status::kBadRecord, "slot ", name, ": format version ",
                LoadLe16(h + kVersionAt), " not supported");
  if (Crc32(h, kHeaderCrcAt) != LoadLe32(h + kHeaderCrcAt))
    return Fail(err, Status::kBadRecord, "slot ", name, ": header CRC mismatch");
  in.sequence = LoadLe32(h + kSequenceAt);
  in.image_size = LoadLe32(h + kImageSizeAt);
  in.image_crc = LoadLe32(h + kImageCrcAt);
  in.model_version = LoadLe32(h + kModelVersionAt);
  if (in.image_size == 0 || in.image_size > capacity())
    return Fail(err, Status::kBadRecord, "slot ", name, ": image size ", in.image_size,
                " outside 1..", capacity());
  in.state = SlotState::kUncommitted;
  if (LoadLe32(h + kSlotCommitOffset) != kSlotCommitted)
    return Fail(err, Status::kBadRecord, "slot ", name, ": not committed");
  uint32_t crc = kCrc32Init;
  uint8_t chunk[64];
  for (size_t done = 0; done < in.image_size;) {
    const size_t n = in.image_size - done < sizeof(chunk) ? in.image_size - done : sizeof(chunk);
    if (flash_->Read(base + kSlotHeaderBytes + done, chunk, n) != Status::kOk) {
      in.state = SlotState::kReadError;
      return Fail(err, Status::kFlashError, "slot ", name, ": image read failed at ", done);
    }
    crc = Crc32Update(crc, chunk, n);
    done += n;
  }
  if (Crc32Final(crc) != in.image_crc) {
    in.state = SlotState::kBadImage;
    return Fail(err, Status::kBadRecord, "slot ", name, ": image CRC mismatch");
  }
  if (verifier_ != nullptr) {
    in.verifier_status =
        verifier_(flash_->mapped() + base + kSlotHeaderBytes, in.image_size, user_);
    if (in.verifier_status != Status::kOk) {
      in.state = SlotState::kRejected;
      return Fail(err, in.verifier_status, "slot ", name, ": verifier refused the image (",
                  StatusName(in.verifier_status), ")");
    }
  }
  in.state = LoadLe32(h + kSlotRevokeOffset) == kErasedWord ? SlotState::kValid : SlotState::kRevoked;
  return Status::kOk;
}

Status ModelSlots::Boot(BootResult* out, ErrorText* err) {
  BootResult local;
  BootResult& r = out != nullptr ? *out : local;
  r = BootResult();
  if (Status s = CheckLayout(err); s != Status::kOk) return s;
  for (int i = 0; i < 2; ++i) Verify(i, &r.info[i], nullptr);
  // Rank: valid before revoked, then the higher sequence; A wins a tie.
  auto rank = [&](int i) -> int64_t {
    const SlotState s = r.info[i].state;
    if (!Bootable(s)) return -1;
    return (s == SlotState::kValid ? (int64_t{1} << 32) : 0) + r.info[i].sequence;
  };
  const int64_t ra = rank(0), rb = rank(1);
  if (ra < 0 && rb < 0)
    return Fail(err, Status::kNotReady, "slots: nothing bootable (A: ",
                SlotStateName(r.info[0].state), ", B: ", SlotStateName(r.info[1].state), ")");
  r.slot = rb > ra ? 1 : 0;
  const SlotState other = r.info[1 - r.slot].state;
  r.fell_back = other == SlotState::kBadImage || other == SlotState::kRejected ||
                other == SlotState::kReadError;
  r.size = r.info[r.slot].image_size;
  if (flash_->mapped() != nullptr)
    r.image = flash_->mapped() + layout_.offset[r.slot] + kSlotHeaderBytes;
  if (err != nullptr) {
    err->Clear();
    AddParts(err, "booted slot ", kSlotName[r.slot], " (sequence ", r.info[r.slot].sequence,
             "); other slot: ", SlotStateName(other));
  }
  return Status::kOk;
}

Status ModelSlots::BeginInstall(size_t size, uint32_t model_version, ErrorText* err) {
  target_ = -1;
  if (Status s = CheckLayout(err); s != Status::kOk) return s;
  if (size == 0 || size > capacity())
    return Fail(err, Status::kBadArgument, "install: image of ", size, " bytes; a slot holds 1..",
                capacity());
  BootResult boot;
  Boot(&boot, nullptr);
  const int target = boot.slot < 0 ? 0 : 1 - boot.slot;
  uint32_t seq = 0;
  for (const SlotInfo& in : boot.info)
    if (HasHeader(in.state) && in.sequence > seq) seq = in.sequence;
  if (seq == 0xFFFFFFFFu) return Fail(err, Status::kBadArgument, "install: sequence exhausted");
  // Erase the header's sector first: from then on the slot is not bootable.
  const size_t sector = flash_->sector_size();
  const size_t used = (kSlotHeaderBytes + size + sector - 1) / sector * sector;
  for (size_t at = 0; at < used; at += sector) {
    if (flash_->Erase(layout_.offset[target] + at) != Status::kOk)
      return Fail(err, Status::kFlashError, "install: erase of slot ", kSlotName[target],
                  " failed at ", at);
  }
  target_ = target;
  expected_ = static_cast<uint32_t>(size);
  written_ = 0;
  crc_state_ = kCrc32Init;
  sequence_ = seq + 1;
  model_version_ = model_version;
  return Status::kOk;
}

Status ModelSlots::WriteChunk(const uint8_t* data, size_t n, ErrorText* err) {
  if (target_ < 0) return Fail(err, Status::kNotReady, "install: BeginInstall first");
  if (n > expected_ - written_)
    return Fail(err, Status::kBadArgument, "install: ", written_ + n, " bytes exceed the announced ",
                expected_);
  if (n > 0 && data == nullptr) return Fail(err, Status::kBadArgument, "install: no data");
  const size_t at = layout_.offset[target_] + kSlotHeaderBytes + written_;
  if (flash_->Program(at, data, n) != Status::kOk) {
    target_ = -1;
    return Fail(err, Status::kFlashError, "install: programming slot failed at image byte ",
                written_);
  }
  crc_state_ = Crc32Update(crc_state_, data, n);
  written_ += static_cast<uint32_t>(n);
  return Status::kOk;
}

Status ModelSlots::FinishInstall(ErrorText* err) {
  if (target_ < 0) return Fail(err, Status::kNotReady, "install: BeginInstall first");
  const int slot = target_;
  target_ = -1;
  if (written_ != expected_)
    return Fail(err, Status::kBadArgument, "install: got ", written_, " of ", expected_, " bytes");
  uint8_t h[kSlotHeaderBytes];
  memset(h, 0, kHeaderCrcAt);
  memset(h + kHeaderCrcAt, 0xFF, kSlotHeaderBytes - kHeaderCrcAt);
  StoreLe32(h + kMagicAt, kSlotMagic);
  StoreLe16(h + kVersionAt, kSlotFormatVersion);
  StoreLe16(h + kHeaderBytesAt, kSlotHeaderBytes);
  StoreLe32(h + kSequenceAt, sequence_);
  StoreLe32(h + kImageSizeAt, expected_);
  StoreLe32(h + kImageCrcAt, Crc32Final(crc_state_));
  StoreLe32(h + kModelVersionAt, model_version_);
  StoreLe32(h + kHeaderCrcAt, Crc32(h, kHeaderCrcAt));
  const size_t base = layout_.offset[slot];
  if (flash_->Program(base, h, kSlotCommitOffset) != Status::kOk)
    return Fail(err, Status::kFlashError, "install: programming the header failed");
  // Read the image back (CRC of what the flash holds) and run the verifier as
  // Boot() will: a refused image is never committed.
  uint32_t crc = kCrc32Init;
  uint8_t chunk[64];
  for (size_t done = 0; done < expected_;) {
    const size_t n = expected_ - done < sizeof(chunk) ? expected_ - done : sizeof(chunk);
    if (flash_->Read(base + kSlotHeaderBytes + done, chunk, n) != Status::kOk)
      return Fail(err, Status::kFlashError, "install: read-back failed at ", done);
    crc = Crc32Update(crc, chunk, n);
    done += n;
  }
  if (Crc32Final(crc) != Crc32Final(crc_state_))
    return Fail(err, Status::kFlashError, "install: read-back CRC differs from the image sent");
  if (verifier_ != nullptr) {
    const Status v = verifier_(flash_->mapped() + base + kSlotHeaderBytes, expected_, user_);
    if (v != Status::kOk)
      return Fail(err, v, "install: verifier refused the image (", StatusName(v),
                  "); slot left uncommitted");
  }
  uint8_t marker[4];
  StoreLe32(marker, kSlotCommitted);
  if (flash_->Program(base + kSlotCommitOffset, marker, sizeof(marker)) != Status::kOk)
    return Fail(err, Status::kFlashError, "install: programming the commit marker failed");
  return Verify(slot, nullptr, err);
}

Status ModelSlots::Install(const uint8_t* image, size_t size, uint32_t model_version,
                           ErrorText* err) {
  if (Status s = BeginInstall(size, model_version, err); s != Status::kOk) return s;
  if (Status s = WriteChunk(image, size, err); s != Status::kOk) return s;
  return FinishInstall(err);
}

Status ModelSlots::Activate(int slot, ErrorText* err) {
  if (slot != 0 && slot != 1) return Fail(err, Status::kBadArgument, "activate: no slot ", slot);
  SlotInfo info;
  if (Status s = Verify(slot, &info, err); s != Status::kOk) return s;
  if (info.state == SlotState::kRevoked)
    return Fail(err, Status::kBadArgument, "activate: slot ", kSlotName[slot],
                " was revoked; install it again");
  BootResult boot;
  if (Boot(&boot, nullptr) == Status::kOk && boot.slot == slot) return Status::kOk;
  uint8_t revoke[4];
  StoreLe32(revoke, kSlotRevoked);
  if (flash_->Program(layout_.offset[1 - slot] + kSlotRevokeOffset, revoke, 4) != Status::kOk)
    return Fail(err, Status::kFlashError, "activate: programming the revoke marker of slot ",
                kSlotName[1 - slot], " failed");
  return Status::kOk;
}

}  // namespace mote::micro
