#include "cli/kws_common.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "host/compress/evaluate.h"
#include "host/compress/ptq.h"
#include "host/data/kws_features.h"
#include "host/data/synth_kws.h"
#include "host/io/manifest.h"
#include "host/io/resample.h"
#include "host/io/tflite_edit.h"
#include "host/io/tflite_writer.h"
#include "host/io/wav.h"

namespace mote::cli {

using nlohmann::json;
namespace mdsp = micro::dsp;

std::string PrepareKwsData(const std::string& out, const std::string& data, uint64_t seed,
                           int per_class, bool more_voices, int threads, bool quiet,
                           bool* generated) {
  *generated = false;
  if (!data.empty()) return data;
  const std::string dir = out + "/data";
  std::ifstream f(dir + "/summary.json");
  if (f) {
    try {
      const json s = json::parse(f);
      if (s.value("seed", uint64_t{0}) == seed && s.value("per_class", 0) == per_class &&
          s.value("more_voices", false) == more_voices)
        return dir;
    } catch (const std::exception&) {
      // Unreadable summary: regenerate below.
    }
  }
  data::SynthKwsOptions so;
  so.out_dir = dir;
  so.seed = seed;
  so.per_class = per_class;
  so.more_voices = more_voices;
  so.jobs = threads;
  so.progress = !quiet;
  so.overwrite = true;
  data::SynthKwsSummary summary;
  std::string err;
  std::filesystem::create_directories(dir);
  if (!data::SynthKws(so, &summary, &err)) throw CommandError(err);
  *generated = true;
  return dir;
}

void LoadKwsSplits(const std::string& dir, const mdsp::FrontEndConfig& c, KwsSplit* train,
                   KwsSplit* val, KwsSplit* test) {
  std::string err;
  auto rows = data::ReadKwsIndex(dir, &err);
  if (!rows) throw CommandError(err);
  for (const auto& r : *rows) {
    auto a = host::ReadAudio(r.path, &err);
    if (!a) throw CommandError(err);
    std::vector<float> s = a->rate == static_cast<int>(c.sample_rate_hz)
                               ? std::move(a->samples)
                               : host::Resample(a->samples, a->rate, static_cast<int>(c.sample_rate_hz));
    KwsSplit* to = r.split == "train" ? train : r.split == "val" ? val : test;
    to->clips.push_back(data::FitClip(c, s));
    to->labels.push_back(r.label_index);
  }
  if (train->clips.empty() || test->clips.empty())
    throw CommandError(dir + ": needs clips in the train and test splits (per-class >= 2)");
}

train::Tensor LabelTensor(const std::vector<int>& labels) {
  train::Tensor y({static_cast<int>(labels.size()), 1});
  for (size_t i = 0; i < labels.size(); ++i) y.data[i] = static_cast<float>(labels[i]);
  return y;
}

void Append(train::Tensor* a, const train::Tensor& b) {
  a->shape[0] += b.shape[0];
  a->data.insert(a->data.end(), b.data.begin(), b.data.end());
}

train::Tensor Concat(const train::Tensor& a, const train::Tensor& b) {
  train::Tensor r = a;
  Append(&r, b);
  return r;
}

float ExactSplit(size_t n, size_t n_train) {
  float s = static_cast<float>(static_cast<double>(n - n_train) / static_cast<double>(n));
  for (int k = 0; k < 64; ++k) {
    const size_t got = static_cast<size_t>(static_cast<double>(n) * (1.0 - s));
    if (got == n_train) break;
    s = got > n_train ? std::nextafter(s, 1.0f) : std::nextafter(s, 0.0f);
  }
  return s;
}

json Confusion(const std::vector<int>& truth, const std::vector<int>& pred, int classes) {
  std::vector<std::vector<int>> m(classes, std::vector<int>(classes, 0));
  for (size_t i = 0; i < truth.size(); ++i) ++m[truth[i]][pred[i]];
  return m;
}

train::Tensor Representative(const train::Tensor& x) {
  const int n = x.shape[0], k = std::min(n, 300);
  train::Tensor r = x;
  r.shape[0] = k;
  const size_t per = x.per_item();
  r.data.assign(static_cast<size_t>(k) * per, 0.0f);
  for (int i = 0; i < k; ++i) {
    const size_t src = static_cast<size_t>(static_cast<long long>(i) * n / k);
    std::copy(x.data.begin() + src * per, x.data.begin() + (src + 1) * per, r.data.begin() + i * per);
  }
  return r;
}

Int8Model QuantizeWithManifest(train::Sequential& model, const train::Tensor& representative,
                               const train::Tensor& eval_x, const std::string& name,
                               const mdsp::FrontEndConfig& c, const mdsp::FeatureNorm* norm,
                               const std::vector<std::string>& labels) {
  std::string err;
  auto q = compress::QuantizeInt8(model, representative, &err);
  if (!q) throw CommandError("quantize: " + err);
  Int8Model r;
  r.plain = host::WriteTflite(q->model);
  auto run = compress::RunInt8(r.plain, eval_x, &err);
  if (!run) throw CommandError("int8 run: " + err);
  r.dequantized = std::move(run->dequantized);
  r.arena_bytes = run->arena_bytes;
  host::ManifestData man;
  man.name = name;
  man.version = {1, 0, 0};
  man.labels = labels;
  man.arena_bytes = static_cast<uint32_t>(r.arena_bytes);
  man.front_end.resize(mdsp::EncodedConfigBytes(c));
  if (mdsp::EncodeConfig(c, c.normalize ? norm : nullptr, man.front_end.data(), man.front_end.size()) == 0)
    throw CommandError("front-end config: cannot encode");
  auto rec = host::EncodeManifest(man, &err);
  if (!rec) throw CommandError("manifest: " + err);
  auto tflite = host::AddMetadata(r.plain, "mote.manifest", *rec, &err);
  if (!tflite) throw CommandError("manifest: " + err);
  r.tflite = std::move(*tflite);
  return r;
}

}  // namespace mote::cli
