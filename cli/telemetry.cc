// mote telemetry decode FILE... [--json]
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/file.h"
#include "micro/safety/telemetry.h"

namespace mote::cli {
namespace {

using nlohmann::json;

json TelemetryJson(const micro::Telemetry& t) {
  const std::string version = std::to_string(t.model_version.major) + "." +
                              std::to_string(t.model_version.minor) + "." +
                              std::to_string(t.model_version.patch);
  return {{"sequence", t.sequence},
          {"uptime_s", t.uptime_s},
          {"model_version", version},
          {"invocations", t.invocations},
          {"windows", t.windows},
          {"errors", t.errors},
          {"overruns", t.overruns},
          {"fallbacks", t.fallbacks},
          {"clamped_values", t.clamped_values},
          {"nan_windows", t.nan_windows},
          {"low_confidence", t.low_confidence},
          {"warmup_skips", t.warmup_skips},
          {"latency_cycles", {{"min", t.latency_min}, {"mean", t.latency_mean}, {"max", t.latency_max}}},
          {"drift",
           {{"enabled", (t.flags & 1) != 0},
            {"windows", t.drift_windows},
            {"max_shift", t.drift_max_shift},
            {"max_variance_ratio", t.drift_max_ratio},
            {"worst_feature", t.drift_worst_feature},
            {"alarm", t.drift_alarm != 0}}},
          {"watchdog", (t.flags & 2) != 0}};
}

void Decode(const std::vector<std::string>& files, bool as_json) {
  json all = json::array();
  for (const auto& path : files) {
    std::string err;
    auto bytes = host::ReadFile(path, &err);
    if (!bytes) throw CommandError(err);
    const size_t n = bytes->size();
    if (n == 0 || n % micro::kTelemetryBytes != 0)
      throw CommandError(path + ": " + std::to_string(n) + " bytes is not a whole number of " +
                         std::to_string(micro::kTelemetryBytes) + "-byte telemetry records");
    for (size_t off = 0; off < n; off += micro::kTelemetryBytes) {
      micro::Telemetry t;
      micro::ErrorText e;
      if (micro::DecodeTelemetry(bytes->data() + off, micro::kTelemetryBytes, &t, &e) !=
          micro::Status::kOk)
        throw CommandError(path + ": record at offset " + std::to_string(off) + ": " + e.c_str());
      json j = TelemetryJson(t);
      j["file"] = path;
      j["offset"] = off;
      if (as_json) {
        all.push_back(j);
        continue;
      }
      std::printf("%s @%zu  model %s  seq %u  uptime %us\n", path.c_str(), off,
                  j["model_version"].get<std::string>().c_str(), t.sequence, t.uptime_s);
      std::printf("  windows %u  invocations %u  errors %u  overruns %u  fallbacks %u\n",
                  t.windows, t.invocations, t.errors, t.overruns, t.fallbacks);
      std::printf("  clamped values %u  NaN windows %u  low confidence %u  warm-up skips %u\n",
                  t.clamped_values, t.nan_windows, t.low_confidence, t.warmup_skips);
      std::printf("  latency cycles min %u  mean %u  max %u%s\n", t.latency_min, t.latency_mean,
                  t.latency_max, (t.flags & 2) ? "  (watchdog on)" : "");
      if (t.flags & 1)
        std::printf("  drift %s: %u windows, max shift %.3g sd (feature %u), variance ratio %.3g\n",
                    t.drift_alarm ? "ALARM" : "ok", t.drift_windows, t.drift_max_shift,
                    t.drift_worst_feature, t.drift_max_ratio);
      else
        std::printf("  drift monitor off\n");
    }
  }
  if (as_json) std::cout << all.dump(2) << "\n";
}

}  // namespace

void AddTelemetry(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "telemetry",
      "Read the telemetry records devices send (micro/safety/telemetry.h, docs/telemetry.md).\n\n"
      "Examples:\n"
      "  mote telemetry decode dev42.bin              counters, latency, drift per record\n"
      "  mote telemetry decode logs/*.bin --json      one JSON array for scripts\n");
  cmd->require_subcommand(1);
  auto* dec = cmd->add_subcommand(
      "decode", "Decode files of one or more concatenated 92-byte records; any corrupt record\n"
                "(bad magic, format, length, CRC-32 or field) fails with exit 1.");
  auto files = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  dec->add_option("files", *files, "record files")->required();
  dec->add_flag("--json", *as_json, "print a JSON array of records");
  dec->callback([files, as_json] { Decode(*files, *as_json); });
}

}  // namespace mote::cli
