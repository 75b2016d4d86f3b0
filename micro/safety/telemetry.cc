#include "micro/safety/telemetry.h"

#include <string.h>

#include "micro/safety/crc32.h"
#include "micro/safety/le_bytes.h"

namespace mote::micro {
namespace {

bool FiniteNonNegative(float f) { return IsFinite(f) && !(f < 0.0f); }

// Byte offsets of the fields (docs/telemetry.md).
constexpr size_t kCounters = 24;  // nine u32 counters from invocations to warmup_skips
constexpr size_t kLatency = 60;
constexpr size_t kDrift = 72;
constexpr size_t kCrc = 88;

}  // namespace

void FillTelemetry(const GuardedModel& guard, const Manifest& manifest, uint32_t uptime_s,
                   uint32_t sequence, bool watchdog, Telemetry* out) {
  Telemetry t;
  const GuardCounters& c = guard.counters();
  t.sequence = sequence;
  t.uptime_s = uptime_s;
  if (manifest.present) t.model_version = manifest.version;
  t.invocations = c.invocations;
  t.windows = c.windows;
  t.errors = c.errors;
  t.overruns = c.overruns;
  t.fallbacks = c.fallbacks;
  t.clamped_values = c.clamped_values;
  t.nan_windows = c.nan_windows;
  t.low_confidence = c.low_confidence;
  t.warmup_skips = c.warmup_skips;
  t.latency_min = c.latency_min;
  t.latency_max = c.latency_max;
  t.latency_mean = c.latency_mean();
  const DriftMonitor& d = guard.drift();
  t.drift_windows = d.windows();
  t.drift_max_shift = d.max_shift();
  t.drift_max_ratio = d.max_ratio();
  t.drift_worst_feature = d.worst_feature();
  t.drift_alarm = d.alarm() ? 1 : 0;
  t.flags = static_cast<uint8_t>((d.enabled() ? 1 : 0) | (watchdog ? 2 : 0));
  *out = t;
}

Status EncodeTelemetry(const Telemetry& t, uint8_t* buf, size_t size, ErrorText* err) {
  if (buf == nullptr || size < kTelemetryBytes)
    return Fail(err, Status::kBadArgument, "telemetry: buffer of ", static_cast<int64_t>(size),
                " bytes, need ", static_cast<int64_t>(kTelemetryBytes));
  memcpy(buf, kTelemetryMagic, 4);
  StoreLe16(buf + 4, kTelemetryFormat);
  StoreLe16(buf + 6, static_cast<uint16_t>(kTelemetryBytes));
  StoreLe32(buf + 8, t.sequence);
  StoreLe32(buf + 12, t.uptime_s);
  StoreLe16(buf + 16, t.model_version.major);
  StoreLe16(buf + 18, t.model_version.minor);
  StoreLe16(buf + 20, t.model_version.patch);
  buf[22] = t.flags;
  buf[23] = t.drift_alarm;
  const uint32_t counters[9] = {t.invocations,    t.windows,     t.errors,
                                t.overruns,       t.fallbacks,   t.clamped_values,
                                t.nan_windows,    t.low_confidence, t.warmup_skips};
  for (size_t i = 0; i < 9; ++i) StoreLe32(buf + kCounters + 4 * i, counters[i]);
  StoreLe32(buf + kLatency, t.latency_min);
  StoreLe32(buf + kLatency + 4, t.latency_max);
  StoreLe32(buf + kLatency + 8, t.latency_mean);
  StoreLe32(buf + kDrift, t.drift_windows);
  StoreLeF32(buf + kDrift + 4, t.drift_max_shift);
  StoreLeF32(buf + kDrift + 8, t.drift_max_ratio);
  StoreLe16(buf + kDrift + 12, t.drift_worst_feature);
  StoreLe16(buf + kDrift + 14, 0);
  StoreLe32(buf + kCrc, Crc32(buf, kCrc));
  return Status::kOk;
}

Status DecodeTelemetry(const uint8_t* buf, size_t size, Telemetry* out, ErrorText* err) {
  *out = Telemetry();
  if (buf == nullptr || size < kTelemetryBytes)
    return Fail(err, Status::kBadRecord, "telemetry: ", static_cast<int64_t>(size),
                " bytes, a record is ", static_cast<int64_t>(kTelemetryBytes));
  if (memcmp(buf, kTelemetryMagic, 4) != 0)
    return Fail(err, Status::kBadRecord, "telemetry: bad magic (expected \"MOTT\")");
  const uint16_t format = LoadLe16(buf + 4);
  if (format != kTelemetryFormat)
    return Fail(err, Status::kBadRecord, "telemetry: format ", static_cast<int64_t>(format),
                " is not supported (this decoder reads 1)");
  if (LoadLe16(buf + 6) != kTelemetryBytes)
    return Fail(err, Status::kBadRecord, "telemetry: length field ",
                static_cast<int64_t>(LoadLe16(buf + 6)), " is not ",
                static_cast<int64_t>(kTelemetryBytes));
  if (Crc32(buf, kCrc) != LoadLe32(buf + kCrc))
    return Fail(err, Status::kBadRecord, "telemetry: CRC-32 mismatch (record is corrupt)");
  Telemetry t;
  t.sequence = LoadLe32(buf + 8);
  t.uptime_s = LoadLe32(buf + 12);
  t.model_version = {LoadLe16(buf + 16), LoadLe16(buf + 18), LoadLe16(buf + 20)};
  t.flags = buf[22];
  t.drift_alarm = buf[23];
  uint32_t* counters[9] = {&t.invocations, &t.windows,     &t.errors,
                           &t.overruns,    &t.fallbacks,   &t.clamped_values,
                           &t.nan_windows, &t.low_confidence, &t.warmup_skips};
  for (size_t i = 0; i < 9; ++i) *counters[i] = LoadLe32(buf + kCounters + 4 * i);
  t.latency_min = LoadLe32(buf + kLatency);
  t.latency_max = LoadLe32(buf + kLatency + 4);
  t.latency_mean = LoadLe32(buf + kLatency + 8);
  t.drift_windows = LoadLe32(buf + kDrift);
  t.drift_max_shift = LoadLeF32(buf + kDrift + 4);
  t.drift_max_ratio = LoadLeF32(buf + kDrift + 8);
  t.drift_worst_feature = LoadLe16(buf + kDrift + 12);
  if ((t.flags & ~3u) != 0 || t.drift_alarm > 1 || LoadLe16(buf + kDrift + 14) != 0)
    return Fail(err, Status::kBadRecord, "telemetry: reserved bits are set");
  if (!FiniteNonNegative(t.drift_max_shift) || !FiniteNonNegative(t.drift_max_ratio))
    return Fail(err, Status::kBadRecord, "telemetry: drift statistic is negative or not finite");
  if (t.latency_min > t.latency_max || t.latency_mean < t.latency_min ||
      t.latency_mean > t.latency_max)
    return Fail(err, Status::kBadRecord, "telemetry: latency min/mean/max out of order");
  *out = t;
  return Status::kOk;
}

}  // namespace mote::micro
