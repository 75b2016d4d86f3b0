// Telemetry: one fixed-size record of what the guards saw (counters, latency,
// drift) plus the model version and uptime, with a stable, versioned
// little-endian encoding and a CRC-32 (docs/telemetry.md), for the device to
// send or log and for `mote telemetry decode` to read.
//
// Contract: EncodeTelemetry() writes exactly kTelemetryBytes into the caller's
// buffer (kBadArgument if it is smaller). DecodeTelemetry() checks magic,
// format, length, CRC and field sanity and fails with kBadRecord and a message
// naming what is wrong; any single-bit change of a record is rejected. No heap.
//
//   Telemetry t;
//   FillTelemetry(guard, manifest, uptime_s, ++sequence, /*watchdog=*/true, &t);
//   uint8_t buf[kTelemetryBytes];
//   EncodeTelemetry(t, buf, sizeof(buf), &err);
//   Send(buf, sizeof(buf));
#ifndef MOTE_MICRO_SAFETY_TELEMETRY_H_
#define MOTE_MICRO_SAFETY_TELEMETRY_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/safety/guards.h"
#include "micro/safety/manifest.h"
#include "micro/status.h"

namespace mote::micro {

constexpr uint8_t kTelemetryMagic[4] = {'M', 'O', 'T', 'T'};
constexpr uint16_t kTelemetryFormat = 1;
constexpr size_t kTelemetryBytes = 92;  // 88 bytes of fields + CRC-32

struct Telemetry {
  uint32_t sequence = 0;     // record number (the caller counts)
  uint32_t uptime_s = 0;     // seconds since boot
  SemVer model_version;      // from the manifest (0.0.0 if none)
  uint32_t invocations = 0;
  uint32_t windows = 0;
  uint32_t errors = 0;
  uint32_t overruns = 0;
  uint32_t fallbacks = 0;
  uint32_t clamped_values = 0;
  uint32_t nan_windows = 0;
  uint32_t low_confidence = 0;
  uint32_t warmup_skips = 0;
  uint32_t latency_min = 0, latency_max = 0, latency_mean = 0;  // cycles per Invoke
  uint32_t drift_windows = 0;
  float drift_max_shift = 0.0f;  // standardized mean shift of the worst feature
  float drift_max_ratio = 1.0f;  // variance ratio farthest from 1
  uint16_t drift_worst_feature = 0;
  uint8_t drift_alarm = 0;       // 0 or 1
  uint8_t flags = 0;             // bit 0: drift monitor enabled, bit 1: watchdog enabled
};

// The guard's counters and drift state, the manifest's version.
void FillTelemetry(const GuardedModel& guard, const Manifest& manifest, uint32_t uptime_s,
                   uint32_t sequence, bool watchdog, Telemetry* out);

Status EncodeTelemetry(const Telemetry& t, uint8_t* buf, size_t size, ErrorText* err);
Status DecodeTelemetry(const uint8_t* buf, size_t size, Telemetry* out, ErrorText* err);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_TELEMETRY_H_
