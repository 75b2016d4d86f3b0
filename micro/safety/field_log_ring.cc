#include "micro/safety/field_log_ring.h"

#include "micro/safety/crc32.h"
#include "micro/safety/le_bytes.h"

namespace mote::micro {

bool FlashLogRing::SectorSequence(size_t i, uint32_t* seq) {
  uint8_t h[kLogSectorHeaderBytes];
  if (flash_->Read(offset_ + i * sector(), h, sizeof(h)) != Status::kOk) return false;
  if (LoadLe32(h + 4) != kLogSectorMagic) return false;
  *seq = LoadLe32(h);
  return true;
}

Status FlashLogRing::WalkSector(size_t i, LogSink* out, size_t* end) {
  const size_t base = offset_ + i * sector();
  size_t pos = kLogSectorHeaderBytes;
  uint8_t buf[64];
  while (pos + kLogOverheadBytes <= sector()) {
    if (flash_->Read(base + pos, buf, 6) != Status::kOk) return Status::kFlashError;
    bool erased = true;
    for (int k = 0; k < 6; ++k) erased = erased && buf[k] == 0xFF;
    if (erased) break;
    const size_t length = static_cast<size_t>(buf[4] | buf[5] << 8);
    if (buf[0] != kLogSync0 || buf[1] != kLogSync1 || length < kLogOverheadBytes ||
        length > sector() - pos) {
      pos = sector();  // torn: nothing more goes into this sector
      break;
    }
    // CRC over the record as stored, then (with `out`) a second pass to copy.
    uint32_t crc = kCrc32Init;
    uint8_t tail[4];
    for (size_t done = 0; done < length - 4;) {
      const size_t n = length - 4 - done < sizeof(buf) ? length - 4 - done : sizeof(buf);
      if (flash_->Read(base + pos + done, buf, n) != Status::kOk) return Status::kFlashError;
      crc = Crc32Update(crc, buf, n);
      done += n;
    }
    if (flash_->Read(base + pos + length - 4, tail, 4) != Status::kOk) return Status::kFlashError;
    if (Crc32Final(crc) != LoadLe32(tail)) {
      pos = sector();
      break;
    }
    if (out != nullptr) {
      if (Status s = out->Begin(length); s != Status::kOk) return s;
      for (size_t done = 0; done < length;) {
        const size_t n = length - done < sizeof(buf) ? length - done : sizeof(buf);
        if (flash_->Read(base + pos + done, buf, n) != Status::kOk) return Status::kFlashError;
        if (Status s = out->Write(buf, n); s != Status::kOk) return s;
        done += n;
      }
    }
    pos += length;
  }
  *end = pos < sector() ? pos : sector();
  return Status::kOk;
}

Status FlashLogRing::Open(ErrorText* err) {
  open_ = false;
  head_ = kNone;
  head_seq_ = 0;
  remaining_ = 0;
  const size_t s = sector();
  if (s <= kLogSectorHeaderBytes + kLogOverheadBytes || offset_ % s != 0 || size_ % s != 0 ||
      size_ / s < 2 || offset_ > flash_->size() || size_ > flash_->size() - offset_)
    return Fail(err, Status::kBadArgument, "field log: region at ", offset_, " of ", size_,
                " bytes is not >= 2 whole sectors inside the flash");
  for (size_t i = 0; i < sectors(); ++i) {
    uint32_t seq;
    if (SectorSequence(i, &seq) && (head_ == kNone || seq > head_seq_)) {
      head_ = i;
      head_seq_ = seq;
    }
  }
  write_pos_ = s;  // no head yet: the first record starts a sector
  if (head_ != kNone) {
    if (WalkSector(head_, nullptr, &write_pos_) != Status::kOk)
      return Fail(err, Status::kFlashError, "field log: reading sector ", head_, " failed");
  }
  open_ = true;
  return Status::kOk;
}

Status FlashLogRing::StartSector(size_t i) {
  const size_t base = offset_ + i * sector();
  if (flash_->Erase(base) != Status::kOk) return Status::kFlashError;
  uint8_t h[8];
  StoreLe32(h, head_seq_ + 1);
  StoreLe32(h + 4, kLogSectorMagic);
  // Sequence first, magic last: a sector with its magic has a whole header.
  if (flash_->Program(base, h, 4) != Status::kOk ||
      flash_->Program(base + 4, h + 4, 4) != Status::kOk)
    return Status::kFlashError;
  head_ = i;
  ++head_seq_;
  write_pos_ = kLogSectorHeaderBytes;
  return Status::kOk;
}

Status FlashLogRing::Begin(size_t bytes) {
  if (!open_) return Status::kNotReady;
  if (bytes == 0 || bytes > max_record_bytes()) return Status::kBadArgument;
  remaining_ = 0;
  if (head_ == kNone || bytes > sector() - write_pos_) {
    const size_t next = head_ == kNone ? 0 : (head_ + 1) % sectors();
    if (Status s = StartSector(next); s != Status::kOk) {
      write_pos_ = sector();
      return s;
    }
  }
  remaining_ = bytes;
  return Status::kOk;
}

Status FlashLogRing::Write(const uint8_t* data, size_t n) {
  if (!open_ || n > remaining_) return Status::kBadArgument;
  if (flash_->Program(offset_ + head_ * sector() + write_pos_, data, n) != Status::kOk) {
    write_pos_ = sector();  // the record is torn: the next one starts a fresh sector
    remaining_ = 0;
    return Status::kFlashError;
  }
  write_pos_ += n;
  remaining_ -= n;
  return Status::kOk;
}

Status FlashLogRing::Dump(LogSink* out, ErrorText* err) {
  if (!open_) return Fail(err, Status::kNotReady, "field log: Open() first");
  // Sectors in sequence order: repeatedly the smallest sequence above the last.
  bool first = true;
  uint32_t last = 0;
  for (;;) {
    size_t pick = kNone;
    uint32_t pick_seq = 0;
    for (size_t i = 0; i < sectors(); ++i) {
      uint32_t seq;
      if (!SectorSequence(i, &seq) || (!first && seq <= last)) continue;
      if (pick == kNone || seq < pick_seq) {
        pick = i;
        pick_seq = seq;
      }
    }
    if (pick == kNone) return Status::kOk;
    size_t end;
    if (Status s = WalkSector(pick, out, &end); s != Status::kOk)
      return Fail(err, s, "field log: dumping sector ", pick, " failed");
    first = false;
    last = pick_seq;
  }
}

}  // namespace mote::micro
