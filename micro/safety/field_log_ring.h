// The field log on NOR flash: a ring of sectors that always keeps the newest
// records. Each sector starts with an 8-byte header (sequence number, then
// the magic "MLGR" programmed last) and holds whole records (field_log.h),
// packed from offset 8; a record never crosses a sector. When the head
// sector is full the next sector is erased (dropping the oldest records) and
// stamped with the next sequence number. Layout in docs/field_log.md.
//
// Power loss: a torn record fails its CRC and Open() starts the next record
// in a fresh sector; a torn sector header (no magic) makes the sector count
// as empty. Records already written are never touched until their sector is
// reused.
//
//   FlashLogRing ring(&flash, /*offset=*/0x70000, /*size=*/0x10000);
//   if (ring.Open(&err) != Status::kOk) ...;   // once per boot: finds the head
//   AppendLogRecord(&ring, record, &err);
//   ring.Dump(&uart_sink, &err);              // intact records, oldest first
#ifndef MOTE_MICRO_SAFETY_FIELD_LOG_RING_H_
#define MOTE_MICRO_SAFETY_FIELD_LOG_RING_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/safety/field_log.h"
#include "micro/safety/flash.h"

namespace mote::micro {

constexpr uint32_t kLogSectorMagic = 0x52474C4Du;  // "MLGR"
constexpr size_t kLogSectorHeaderBytes = 8;

class FlashLogRing : public LogSink {
 public:
  // REQUIRES: offset and size multiples of the sector size, size >= 2 sectors.
  FlashLogRing(Flash* flash, size_t offset, size_t size)
      : flash_(flash), offset_(offset), size_(size) {}

  // Finds the newest sector and the end of its records. Call once before
  // appending (and after every reset).
  Status Open(ErrorText* err = nullptr);

  // LogSink: AppendLogRecord(&ring, ...) writes here.
  Status Begin(size_t bytes) override;
  Status Write(const uint8_t* data, size_t n) override;

  // Copies every intact record, oldest first, to `out`.
  Status Dump(LogSink* out, ErrorText* err = nullptr);

  size_t max_record_bytes() const {
    const size_t s = sector();
    return s > kLogSectorHeaderBytes ? s - kLogSectorHeaderBytes : 0;
  }

 private:
  static constexpr size_t kNone = ~size_t{0};
  size_t sector() const { return flash_ == nullptr ? 0 : flash_->sector_size(); }
  size_t sectors() const { return sector() == 0 ? 0 : size_ / sector(); }
  // Reads sector i's header: true with *seq when its magic is there.
  bool SectorSequence(size_t i, uint32_t* seq);
  // Walks the intact records of sector i from its start; returns the offset
  // after the last one, or sector() when a torn record ends the walk.
  // With `out`, copies each record there.
  Status WalkSector(size_t i, LogSink* out, size_t* end);
  Status StartSector(size_t i);

  Flash* flash_;
  size_t offset_;
  size_t size_;
  bool open_ = false;
  size_t head_ = kNone;      // sector being filled
  uint32_t head_seq_ = 0;
  size_t write_pos_ = 0;     // offset inside the head sector
  size_t remaining_ = 0;     // bytes still due for the record begun
};

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_FIELD_LOG_RING_H_
