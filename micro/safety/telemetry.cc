#include "micro/safety/telemetry.h"

#include <string.h>

#include "micro/safety/crc32.h"

namespace mote::micro {
namespace {

void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void Put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void PutF32(uint8_t* p, float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  Put32(p, u);
}
uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
float GetF32(const uint8_t* p) {
  const uint32_t u = Get32(p);
  float f;
  memcpy(&f, &u, 4);
  return f;
}
bool FiniteNonNegative(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return (u & 0x7F800000u) != 0x7F800000u && !(f < 0.0f);
}

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
  Put16(buf + 4, kTelemetryFormat);
  Put16(buf + 6, static_cast<uint16_t>(kTelemetryBytes));
  Put32(buf + 8, t.sequence);
  Put32(buf + 12, t.uptime_s);
  Put16(buf + 16, t.model_version.major);
  Put16(buf + 18, t.model_version.minor);
  Put16(buf + 20, t.model_version.patch);
  buf[22] = t.flags;
  buf[23] = t.drift_alarm;
  const uint32_t counters[9] = {t.invocations,    t.windows,     t.errors,
                                t.overruns,       t.fallbacks,   t.clamped_values,
                                t.nan_windows,    t.low_confidence, t.warmup_skips};
  for (size_t i = 0; i < 9; ++i) Put32(buf + kCounters + 4 * i, counters[i]);
  Put32(buf + kLatency, t.latency_min);
  Put32(buf + kLatency + 4, t.latency_max);
  Put32(buf + kLatency + 8, t.latency_mean);
  Put32(buf + kDrift, t.drift_windows);
  PutF32(buf + kDrift + 4, t.drift_max_shift);
  PutF32(buf + kDrift + 8, t.drift_max_ratio);
  Put16(buf + kDrift + 12, t.drift_worst_feature);
  Put16(buf + kDrift + 14, 0);
  Put32(buf + kCrc, Crc32(buf, kCrc));
  return Status::kOk;
}

Status DecodeTelemetry(const uint8_t* buf, size_t size, Telemetry* out, ErrorText* err) {
  *out = Telemetry();
  if (buf == nullptr || size < kTelemetryBytes)
    return Fail(err, Status::kBadRecord, "telemetry: ", static_cast<int64_t>(size),
                " bytes, a record is ", static_cast<int64_t>(kTelemetryBytes));
  if (memcmp(buf, kTelemetryMagic, 4) != 0)
    return Fail(err, Status::kBadRecord, "telemetry: bad magic (expected \"MOTT\")");
  const uint16_t format = Get16(buf + 4);
  if (format != kTelemetryFormat)
    return Fail(err, Status::kBadRecord, "telemetry: format ", static_cast<int64_t>(format),
                " is not supported (this decoder reads 1)");
  if (Get16(buf + 6) != kTelemetryBytes)
    return Fail(err, Status::kBadRecord, "telemetry: length field ",
                static_cast<int64_t>(Get16(buf + 6)), " is not ",
                static_cast<int64_t>(kTelemetryBytes));
  if (Crc32(buf, kCrc) != Get32(buf + kCrc))
    return Fail(err, Status::kBadRecord, "telemetry: CRC-32 mismatch (record is corrupt)");
  Telemetry t;
  t.sequence = Get32(buf + 8);
  t.uptime_s = Get32(buf + 12);
  t.model_version = {Get16(buf + 16), Get16(buf + 18), Get16(buf + 20)};
  t.flags = buf[22];
  t.drift_alarm = buf[23];
  uint32_t* counters[9] = {&t.invocations, &t.windows,     &t.errors,
                           &t.overruns,    &t.fallbacks,   &t.clamped_values,
                           &t.nan_windows, &t.low_confidence, &t.warmup_skips};
  for (size_t i = 0; i < 9; ++i) *counters[i] = Get32(buf + kCounters + 4 * i);
  t.latency_min = Get32(buf + kLatency);
  t.latency_max = Get32(buf + kLatency + 4);
  t.latency_mean = Get32(buf + kLatency + 8);
  t.drift_windows = Get32(buf + kDrift);
  t.drift_max_shift = GetF32(buf + kDrift + 4);
  t.drift_max_ratio = GetF32(buf + kDrift + 8);
  t.drift_worst_feature = Get16(buf + kDrift + 12);
  if ((t.flags & ~3u) != 0 || t.drift_alarm > 1 || Get16(buf + kDrift + 14) != 0)
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
