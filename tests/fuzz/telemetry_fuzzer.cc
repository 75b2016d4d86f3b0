// libFuzzer target for the telemetry decoder (micro/safety/telemetry.h): any
// bytes give kBadRecord with a message, or a record that encodes back to the
// same bytes. Built with -DMOTE_FUZZ=ON (clang):
//
//   tests/fuzz/run_safety_fuzzers.sh 600 telemetry
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <new>

#include "micro/safety/crc32.h"
#include "micro/safety/telemetry.h"

namespace {

void Check(const uint8_t* rec, size_t size) {
  using namespace mote::micro;
  Telemetry t;
  ErrorText err;
  const Status s = DecodeTelemetry(rec, size, &t, &err);
  if (s != Status::kOk) {
    if (s != Status::kBadRecord || err.empty()) __builtin_trap();
  } else {
    uint8_t again[kTelemetryBytes];
    if (EncodeTelemetry(t, again, sizeof(again), &err) != Status::kOk ||
        memcmp(again, rec, kTelemetryBytes) != 0)
      __builtin_trap();  // a valid record must re-encode to the same bytes
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mote::micro;
  uint8_t* rec = static_cast<uint8_t*>(::operator new(size > 0 ? size : 1));
  if (size > 0) memcpy(rec, data, size);
  Check(rec, size);
  if (size >= kTelemetryBytes) {  // with a valid CRC, mutations reach the field checks
    const uint32_t crc = Crc32(rec, kTelemetryBytes - 4);
    for (int i = 0; i < 4; ++i) rec[kTelemetryBytes - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
    Check(rec, size);
  }
  ::operator delete(rec);
  return 0;
}
