#include "host/data/kws_features.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "host/data/synth_kws.h"
#include "host/train/parallel.h"
#include "micro/dsp/config.h"

namespace mote::data {

namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

}  // namespace

std::optional<std::vector<KwsIndexRow>> ReadKwsIndex(const std::string& dir, std::string* err) {
  const std::string path = dir + "/index.csv";
  std::ifstream f(path);
  if (!f) {
    *err = path + ": cannot open (is " + dir + " a `mote data synth-kws` directory?)";
    return std::nullopt;
  }
  std::string line;
  if (!std::getline(f, line) || line.rfind("path,label,split,speaker", 0) != 0) {
    *err = path + ": line 1: expected the header path,label,split,speaker,params";
    return std::nullopt;
  }
  const auto& labels = KwsLabels();
  std::vector<KwsIndexRow> rows;
  int line_no = 1;
  while (std::getline(f, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = SplitCsv(line);
    const std::string where = path + ": line " + std::to_string(line_no) + ": ";
    if (cells.size() < 4) {
      *err = where + "expected at least 4 comma-separated fields, got " + std::to_string(cells.size());
      return std::nullopt;
    }
    KwsIndexRow r;
    r.path = dir + "/" + cells[0];
    r.label = cells[1];
    r.split = cells[2];
    r.speaker = cells[3];
    const auto it = std::find(labels.begin(), labels.end(), r.label);
    if (it == labels.end()) {
      *err = where + "unknown label \"" + r.label + "\"";
      return std::nullopt;
    }
    r.label_index = static_cast<int>(it - labels.begin());
    if (r.split != "train" && r.split != "val" && r.split != "test") {
      *err = where + "unknown split \"" + r.split + "\" (train, val or test)";
      return std::nullopt;
    }
    rows.push_back(std::move(r));
  }
  if (rows.empty()) {
    *err = path + ": no clips";
    return std::nullopt;
  }
  return rows;
}

size_t ClipSamples(const host::dsp::FrontEndConfig& c) {
  return static_cast<size_t>(micro::dsp::WindowSamples(c)) +
         static_cast<size_t>(c.frames - 1) * static_cast<size_t>(micro::dsp::HopSamples(c));
}

std::vector<float> FitClip(const host::dsp::FrontEndConfig& c, const std::vector<float>& samples,
                           size_t* start) {
  const size_t len = ClipSamples(c);
  std::vector<float> out(len, 0.0f);
  size_t best = 0;
  if (samples.size() > len) {
    // Energy of every window starting at a multiple of the hop (prefix sums
    // in double: a long file of full-scale samples stays exact enough).
    const size_t hop = static_cast<size_t>(micro::dsp::HopSamples(c));
    std::vector<double> prefix(samples.size() + 1, 0.0);
    for (size_t i = 0; i < samples.size(); ++i)
      prefix[i + 1] = prefix[i] + static_cast<double>(samples[i]) * samples[i];
    double best_energy = -1.0;
    for (size_t s = 0; s + len <= samples.size(); s += hop) {
      const double e = prefix[s + len] - prefix[s];
      if (e > best_energy) {
        best_energy = e;
        best = s;
      }
    }
  }
  const size_t n = std::min(len, samples.size() - std::min(best, samples.size()));
  std::copy(samples.begin() + static_cast<std::ptrdiff_t>(best),
            samples.begin() + static_cast<std::ptrdiff_t>(best + n), out.begin());
  if (start) *start = best;
  return out;
}

train::Tensor KwsFeatures(const host::dsp::FrontEndConfig& c, const host::dsp::FeatureNorm* norm,
                          const std::vector<std::vector<float>>& clips) {
  host::dsp::CheckConfig(c, c.normalize ? norm : nullptr);
  const int frames = c.frames, nf = micro::dsp::NumFeatures(c);
  const int n = static_cast<int>(clips.size());
  train::Tensor x({n, frames, nf, 1});
  const size_t per = static_cast<size_t>(frames) * nf;
  // Checked before the threads start: an exception must not leave a worker.
  for (int i = 0; i < n; ++i)
    if (clips[i].size() != ClipSamples(c))
      throw std::invalid_argument("KwsFeatures: clip " + std::to_string(i) + " has " +
                                  std::to_string(clips[i].size()) + " samples, expected " +
                                  std::to_string(ClipSamples(c)) + " (use FitClip)");
  const int chunks = std::max(1, std::min(n, 64));
  train::ParallelFor(chunks, static_cast<size_t>(n) * 1000000, [&](int chunk) {
    int begin = 0, end = 0;
    train::ChunkRange(n, chunks, chunk, &begin, &end);
    for (int i = begin; i < end; ++i) {
      const host::dsp::Features f = host::dsp::ComputeFeatures(c, norm, clips[i]);
      std::copy(f.data.begin(), f.data.end(), x.data.begin() + static_cast<std::ptrdiff_t>(i * per));
    }
  });
  return x;
}

}  // namespace mote::data
