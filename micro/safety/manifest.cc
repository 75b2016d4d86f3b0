#include "micro/safety/manifest.h"

#include <string.h>

#include "micro/safety/crc32.h"
#include "micro/safety/le_bytes.h"

namespace mote::micro {
namespace {

const char* TagName(uint16_t tag) {
  switch (static_cast<ManifestTag>(tag)) {
    case ManifestTag::kName: return "name";
    case ManifestTag::kVersion: return "version";
    case ManifestTag::kMinRuntime: return "min_runtime";
    case ManifestTag::kLabels: return "labels";
    case ManifestTag::kInputScaling: return "input_scaling";
    case ManifestTag::kThresholds: return "thresholds";
    case ManifestTag::kCalibration: return "calibration";
    case ManifestTag::kTrainingHash: return "training_hash";
    case ManifestTag::kArenaBytes: return "arena_bytes";
    case ManifestTag::kCycleBudget: return "cycle_budget";
    case ManifestTag::kWarmupWindows: return "warmup_windows";
    case ManifestTag::kFrontEnd: return "front_end";
  }
  return "unknown";
}

Status Bad(ErrorText* err, uint16_t tag, const char* what) {
  return Fail(err, Status::kBadRecord, "manifest field ", TagName(tag), " (tag ",
              static_cast<int64_t>(tag), "): ", what);
}

Status ParseSemVer(const uint8_t* v, uint32_t n, uint16_t tag, SemVer* out, ErrorText* err) {
  if (n != 8) return Bad(err, tag, "expected 8 bytes");
  out->major = LoadLe16(v);
  out->minor = LoadLe16(v + 2);
  out->patch = LoadLe16(v + 4);
  return Status::kOk;
}

// u32 count, then `arrays` arrays of count float32 values; every value finite.
Status ParseArrays(const uint8_t* v, uint32_t n, uint16_t tag, F32Array* a, F32Array* b,
                   ErrorText* err) {
  if (n < 4) return Bad(err, tag, "shorter than its count");
  const uint32_t count = LoadLe32(v);
  if (count == 0 || count > (n - 4) / 8 || n != 4 + 8 * count)
    return Bad(err, tag, "count does not match the field length");
  a->data = v + 4;
  a->count = count;
  b->data = v + 4 + 4 * count;
  b->count = count;
  for (uint32_t i = 0; i < count; ++i)
    if (!IsFinite((*a)[i]) || !IsFinite((*b)[i])) return Bad(err, tag, "value is NaN or infinite");
  return Status::kOk;
}

Status ParseLabels(const uint8_t* v, uint32_t n, Manifest* m, ErrorText* err) {
  const uint16_t tag = static_cast<uint16_t>(ManifestTag::kLabels);
  if (n < 4) return Bad(err, tag, "shorter than its count");
  const uint32_t count = LoadLe32(v);
  uint32_t at = 4;
  for (uint32_t i = 0; i < count; ++i) {
    if (n - at < 2) return Bad(err, tag, "label list ends early");
    const uint32_t len = LoadLe16(v + at);
    at += 2;
    if (n - at < len) return Bad(err, tag, "label runs past the field");
    at += len;
  }
  if (at != n) return Bad(err, tag, "bytes after the last label");
  m->num_labels = count;
  m->labels = {v, n};
  return Status::kOk;
}

Status ParseField(uint16_t tag, const uint8_t* v, uint32_t n, Manifest* m, ErrorText* err) {
  switch (static_cast<ManifestTag>(tag)) {
    case ManifestTag::kName:
      if (n == 0 || n > 255) return Bad(err, tag, "length must be 1..255");
      m->name = {v, n};
      return Status::kOk;
    case ManifestTag::kVersion: return ParseSemVer(v, n, tag, &m->version, err);
    case ManifestTag::kMinRuntime:
      m->has_min_runtime = true;
      return ParseSemVer(v, n, tag, &m->min_runtime, err);
    case ManifestTag::kLabels: return ParseLabels(v, n, m, err);
    case ManifestTag::kInputScaling: return ParseArrays(v, n, tag, &m->scale, &m->offset, err);
    case ManifestTag::kThresholds:
      if (n != 12) return Bad(err, tag, "expected 12 bytes");
      m->has_thresholds = true;
      m->confidence_threshold = LoadLeF32(v);
      m->hysteresis = LoadLeF32(v + 4);
      m->anomaly_threshold = LoadLeF32(v + 8);
      if (!IsFinite(m->confidence_threshold) || !IsFinite(m->hysteresis) ||
          !IsFinite(m->anomaly_threshold))
        return Bad(err, tag, "threshold is NaN or infinite");
      if (m->hysteresis < 0.0f) return Bad(err, tag, "hysteresis is negative");
      return Status::kOk;
    case ManifestTag::kCalibration: {
      Status s = ParseArrays(v, n, tag, &m->mean, &m->variance, err);
      if (s != Status::kOk) return s;
      for (uint32_t i = 0; i < m->variance.count; ++i)
        if (m->variance[i] < 0.0f) return Bad(err, tag, "variance is negative");
      return Status::kOk;
    }
    case ManifestTag::kTrainingHash:
      if (n != 32) return Bad(err, tag, "expected 32 bytes");
      m->training_hash = v;
      return Status::kOk;
    case ManifestTag::kArenaBytes:
    case ManifestTag::kCycleBudget:
    case ManifestTag::kWarmupWindows: {
      if (n != 4) return Bad(err, tag, "expected 4 bytes");
      const uint32_t x = LoadLe32(v);
      if (tag == static_cast<uint16_t>(ManifestTag::kArenaBytes)) m->arena_bytes = x;
      else if (tag == static_cast<uint16_t>(ManifestTag::kCycleBudget)) m->cycle_budget = x;
      else m->warmup_windows = x;
      return Status::kOk;
    }
    case ManifestTag::kFrontEnd:
      m->front_end = {v, n};
      return Status::kOk;
  }
  return Status::kBadArgument;  // unknown tag: the caller decides
}

}  // namespace

int CompareVersions(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return 0;
}

float F32Array::operator[](uint32_t i) const { return LoadLeF32(data + 4 * i); }

ByteSpan Manifest::Label(uint32_t i) const {
  uint32_t at = 4;
  for (uint32_t k = 0; k < i; ++k) at += 2 + LoadLe16(labels.data + at);
  return {labels.data + at + 2, LoadLe16(labels.data + at)};
}

float Manifest::Scale(uint32_t feature) const {
  if (scale.count == 0) return 1.0f;
  return scale[scale.count == 1 ? 0 : (feature < scale.count ? feature : scale.count - 1)];
}

float Manifest::Offset(uint32_t feature) const {
  if (offset.count == 0) return 0.0f;
  return offset[offset.count == 1 ? 0 : (feature < offset.count ? feature : offset.count - 1)];
}

Status ParseManifest(const uint8_t* data, size_t size, Manifest* out, ErrorText* err) {
  *out = Manifest();
  if (data == nullptr || size < kManifestHeaderBytes + 4)
    return Fail(err, Status::kBadRecord, "manifest: ", static_cast<int64_t>(size),
                " bytes is shorter than header + CRC (16)");
  if (memcmp(data, kManifestMagic, 4) != 0)
    return Fail(err, Status::kBadRecord, "manifest: bad magic (expected \"MOTM\")");
  const uint16_t format = LoadLe16(data + 4);
  if (format == 0 || format > kManifestFormat)
    return Fail(err, Status::kBadRecord, "manifest: format ", static_cast<int64_t>(format),
                " is not supported (this runtime reads 1..", static_cast<int64_t>(kManifestFormat),
                ")");
  const uint32_t total = LoadLe32(data + 8);
  if (total < kManifestHeaderBytes + 4 || total > size || total > kManifestMaxBytes ||
      total % 4 != 0)
    return Fail(err, Status::kBadRecord, "manifest: record length ", static_cast<int64_t>(total),
                " does not fit the ", static_cast<int64_t>(size), " bytes given");
  const uint32_t crc = LoadLe32(data + total - 4);
  if (Crc32(data, total - 4) != crc)
    return Fail(err, Status::kBadRecord, "manifest: CRC-32 mismatch (record is corrupt)");
  Manifest m;
  m.format = format;
  uint32_t seen = 0;  // bit per known tag, to refuse duplicates
  const uint32_t end = total - 4;
  uint32_t at = kManifestHeaderBytes;
  while (at < end) {
    if (end - at < 8)
      return Fail(err, Status::kBadRecord, "manifest: field header at offset ",
                  static_cast<int64_t>(at), " is truncated");
    const uint16_t tag = LoadLe16(data + at);
    const uint16_t flags = LoadLe16(data + at + 2);
    const uint32_t len = LoadLe32(data + at + 4);
    const uint32_t padded = len > 0xFFFFFFF0u ? 0xFFFFFFFFu : (len + 3u) & ~3u;
    if (padded > end - at - 8)
      return Fail(err, Status::kBadRecord, "manifest: field tag ", static_cast<int64_t>(tag),
                  " at offset ", static_cast<int64_t>(at), " has length ",
                  static_cast<int64_t>(len), " past the end of the record");
    const uint8_t* v = data + at + 8;
    const bool known = tag >= 1 && tag <= static_cast<uint16_t>(ManifestTag::kFrontEnd);
    if (known) {
      if (seen & (1u << tag)) return Bad(err, tag, "appears twice");
      seen |= 1u << tag;
      Status s = ParseField(tag, v, len, &m, err);
      if (s != Status::kOk) return s;
    } else if (flags & kManifestFieldCritical) {
      return Fail(err, Status::kBadRecord, "manifest: unknown critical field tag ",
                  static_cast<int64_t>(tag), " (needs a newer runtime)");
    } else {
      ++m.unknown_fields;
    }
    at += 8 + padded;
  }
  if (m.name.data == nullptr)
    return Fail(err, Status::kBadRecord, "manifest: required field name is missing");
  if (!(seen & (1u << static_cast<uint16_t>(ManifestTag::kVersion))))
    return Fail(err, Status::kBadRecord, "manifest: required field version is missing");
  if (m.mean.count != 0 && m.scale.count > 1 && m.scale.count != m.mean.count)
    return Fail(err, Status::kBadRecord, "manifest: input_scaling has ",
                static_cast<int64_t>(m.scale.count), " features but calibration has ",
                static_cast<int64_t>(m.mean.count));
  m.present = true;
  *out = m;
  return Status::kOk;
}

Status CheckRuntimeVersion(const Manifest& m, const SemVer& runtime, ErrorText* err) {
  if (!m.present || !m.has_min_runtime || CompareVersions(m.min_runtime, runtime) <= 0)
    return Status::kOk;
  return Fail(err, Status::kBadModel, "model needs runtime >= ",
              static_cast<int64_t>(m.min_runtime.major), ".",
              static_cast<int64_t>(m.min_runtime.minor), ".",
              static_cast<int64_t>(m.min_runtime.patch), ", this is ",
              static_cast<int64_t>(runtime.major), ".", static_cast<int64_t>(runtime.minor), ".",
              static_cast<int64_t>(runtime.patch));
}

Status FindManifest(Model* model, Manifest* out, ErrorText* err) {
  *out = Manifest();
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  Status s = model->FindMetadata(kManifestMetadataName, &data, &size, err);
  if (s != Status::kOk || data == nullptr) return s;
  return ParseManifest(data, size, out, err);
}

}  // namespace mote::micro
