// libFuzzer target for the field log reader (micro/safety/field_log.h) and
// the flash structures read at boot: any bytes must be scanned without a
// crash, a hang or a sanitizer report; every record delivered must lie inside
// the input and re-encode to exactly the bytes it was decoded from. The same
// bytes are also opened as a flash image by the log ring and the model slots.
// Built with -DMOTE_FUZZ=ON (clang):
//
//   tests/fuzz/run_field_log_fuzzer.sh 600     # build into build-fuzz/, run 10 min
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <new>

#include "micro/safety/field_log.h"
#include "micro/safety/field_log_ring.h"
#include "micro/safety/flash_sim.h"
#include "micro/safety/slots.h"

namespace {

using namespace mote::micro;

struct Span {
  const uint8_t* data;
  size_t size;
};

void Check(const LogRecordView& v, size_t offset, void* user) {
  const Span* in = static_cast<const Span*>(user);
  const uint8_t* rec = in->data + offset;
  if (offset >= in->size || v.record_bytes > in->size - offset) __builtin_trap();
  const size_t samples = SampleBytes(v.sample_type) * v.sample_count;
  if (v.sample_bytes < rec || v.sample_bytes + samples > rec + v.record_bytes) __builtin_trap();
  // Re-encode: the same bytes.
  LogRecord r;
  r.timestamp_ms = v.timestamp_ms;
  r.device_id = v.device_id;
  r.model_version = v.model_version;
  r.decision = v.decision;
  r.confidence_q16 = v.confidence_q16;
  r.context = v.context;
  r.context_count = v.context_count;
  r.sample_type = v.sample_type;
  r.samples = v.sample_bytes;
  r.sample_count = v.sample_count;
  static uint8_t out[kLogMaxRecordBytes];
  size_t n = 0;
  if (EncodeLogRecord(r, out, sizeof(out), &n) != Status::kOk || n != v.record_bytes ||
      memcmp(out, rec, n) != 0)
    __builtin_trap();
}

class NullSink : public LogSink {
 public:
  Status Begin(size_t) override { return Status::kOk; }
  Status Write(const uint8_t*, size_t) override { return Status::kOk; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A copy of exactly `size` bytes, so ASan reports any read past the end.
  uint8_t* copy = static_cast<uint8_t*>(::operator new(size > 0 ? size : 1));
  if (size > 0) memcpy(copy, data, size);
  Span in{copy, size};
  LogScanStats st;
  ScanLog(copy, size, Check, &in, &st);
  size_t defects = 0;
  for (uint32_t d : st.defects) defects += d;
  if (st.skipped_bytes > size || defects > size) __builtin_trap();

  // The input as a flash image (whole 64-byte sectors): log ring and slots.
  constexpr size_t kSector = 64;
  const size_t flash_bytes = size / kSector * kSector;
  if (flash_bytes >= 4 * kSector) {
    uint8_t* mem = static_cast<uint8_t*>(::operator new(flash_bytes));
    SimFlash flash(mem, flash_bytes, kSector);
    memcpy(mem, copy, flash_bytes);
    FlashLogRing ring(&flash, 0, flash_bytes / 2 / kSector * kSector);
    NullSink sink;
    if (ring.Open() == Status::kOk) {
      ring.Dump(&sink);
      uint8_t w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
      LogRecord r;
      r.samples = w;
      r.sample_count = 8;
      AppendLogRecord(&ring, r);  // must land in a sector, never outside
    }
    const size_t half = flash_bytes / 2 / kSector * kSector;
    ModelSlots slots(&flash, {{0, half}, half});
    BootResult boot;
    if (slots.Boot(&boot) == Status::kOk &&
        (boot.image < mem || boot.image + boot.size > mem + flash_bytes))
      __builtin_trap();
    ::operator delete(mem);
  }
  ::operator delete(copy);
  return 0;
}
