// Field data log: compact, versioned, CRC-32 protected records of what a
// deployed model saw and decided, for drift analysis and retraining on the
// host (`mote data ingest`). The byte format is specified in
// docs/field_log.md; in short, every record is
//
//   sync A5 4C | version | sample type | length u16 | context count | decision
//   timestamp_ms u64 | device_id u32 | model_version u32 | confidence u16 (Q0.16)
//   sample_count u16 | context: count x (key u8, value i16) | samples | CRC-32
//
// little-endian, 32 bytes of overhead plus 3 per context field. The sync
// marker lets a reader find the next record after garbage or a torn write;
// the CRC (over everything before it) decides whether a record is intact.
//
// Writing goes through a LogSink: a UART-like stream, or the flash ring
// (field_log_ring.h). Reading is DecodeLogRecord (one record at a buffer's
// start) or ScanLog (a whole stream, resynchronising and counting defects).
//
//   int8_t window[64]; LogContext ctx[] = {{kLogKeyTemperature, 231}};
//   LogRecord r;
//   r.timestamp_ms = now; r.device_id = 7; r.model_version = 3;
//   r.decision = 1; r.confidence_q16 = 60000;
//   r.context = ctx; r.context_count = 1;
//   r.sample_type = SampleType::kInt8; r.samples = window; r.sample_count = 64;
//   AppendLogRecord(&sink, r, &err);
//
// Assumes a little-endian target (Cortex-M, x86): samples are written as
// they lie in memory.
#ifndef MOTE_MICRO_SAFETY_FIELD_LOG_H_
#define MOTE_MICRO_SAFETY_FIELD_LOG_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/status.h"

namespace mote::micro {

constexpr uint8_t kLogSync0 = 0xA5, kLogSync1 = 0x4C;
constexpr uint8_t kLogFormatVersion = 1;
constexpr size_t kLogFixedBytes = 28;  // sync .. sample_count
constexpr size_t kLogOverheadBytes = kLogFixedBytes + 4;  // + CRC-32
constexpr size_t kLogMaxContext = 8;
constexpr size_t kLogMaxRecordBytes = 0xFFFF;

// Context keys (docs/field_log.md); 128..255 are the application's own.
enum LogKey : uint8_t {
  kLogKeyTemperature = 1,  // 0.1 degC
  kLogKeyBatteryMv = 2,    // mV
  kLogKeyRssi = 3,         // dBm
  kLogKeyGain = 4,         // front-end gain setting
  kLogKeyUser = 128,
};

enum class SampleType : uint8_t { kInt8 = 0, kInt16 = 1, kFloat32 = 2 };
size_t SampleBytes(SampleType t);  // 1, 2, 4; 0 for an unknown type

struct LogContext {
  uint8_t key;
  int16_t value;
};

struct LogRecord {
  uint64_t timestamp_ms = 0;   // device clock (Unix ms when set, else since boot)
  uint32_t device_id = 0;
  uint32_t model_version = 0;
  uint8_t decision = 0;        // the model's class / verdict
  uint16_t confidence_q16 = 0; // 0..65535 = 0..1
  const LogContext* context = nullptr;
  uint8_t context_count = 0;   // <= kLogMaxContext
  SampleType sample_type = SampleType::kInt8;
  const void* samples = nullptr;  // sample_count values of sample_type
  uint16_t sample_count = 0;
};

// A decoded record. Points into the decoded buffer (samples are unaligned
// little-endian bytes: copy them out with memcpy).
struct LogRecordView {
  uint8_t version = 0;
  uint64_t timestamp_ms = 0;
  uint32_t device_id = 0;
  uint32_t model_version = 0;
  uint8_t decision = 0;
  uint16_t confidence_q16 = 0;
  LogContext context[kLogMaxContext] = {};
  uint8_t context_count = 0;
  SampleType sample_type = SampleType::kInt8;
  const uint8_t* sample_bytes = nullptr;
  uint16_t sample_count = 0;
  size_t record_bytes = 0;
};

// Bytes the record takes on the wire; 0 when it cannot be encoded (too many
// context fields, unknown sample type, over kLogMaxRecordBytes, no samples
// pointer for a non-empty window).
size_t LogRecordBytes(const LogRecord& r);

// Where records go. Begin() announces a record of `bytes` bytes (the flash
// ring uses it to keep records inside one sector); Write() then receives
// exactly that many bytes, in pieces.
class LogSink {
 public:
  virtual Status Begin(size_t bytes) = 0;
  virtual Status Write(const uint8_t* data, size_t n) = 0;

 protected:
  LogSink() = default;
  ~LogSink() = default;
};

Status AppendLogRecord(LogSink* sink, const LogRecord& r, ErrorText* err = nullptr);
// The same bytes into a buffer; *written = record size.
Status EncodeLogRecord(const LogRecord& r, uint8_t* out, size_t capacity, size_t* written,
                       ErrorText* err = nullptr);

// Why a candidate record (one starting with the sync marker) was refused.
enum class LogDefect : uint8_t {
  kBadCrc,      // CRC mismatch: bit flips or a garbled header
  kBadVersion,  // intact record of an unknown format version (skipped whole)
  kBadField,    // length / sample type / context count impossible
  kTorn,        // cut short: an intact record starts inside its span
  kTruncated,   // runs past the end of the data
};
constexpr size_t kLogDefectCount = 5;
const char* LogDefectName(LogDefect d);

// Decodes the record at data[0]. kOk: *view filled, *consumed = its size.
// kTruncated: more bytes are needed (header or body past `size`).
// kBadRecord: *defect says why; *consumed = the size the header claims (0
// when unknown) so a reader can tell which later bytes the candidate covered.
Status DecodeLogRecord(const uint8_t* data, size_t size, LogRecordView* view, size_t* consumed,
                       LogDefect* defect);

struct LogScanStats {
  uint32_t records = 0;                     // intact records delivered
  uint32_t defects[kLogDefectCount] = {};   // refused candidates per LogDefect
  size_t skipped_bytes = 0;                 // bytes outside intact records
};

// Walks a stream (a UART capture, a flash dump): every intact record goes to
// on_record in order, everything else is skipped and counted. A candidate
// refused at offset p covers the bytes its header claims; a sync marker
// inside that span is not counted again unless it starts an intact record
// (then the earlier one is kTorn). Never fails; stats may be nullptr.
using LogRecordFn = void (*)(const LogRecordView& view, size_t offset, void* user);
void ScanLog(const uint8_t* data, size_t size, LogRecordFn on_record, void* user,
             LogScanStats* stats);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_FIELD_LOG_H_
