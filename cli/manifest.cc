// mote manifest show MODEL [--json]
// mote manifest set MODEL -o OUT [key=value ...] [--from JSON] [--calibration DATA] [--arena]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/data/dataset.h"
#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/manifest.h"
#include "host/io/tflite_edit.h"

namespace mote::cli {
namespace {

using nlohmann::json;

std::string VersionText(const std::array<uint16_t, 3>& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

host::ManifestData ReadManifestOrThrow(const std::string& path, const host::AlignedBytes& bytes) {
  std::string err;
  auto m = host::ReadModelManifest(bytes.data(), bytes.size(), &err);
  if (!m && !err.empty()) throw CommandError(path + ": " + err);
  if (!m) throw CommandError(path + ": no mote.manifest metadata (add one with mote manifest set)");
  return *m;
}

void Show(const std::string& path, bool as_json) {
  std::string err;
  auto bytes = host::ReadFile(path, &err);
  if (!bytes) throw CommandError(err);
  const host::ManifestData m = ReadManifestOrThrow(path, *bytes);
  if (as_json) {
    std::cout << host::ManifestToJson(m).dump(2) << "\n";
    return;
  }
  std::printf("%s", host::ManifestText(m).c_str());
}

struct SetOptions {
  std::string model, out, from, calibration;
  std::vector<std::string> settings;
  bool arena = false, as_json = false;
};

void Set(const SetOptions& o) {
  std::string err;
  auto bytes = host::ReadFile(o.model, &err);
  if (!bytes) throw CommandError(err);
  host::ManifestData m;
  if (auto old = host::ReadModelManifest(bytes->data(), bytes->size(), &err)) m = *old;
  else if (!err.empty())
    std::cerr << "mote: warning: " << o.model << ": existing manifest ignored (" << err << ")\n";
  auto loaded = host::LoadedModel::FromBytes(bytes->data(), bytes->size(), &err);
  if (!loaded) throw CommandError(o.model + ": " + err);
  micro::Interpreter& in = loaded->interpreter();
  const size_t features = static_cast<size_t>(in.input(0)->elements());
  if (!o.from.empty()) {
    std::ifstream f(o.from);
    if (!f) throw CommandError(o.from + ": cannot open");
    json j;
    try {
      f >> j;
    } catch (const json::exception& e) {
      throw CommandError(o.from + ": not valid JSON (" + e.what() + ")");
    }
    std::string jerr;
    if (!host::ManifestFromJson(j, &m, &jerr)) throw CommandError(o.from + ": " + jerr);
  }
  for (const auto& kv : o.settings) {
    std::string serr;
    if (!host::ApplyManifestSetting(kv, &m, &serr)) throw CommandError(serr);
  }
  if (!o.calibration.empty()) {
    auto x = data::LoadArray(o.calibration, &err);
    if (!x) throw CommandError(err);
    if (x->size() == 0 || x->size() % features != 0)
      throw CommandError(o.calibration + ": " + std::to_string(x->size()) +
                         " values are not whole rows of the model input (" +
                         std::to_string(features) + " features)");
    host::CalibrationStats(x->data, features, &m.mean, &m.variance);
  }
  if (o.arena) m.arena_bytes = static_cast<uint32_t>(in.arena_used_bytes());
  if (m.name.empty()) throw CommandError("manifest needs a name (name=...)");
  if (!m.mean.empty() && m.mean.size() != features)
    throw CommandError("calibration has " + std::to_string(m.mean.size()) +
                       " features, the model input has " + std::to_string(features));
  if (m.scale.size() > 1 && m.scale.size() != features)
    throw CommandError("input scaling has " + std::to_string(m.scale.size()) +
                       " values; give 1 or one per input feature (" + std::to_string(features) + ")");
  auto record = host::EncodeManifest(m, &err);
  if (!record) throw CommandError(err);
  const std::vector<uint8_t> model(bytes->data(), bytes->data() + bytes->size());
  auto edited = host::AddMetadata(model, micro::kManifestMetadataName, *record, &err);
  if (!edited) throw CommandError(o.model + ": " + err);
  // The written model must load and carry exactly this manifest.
  auto check = host::LoadedModel::FromBytes(edited->data(), edited->size(), &err);
  if (!check) throw CommandError("model with manifest does not load: " + err);
  auto back = host::ReadModelManifest(check->bytes().data(), check->bytes().size(), &err);
  if (!back || host::ManifestToJson(*back) != host::ManifestToJson(m))
    throw CommandError("manifest does not read back: " + err);
  if (!host::WriteFile(o.out, edited->data(), edited->size(), &err)) throw CommandError(err);
  if (o.as_json) {
    json j = host::ManifestToJson(m);
    j["record_bytes"] = record->size();
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s: manifest %s %s (%zu bytes) written\n", o.out.c_str(), m.name.c_str(),
                VersionText(m.version).c_str(), record->size());
  }
}

}  // namespace

void AddManifest(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "manifest",
      "Show or set a model's manifest (metadata \"mote.manifest\": name, version, labels,\n"
      "input scaling, thresholds, calibration statistics, budgets; docs/manifest.md).\n\n"
      "Examples:\n"
      "  mote manifest show model.tflite --json\n"
      "  mote manifest set model.tflite -o m.tflite name=anomaly version=1.2.0 \\\n"
      "      labels=normal,anomaly threshold=0.7 hysteresis=0.05 warmup_windows=4 --arena\n"
      "  mote manifest set model.tflite -o m.tflite --from manifest.json --calibration x.npy\n");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand("show", "Print the manifest (error if the model has none).");
  auto show_path = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  show->add_option("model", *show_path, "the .tflite file")->required();
  show->add_flag("--json", *show_json, "print JSON (the shape --from accepts)");
  show->callback([show_path, show_json] { Show(*show_path, *show_json); });

  auto* set = cmd->add_subcommand(
      "set",
      "Write a copy of MODEL with a manifest. Starts from MODEL's manifest if it has one,\n"
      "then applies --from JSON, then key=value settings, then --calibration / --arena.\n"
      "Keys: name version min_runtime labels (a,b,c) scale offset (one value or one per\n"
      "feature, comma separated; input = raw*scale + offset) threshold hysteresis\n"
      "anomaly_threshold mean variance training_hash (64 hex digits) arena_bytes\n"
      "cycle_budget warmup_windows front_end (hex).");
  auto o = std::make_shared<SetOptions>();
  set->add_option("model", o->model, "the .tflite file")->required();
  set->add_option("settings", o->settings, "key=value edits");
  set->add_option("-o,--out", o->out, "the .tflite to write")->required();
  set->add_option("--from", o->from, "manifest JSON (as printed by show --json)");
  set->add_option("--calibration", o->calibration,
                  "dataset (.npy/.csv, rows of model inputs): per-feature mean and variance");
  set->add_flag("--arena", o->arena, "store the arena bytes mote plans for this model");
  set->add_flag("--json", o->as_json, "print the written manifest as JSON");
  set->callback([o] { Set(*o); });
}

}  // namespace mote::cli
