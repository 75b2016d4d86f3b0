// The model manifest on the host: an editable struct, its binary encoding
// (docs/manifest.md; the device parser micro/safety/manifest.h reads it),
// decoding through the device parser, JSON conversion, and reading/writing
// it as the "mote.manifest" metadata of a .tflite file.
//
// Contract: EncodeManifest() writes format 1 with the fields that are set
// (name and version always); DecodeManifest() accepts exactly what the device
// accepts. JSON keys are those `mote manifest show --json` prints; FromJson()
// rejects unknown keys and wrong types with a message naming the key.
//
//   host::ManifestData m;
//   m.name = "anomaly"; m.version = {1, 2, 0}; m.labels = {"normal", "anomaly"};
//   std::vector<uint8_t> rec = host::EncodeManifest(m);
//   auto model2 = host::AddMetadata(model, "mote.manifest", rec, &err);
#ifndef MOTE_HOST_IO_MANIFEST_H_
#define MOTE_HOST_IO_MANIFEST_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "micro/safety/manifest.h"

namespace mote::host {

struct ManifestData {
  std::string name;
  std::array<uint16_t, 3> version{0, 0, 0};
  std::optional<std::array<uint16_t, 3>> min_runtime;
  std::vector<std::string> labels;
  std::vector<float> scale, offset;  // empty, one, or one per feature (same count)
  bool has_thresholds = false;
  float confidence_threshold = 0.0f, hysteresis = 0.0f, anomaly_threshold = 0.0f;
  std::vector<float> mean, variance;  // calibration statistics per feature
  std::optional<std::array<uint8_t, 32>> training_hash;
  uint32_t arena_bytes = 0, cycle_budget = 0, warmup_windows = 0;
  std::vector<uint8_t> front_end;
};

// Returns the record, or nullopt and *err when a field cannot be encoded
// (empty or long name, label over 65535 bytes, mismatched array counts, NaN).
std::optional<std::vector<uint8_t>> EncodeManifest(const ManifestData& m, std::string* err);
std::optional<ManifestData> DecodeManifest(const uint8_t* data, size_t size, std::string* err);

nlohmann::json ManifestToJson(const ManifestData& m);
// Applies the keys of `j` onto *m (so a partial JSON edits an existing manifest).
bool ManifestFromJson(const nlohmann::json& j, ManifestData* m, std::string* err);
// One key=value edit, e.g. "version=1.2.0", "labels=normal,anomaly",
// "threshold=0.7", "scale=0.01", "offset=-1,0,1".
bool ApplyManifestSetting(const std::string& key_value, ManifestData* m, std::string* err);

// Human-readable lines ("name      anomaly\n..."), each prefixed by `indent`.
std::string ManifestText(const ManifestData& m, const std::string& indent = "");

// "1.2.3" -> {1,2,3}.
bool ParseSemVer(const std::string& text, std::array<uint16_t, 3>* out);

// Per-feature mean and (population) variance of rows [n, features...].
void CalibrationStats(const std::vector<float>& data, size_t features, std::vector<float>* mean,
                      std::vector<float>* variance);

// The model's manifest (nullopt with empty *err when it has none).
std::optional<ManifestData> ReadModelManifest(const uint8_t* model, size_t size, std::string* err);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_MANIFEST_H_
