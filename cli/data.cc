// mote data synth-anomaly --n 2000 --length 64 --seed S -o FILE [--labels FILE]
// mote data ingest LOG... -o DATASET [--length N] [--json]
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/data/dataset.h"
#include "host/data/ingest.h"

namespace mote::cli {
namespace {

struct SynthOptions {
  int n = 2000, length = 64;
  uint64_t seed = 1;
  std::string out, labels;
};

std::string LabelsPath(const std::string& out) {
  const std::string ext = ".npy";
  if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0)
    return out.substr(0, out.size() - ext.size()) + "_labels.npy";
  return out + "_labels.npy";
}

void Synth(const SynthOptions& o) {
  const data::Dataset d = data::SynthAnomaly(o.n, o.length, o.seed);
  const std::string labels = o.labels.empty() ? LabelsPath(o.out) : o.labels;
  std::string err;
  if (!data::SaveNpy(o.out, d.x, false, &err) || !data::SaveNpy(labels, d.y, true, &err))
    throw CommandError(err);
  int anomalies = 0;
  for (float v : d.y.data) anomalies += v > 0.5f;
  std::printf("wrote %s (float32 [%d,%d,1]) and %s (int32 [%d], %d anomalies)\n", o.out.c_str(),
              o.n, o.length, labels.c_str(), o.n, anomalies);
}

struct IngestOptions {
  std::vector<std::string> logs;
  std::string out;
  size_t length = 0;
  bool json = false;
};

void RunIngest(const IngestOptions& o) {
  data::Ingest ingest;
  std::string err;
  for (const auto& path : o.logs)
    if (!ingest.AddFile(path, &err)) throw CommandError(err);
  const bool wrote = ingest.Write(o.out, o.length, &err);
  const data::IngestStats& st = ingest.stats();
  const auto devices = ingest.Summaries();
  const size_t rows = st.records - st.non_finite - st.other_length;
  if (o.json) {
    nlohmann::json j;
    j["files"] = st.files;
    j["bytes"] = st.bytes;
    j["records"] = st.records;
    j["rows"] = wrote ? rows : 0;
    j["length"] = wrote ? (o.length ? o.length : ingest.CommonLength()) : 0;
    j["non_finite"] = st.non_finite;
    j["other_length"] = st.other_length;
    j["skipped_bytes"] = st.skipped_bytes;
    for (size_t i = 0; i < micro::kLogDefectCount; ++i)
      j["corrupt"][micro::LogDefectName(static_cast<micro::LogDefect>(i))] = st.defects[i];
    j["devices"] = nlohmann::json::array();
    for (const auto& d : devices)
      j["devices"].push_back({{"device_id", d.device_id}, {"count", d.count}, {"mean", d.mean},
                              {"std", d.std}, {"decision_rate", d.decision_rate},
                              {"mean_confidence", d.mean_confidence}, {"first_ms", d.first_ms},
                              {"last_ms", d.last_ms}, {"model_versions", d.model_versions}});
    if (wrote) {
      j["outputs"] = {o.out, data::SiblingPath(o.out, "_labels.npy"),
                      data::SiblingPath(o.out, "_meta.csv")};
    } else {
      j["error"] = err;
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    size_t corrupt = 0;
    for (size_t d : st.defects) corrupt += d;
    std::printf("read %zu file(s), %zu bytes: %zu intact records, %zu corrupt (", st.files,
                st.bytes, st.records, corrupt);
    for (size_t i = 0; i < micro::kLogDefectCount; ++i)
      std::printf("%s%s %zu", i ? ", " : "", micro::LogDefectName(static_cast<micro::LogDefect>(i)),
                  st.defects[i]);
    std::printf("), %zu bytes skipped\n", st.skipped_bytes);
    if (st.non_finite) std::printf("left out: %zu float records with NaN/Inf\n", st.non_finite);
    if (st.other_length) std::printf("left out: %zu records of another window length\n", st.other_length);
    std::printf("%10s %8s %12s %12s %9s %9s  %s\n", "device", "records", "mean", "std",
                "decided", "conf", "model versions");
    for (const auto& d : devices) {
      std::string versions;
      for (uint32_t v : d.model_versions) versions += (versions.empty() ? "" : ",") + std::to_string(v);
      std::printf("%10u %8zu %12.4f %12.4f %9.3f %9.3f  %s\n", d.device_id, d.count, d.mean, d.std,
                  d.decision_rate, d.mean_confidence, versions.c_str());
    }
    if (wrote)
      std::printf("wrote %s (float32 [%zu,%zu,1]), %s, %s\n", o.out.c_str(), rows,
                  o.length ? o.length : ingest.CommonLength(),
                  data::SiblingPath(o.out, "_labels.npy").c_str(),
                  data::SiblingPath(o.out, "_meta.csv").c_str());
  }
  if (!wrote) throw CommandError(err);
}

}  // namespace

void AddData(CLI::App& app) {
  auto* data = app.add_subcommand("data", "Make data sets.");
  data->require_subcommand(1);
  auto o = std::make_shared<SynthOptions>();
  auto* s = data->add_subcommand(
      "synth-anomaly",
      "The seed's synthetic windows: sin over one period + N(0, 0.1) noise; with\n"
      "probability 0.2 one random sample gets +U(2, 3) and the label 1.\n"
      "Writes FILE (.npy float32 [n, length, 1]) and FILE_labels.npy (int32 [n]).");
  s->add_option("--n", o->n, "windows (default 2000)")->check(CLI::Range(1, 10000000));
  s->add_option("--length", o->length, "samples per window (default 64)")->check(CLI::Range(1, 1000000));
  s->add_option("--seed", o->seed, "random seed (default 1)");
  s->add_option("-o,--output", o->out, "output .npy file")->required();
  s->add_option("--labels", o->labels, "labels file (default: FILE_labels.npy)");
  s->callback([o] { Synth(*o); });

  auto io = std::make_shared<IngestOptions>();
  auto* in = data->add_subcommand(
      "ingest",
      "Field logs (records of micro/safety/field_log.h: UART captures or flash dumps,\n"
      "docs/field_log.md) -> a data set the trainer reads, plus per-device drift figures.\n"
      "Corrupt, torn or truncated records and garbage are skipped and counted per reason.\n"
      "Writes DATASET (.npy float32 [n, length, 1], raw sample values), DATASET_labels.npy\n"
      "(int32 [n], the device's decisions) and DATASET_meta.csv (time, device, model\n"
      "version, confidence, context, source file and offset per row).\n\n"
      "Examples:\n"
      "  mote data ingest dev1.log dev2.log -o field.npy\n"
      "  mote data ingest uart/*.bin -o field.npy --length 64 --json\n"
      "  mote train --model m.json --data field.npy --labels field_labels.npy -o m.bin");
  in->add_option("logs", io->logs, "log files")->required()->check(CLI::ExistingFile);
  in->add_option("-o,--output", io->out, "output .npy file")->required();
  in->add_option("--length", io->length,
                 "window length to keep (default: the most common); others are left out")
      ->check(CLI::Range(1, 65535));
  in->add_flag("--json", io->json, "counts and per-device summaries as JSON");
  in->callback([io] { RunIngest(*io); });
}

}  // namespace mote::cli
