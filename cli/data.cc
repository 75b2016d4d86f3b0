// mote data synth-anomaly --n 2000 --length 64 --seed S -o FILE [--labels FILE]
#include <cstdio>

#include "cli/commands.h"
#include "host/data/dataset.h"

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
}

}  // namespace mote::cli
