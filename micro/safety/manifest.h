// The model manifest: what the device needs to know about a model beyond its
// graph (name, version, labels, input scaling, decision thresholds, the
// inputs' calibration statistics for drift detection, budgets). The host
// stores it in the .tflite as the metadata entry "mote.manifest"; the format
// (versioned, little-endian, tag-length-value fields, CRC-32) is specified in
// docs/manifest.md.
//
// Contract: ParseManifest() checks the whole record (magic, format version,
// lengths, CRC, every field's size and values) before it returns kOk, and
// fails with kBadRecord and a message naming the field otherwise. The parsed
// Manifest is zero-copy: strings and arrays point into the record, which must
// outlive it; no alignment is required (arrays are read through accessors).
// Unknown fields are skipped unless marked critical. No heap.
//
//   Manifest m;
//   ErrorText err;
//   if (FindManifest(&model, &m, &err) != Status::kOk) puts(err.c_str());
//   if (m.present) printf("%.*s %u.%u.%u\n", (int)m.name.size, m.name.data,
//                         m.version.major, m.version.minor, m.version.patch);
//   float x = raw * m.Scale(i) + m.Offset(i);   // input feature i
#ifndef MOTE_MICRO_SAFETY_MANIFEST_H_
#define MOTE_MICRO_SAFETY_MANIFEST_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/model/model.h"
#include "micro/status.h"

namespace mote::micro {

constexpr char kManifestMetadataName[] = "mote.manifest";
constexpr uint8_t kManifestMagic[4] = {'M', 'O', 'T', 'M'};
constexpr uint16_t kManifestFormat = 1;    // readers refuse a higher format
constexpr uint32_t kManifestHeaderBytes = 12;
constexpr uint32_t kManifestMaxBytes = 1u << 24;
// Field header flag: a reader that does not know the tag must refuse the record.
constexpr uint16_t kManifestFieldCritical = 0x0001;

enum class ManifestTag : uint16_t {
  kName = 1,            // UTF-8 bytes
  kVersion = 2,         // u16 major, minor, patch, reserved
  kMinRuntime = 3,      // u16 major, minor, patch, reserved
  kLabels = 4,          // u32 count, then count x (u16 length, bytes)
  kInputScaling = 5,    // u32 count, count x f32 scale, count x f32 offset
  kThresholds = 6,      // f32 confidence, f32 hysteresis, f32 anomaly
  kCalibration = 7,     // u32 count, count x f32 mean, count x f32 variance
  kTrainingHash = 8,    // 32 bytes
  kArenaBytes = 9,      // u32
  kCycleBudget = 10,    // u32 cycles per Invoke
  kWarmupWindows = 11,  // u32
  kFrontEnd = 12,       // opaque bytes
};

struct SemVer {
  uint16_t major = 0, minor = 0, patch = 0;
};
// -1, 0, 1 as a is older than, equal to, newer than b.
int CompareVersions(const SemVer& a, const SemVer& b);

// Bytes inside the record.
struct ByteSpan {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
};

// `count` little-endian float32 values, possibly unaligned.
struct F32Array {
  const uint8_t* data = nullptr;
  uint32_t count = 0;
  float operator[](uint32_t i) const;
};

struct Manifest {
  bool present = false;  // false: the model has no manifest
  uint16_t format = 0;
  ByteSpan name;         // required
  SemVer version;        // required
  bool has_min_runtime = false;
  SemVer min_runtime;
  uint32_t num_labels = 0;
  ByteSpan labels;       // the field's label list (see Label())
  F32Array scale, offset;  // count 0 (identity), 1 (all features) or one per feature
  bool has_thresholds = false;
  float confidence_threshold = 0.0f, hysteresis = 0.0f, anomaly_threshold = 0.0f;
  F32Array mean, variance;  // calibration statistics, count 0 or one per feature
  const uint8_t* training_hash = nullptr;  // 32 bytes or nullptr
  uint32_t arena_bytes = 0;                // 0: not given
  uint32_t cycle_budget = 0;               // 0: no watchdog budget
  uint32_t warmup_windows = 0;
  ByteSpan front_end;
  uint32_t unknown_fields = 0;             // skipped (non-critical) fields

  // Label i (REQUIRES i < num_labels; the record was validated).
  ByteSpan Label(uint32_t i) const;
  // input = raw * Scale(i) + Offset(i); identity without an input scaling field.
  float Scale(uint32_t feature) const;
  float Offset(uint32_t feature) const;
};

// Parses and validates a record. On failure returns kBadRecord (never reads
// outside [data, data + size)) and leaves *out with present == false.
Status ParseManifest(const uint8_t* data, size_t size, Manifest* out, ErrorText* err);

// Finds "mote.manifest" in the model's metadata and parses it. A model
// without one gives kOk and out->present == false.
Status FindManifest(Model* model, Manifest* out, ErrorText* err);

// The runtime's own version (the project version), compared with the
// manifest's min_runtime.
constexpr SemVer kRuntimeVersion = {0, 1, 0};

// kOk if the manifest has no min_runtime or it is <= `runtime`; else
// kBadModel with "model needs runtime >= x.y.z, this is a.b.c".
Status CheckRuntimeVersion(const Manifest& m, const SemVer& runtime, ErrorText* err);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_MANIFEST_H_
