#include "micro/safety/field_log.h"

#include <string.h>

#include "micro/safety/crc32.h"

namespace mote::micro {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "field log assumes little-endian");

// Field offsets (docs/field_log.md).
constexpr size_t kVersionAt = 2, kTypeAt = 3, kLengthAt = 4, kContextCountAt = 6, kDecisionAt = 7,
                 kTimestampAt = 8, kDeviceAt = 16, kModelVersionAt = 20, kConfidenceAt = 24,
                 kSampleCountAt = 26;

uint64_t GetLe(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
void PutLe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

class BufferSink : public LogSink {
 public:
  BufferSink(uint8_t* out, size_t capacity) : out_(out), capacity_(capacity) {}
  Status Begin(size_t bytes) override {
    return bytes <= capacity_ ? Status::kOk : Status::kBadArgument;
  }
  Status Write(const uint8_t* data, size_t n) override {
    if (n > capacity_ - used_) return Status::kBadArgument;
    memcpy(out_ + used_, data, n);
    used_ += n;
    return Status::kOk;
  }
  size_t used() const { return used_; }

 private:
  uint8_t* out_;
  size_t capacity_;
  size_t used_ = 0;
};

}  // namespace

size_t SampleBytes(SampleType t) {
  switch (t) {
    case SampleType::kInt8: return 1;
    case SampleType::kInt16: return 2;
    case SampleType::kFloat32: return 4;
  }
  return 0;
}

const char* LogDefectName(LogDefect d) {
  switch (d) {
    case LogDefect::kBadCrc: return "bad_crc";
    case LogDefect::kBadVersion: return "unknown_version";
    case LogDefect::kBadField: return "bad_field";
    case LogDefect::kTorn: return "torn";
    case LogDefect::kTruncated: return "truncated";
  }
  return "unknown";
}

size_t LogRecordBytes(const LogRecord& r) {
  const size_t each = SampleBytes(r.sample_type);
  if (each == 0 || r.context_count > kLogMaxContext) return 0;
  if (r.context_count > 0 && r.context == nullptr) return 0;
  if (r.sample_count > 0 && r.samples == nullptr) return 0;
  const size_t n = kLogOverheadBytes + 3 * size_t{r.context_count} + each * r.sample_count;
  return n <= kLogMaxRecordBytes ? n : 0;
}

Status AppendLogRecord(LogSink* sink, const LogRecord& r, ErrorText* err) {
  const size_t n = LogRecordBytes(r);
  if (sink == nullptr || n == 0)
    return Fail(err, Status::kBadArgument, "field log: record cannot be encoded (",
                r.context_count, " context fields, sample type ",
                static_cast<int>(r.sample_type), ", ", r.sample_count, " samples)");
  if (Status s = sink->Begin(n); s != Status::kOk)
    return Fail(err, s, "field log: sink refused a record of ", n, " bytes");
  uint8_t head[kLogFixedBytes + 3 * kLogMaxContext];
  head[0] = kLogSync0;
  head[1] = kLogSync1;
  head[kVersionAt] = kLogFormatVersion;
  head[kTypeAt] = static_cast<uint8_t>(r.sample_type);
  PutLe(head + kLengthAt, n, 2);
  head[kContextCountAt] = r.context_count;
  head[kDecisionAt] = r.decision;
  PutLe(head + kTimestampAt, r.timestamp_ms, 8);
  PutLe(head + kDeviceAt, r.device_id, 4);
  PutLe(head + kModelVersionAt, r.model_version, 4);
  PutLe(head + kConfidenceAt, r.confidence_q16, 2);
  PutLe(head + kSampleCountAt, r.sample_count, 2);
  for (size_t i = 0; i < r.context_count; ++i) {
    head[kLogFixedBytes + 3 * i] = r.context[i].key;
    PutLe(head + kLogFixedBytes + 3 * i + 1, static_cast<uint16_t>(r.context[i].value), 2);
  }
  const size_t head_bytes = kLogFixedBytes + 3 * size_t{r.context_count};
  const size_t sample_bytes = SampleBytes(r.sample_type) * r.sample_count;
  uint32_t crc = Crc32Update(kCrc32Init, head, head_bytes);
  crc = Crc32Final(Crc32Update(crc, r.samples, sample_bytes));
  uint8_t tail[4];
  PutLe(tail, crc, 4);
  Status s = sink->Write(head, head_bytes);
  if (s == Status::kOk && sample_bytes > 0)
    s = sink->Write(static_cast<const uint8_t*>(r.samples), sample_bytes);
  if (s == Status::kOk) s = sink->Write(tail, sizeof(tail));
  if (s != Status::kOk) return Fail(err, s, "field log: writing a record of ", n, " bytes failed");
  return Status::kOk;
}

Status EncodeLogRecord(const LogRecord& r, uint8_t* out, size_t capacity, size_t* written,
                       ErrorText* err) {
  BufferSink sink(out, out == nullptr ? 0 : capacity);
  const Status s = AppendLogRecord(&sink, r, err);
  if (written != nullptr) *written = s == Status::kOk ? sink.used() : 0;
  return s;
}

Status DecodeLogRecord(const uint8_t* data, size_t size, LogRecordView* view, size_t* consumed,
                       LogDefect* defect) {
  size_t used_local;
  LogDefect defect_local;
  size_t& used = consumed != nullptr ? *consumed : used_local;
  LogDefect& why = defect != nullptr ? *defect : defect_local;
  used = 0;
  why = LogDefect::kBadField;
  if (data == nullptr || size == 0) {
    why = LogDefect::kTruncated;
    return Status::kTruncated;
  }
  if (data[0] != kLogSync0 || (size > 1 && data[1] != kLogSync1)) return Status::kBadRecord;
  if (size < kLengthAt + 2) {
    why = LogDefect::kTruncated;
    return Status::kTruncated;
  }
  const size_t length = static_cast<size_t>(GetLe(data + kLengthAt, 2));
  if (length < kLogOverheadBytes) return Status::kBadRecord;
  used = length;
  if (length > size) {
    why = LogDefect::kTruncated;
    return Status::kTruncated;
  }
  // Version 1 headers are checked for consistency before the CRC: cheap, and
  // garbage that happens to hold a sync marker rarely gets as far as a CRC
  // over up to 64 KiB.
  const SampleType type = static_cast<SampleType>(data[kTypeAt]);
  const size_t ctx = data[kContextCountAt];
  const size_t count = static_cast<size_t>(GetLe(data + kSampleCountAt, 2));
  const bool v1 = data[kVersionAt] == kLogFormatVersion;
  if (v1 && (SampleBytes(type) == 0 || ctx > kLogMaxContext ||
             length != kLogOverheadBytes + 3 * ctx + SampleBytes(type) * count))
    return Status::kBadRecord;  // kBadField
  if (Crc32(data, length - 4) != static_cast<uint32_t>(GetLe(data + length - 4, 4))) {
    why = LogDefect::kBadCrc;
    return Status::kBadRecord;
  }
  if (!v1) {
    why = LogDefect::kBadVersion;
    return Status::kBadRecord;
  }
  if (view != nullptr) {
    LogRecordView& v = *view;
    v = LogRecordView();
    v.version = data[kVersionAt];
    v.timestamp_ms = GetLe(data + kTimestampAt, 8);
    v.device_id = static_cast<uint32_t>(GetLe(data + kDeviceAt, 4));
    v.model_version = static_cast<uint32_t>(GetLe(data + kModelVersionAt, 4));
    v.decision = data[kDecisionAt];
    v.confidence_q16 = static_cast<uint16_t>(GetLe(data + kConfidenceAt, 2));
    v.context_count = static_cast<uint8_t>(ctx);
    for (size_t i = 0; i < ctx; ++i) {
      v.context[i].key = data[kLogFixedBytes + 3 * i];
      v.context[i].value =
          static_cast<int16_t>(static_cast<uint16_t>(GetLe(data + kLogFixedBytes + 3 * i + 1, 2)));
    }
    v.sample_type = type;
    v.sample_count = static_cast<uint16_t>(count);
    v.sample_bytes = data + kLogFixedBytes + 3 * ctx;
    v.record_bytes = length;
  }
  return Status::kOk;
}

void ScanLog(const uint8_t* data, size_t size, LogRecordFn on_record, void* user,
             LogScanStats* stats) {
  LogScanStats local;
  LogScanStats& st = stats != nullptr ? *stats : local;
  st = LogScanStats();
  if (data == nullptr) return;
  bool pending = false;  // a refused candidate whose span is still open
  LogDefect pending_why = LogDefect::kBadField;
  size_t pending_end = 0;
  auto close_pending = [&](bool torn) {
    if (!pending) return;
    ++st.defects[static_cast<size_t>(torn ? LogDefect::kTorn : pending_why)];
    pending = false;
  };
  size_t p = 0;
  while (p < size) {
    if (data[p] != kLogSync0 || (p + 1 < size && data[p + 1] != kLogSync1)) {
      ++st.skipped_bytes;
      ++p;
      continue;
    }
    LogRecordView view;
    size_t used = 0;
    LogDefect why = LogDefect::kBadField;
    const Status s = DecodeLogRecord(data + p, size - p, &view, &used, &why);
    const bool inside = pending && p < pending_end;
    if (s == Status::kOk || why == LogDefect::kBadVersion) {
      // A whole record: an open refused span that reaches into it was torn.
      close_pending(inside);
      if (s == Status::kOk) {
        ++st.records;
        if (on_record != nullptr) on_record(view, p, user);
      } else {
        ++st.defects[static_cast<size_t>(LogDefect::kBadVersion)];
        st.skipped_bytes += used;
      }
      p += used;
      continue;
    }
    if (!inside) {
      close_pending(false);
      pending = true;
      pending_why = why;
      pending_end = p + (used > 0 ? used : 1);
    }
    ++st.skipped_bytes;
    ++p;
  }
  close_pending(false);
}

}  // namespace mote::micro
