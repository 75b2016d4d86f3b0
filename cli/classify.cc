// mote classify MODEL FILE.wav... [--json] [--top K]
//
// Runs a keyword-spotting model on audio files exactly as it was trained: the
// front-end config (with its normalisation) and the labels come from the
// model's mote.manifest (written by `mote demo kws`), features are computed by
// mote's host front end, the int8 model runs in mote's device runtime.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cli/commands.h"
#include "host/compress/evaluate.h"
#include "host/data/kws_features.h"
#include "host/io/file.h"
#include "host/io/manifest.h"
#include "host/io/resample.h"
#include "host/io/wav.h"
#include "micro/dsp/config.h"

namespace mote::cli {
namespace {

using nlohmann::json;
namespace mdsp = micro::dsp;

struct ClassifyOptions {
  std::string model;
  std::vector<std::string> files;
  bool json = false;
  int top = 1;
};

struct FileResult {
  std::string file, error;
  std::vector<std::string> notes;  // documented adjustments (downmix, resample, clip, pad)
  double seconds = 0, window_start_s = 0;
  std::vector<std::pair<int, float>> ranked;  // (class, score), best first
};

void Classify(const ClassifyOptions& o) {
  std::string err;
  auto bytes = host::ReadFile(o.model, &err);
  if (!bytes) throw CommandError(err);
  const std::vector<uint8_t> model(bytes->data(), bytes->data() + bytes->size());
  auto man = host::ReadModelManifest(model.data(), model.size(), &err);
  if (!man) {
    if (!err.empty()) throw CommandError(o.model + ": mote.manifest: " + err);
    throw CommandError(o.model + ": no mote.manifest; classify needs the front-end config and labels "
                       "it was trained with (models from `mote demo kws` have them)");
  }
  if (man->front_end.empty())
    throw CommandError(o.model + ": its mote.manifest has no front-end config (field front_end); "
                       "classify cannot know which features the model expects");
  if (man->labels.empty()) throw CommandError(o.model + ": its mote.manifest has no labels");
  mdsp::FrontEndConfig c;
  mdsp::FeatureNorm norm;
  micro::ErrorText ferr;
  if (mdsp::DecodeConfig(man->front_end.data(), man->front_end.size(), &c, &norm, &ferr) !=
      micro::Status::kOk)
    throw CommandError(o.model + ": front-end config in the manifest: " + ferr.c_str());
  const int rate = static_cast<int>(c.sample_rate_hz);

  std::vector<FileResult> results(o.files.size());
  std::vector<std::vector<float>> clips;
  std::vector<size_t> clip_of;  // index into results
  for (size_t i = 0; i < o.files.size(); ++i) {
    FileResult& r = results[i];
    r.file = o.files[i];
    std::string e;
    auto a = host::ReadAudio(r.file, &e);
    if (!a) {
      r.error = e;
      continue;
    }
    if (a->source_channels > 1)
      r.notes.push_back(std::to_string(a->source_channels) + " channels averaged to mono");
    if (a->clipped > 0)
      r.notes.push_back(std::to_string(a->clipped) + " samples at full scale (clipped audio; the "
                        "score may be unreliable)");
    std::vector<float> s = std::move(a->samples);
    if (a->rate != rate) {
      r.notes.push_back("resampled " + std::to_string(a->rate) + " Hz -> " + std::to_string(rate) + " Hz");
      s = host::Resample(s, a->rate, rate);
    }
    r.seconds = static_cast<double>(s.size()) / rate;
    const size_t need = data::ClipSamples(c);
    if (s.size() < need)
      r.notes.push_back("shorter than the model's " + std::to_string(need) + " samples: zero-padded");
    size_t start = 0;
    clips.push_back(data::FitClip(c, s, &start));
    if (s.size() > need) {
      r.window_start_s = static_cast<double>(start) / rate;
      char buf[96];
      std::snprintf(buf, sizeof buf, "longer than the model's window: the loudest %.2f s from %.2f s",
                    static_cast<double>(need) / rate, r.window_start_s);
      r.notes.push_back(buf);
    }
    clip_of.push_back(i);
  }

  if (!clips.empty()) {
    const train::Tensor x = data::KwsFeatures(c, c.normalize ? &norm : nullptr, clips);
    auto run = compress::RunInt8(model, x, &err);
    if (!run) throw CommandError(o.model + ": " + err);
    const size_t classes = run->dequantized.per_item();
    if (classes != man->labels.size())
      throw CommandError(o.model + ": the model has " + std::to_string(classes) + " outputs but its "
                         "manifest lists " + std::to_string(man->labels.size()) + " labels");
    for (size_t k = 0; k < clip_of.size(); ++k) {
      FileResult& r = results[clip_of[k]];
      const float* p = run->dequantized.data.data() + k * classes;
      std::vector<int> order(classes);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b]; });
      for (size_t t = 0; t < std::min<size_t>(static_cast<size_t>(o.top), classes); ++t)
        r.ranked.push_back({order[t], p[order[t]]});
    }
  }

  int failed = 0;
  json out = json::array();
  for (const auto& r : results) {
    if (!r.error.empty()) ++failed;
    if (o.json) {
      json j{{"file", r.file}};
      if (!r.error.empty()) {
        j["error"] = r.error;
      } else {
        j["label"] = man->labels[r.ranked[0].first];
        j["score"] = r.ranked[0].second;
        json top = json::array();
        for (const auto& [cls, score] : r.ranked) top.push_back({{"label", man->labels[cls]}, {"score", score}});
        j["top"] = top;
        j["seconds"] = r.seconds;
        j["notes"] = r.notes;
      }
      out.push_back(j);
      continue;
    }
    if (!r.error.empty()) {
      std::cerr << "mote: " << r.error << "\n";
      continue;
    }
    std::printf("%s\t%s\t%.3f", r.file.c_str(), man->labels[r.ranked[0].first].c_str(), r.ranked[0].second);
    for (size_t t = 1; t < r.ranked.size(); ++t)
      std::printf("\t%s\t%.3f", man->labels[r.ranked[t].first].c_str(), r.ranked[t].second);
    std::printf("\n");
    for (const auto& n : r.notes) std::fprintf(stderr, "mote: note: %s: %s\n", r.file.c_str(), n.c_str());
  }
  if (o.json) std::cout << out.dump() << "\n";
  if (failed > 0)
    throw CommandError(std::to_string(failed) + " of " + std::to_string(results.size()) +
                       " file(s) could not be classified");
}

}  // namespace

void AddClassify(CLI::App& app) {
  auto o = std::make_shared<ClassifyOptions>();
  auto* cmd = app.add_subcommand(
      "classify",
      "Classify audio files with a keyword-spotting model. The features are computed\n"
      "exactly as in training: the front-end config (MFCC / log-mel, normalisation) and\n"
      "the labels come from the model's mote.manifest; the int8 model runs in mote's\n"
      "device runtime. Any rate libsndfile reads is resampled to the model's rate;\n"
      "several channels are averaged; shorter audio is zero-padded, longer audio keeps\n"
      "its loudest window (a note on stderr says so). One line per file:\n"
      "FILE<TAB>LABEL<TAB>SCORE (score = the int8 softmax output).\n"
      "  mote demo kws --out k && mote classify k/kws_int8.tflite k/data/test/seven/*.wav\n"
      "  mote classify kws_int8.tflite take1.wav take2.flac --top 3\n"
      "  mote classify kws_int8.tflite clip.wav --json    # [{\"file\",\"label\",\"score\",\"top\",...}]\n"
      "A file that cannot be read (empty, NaN samples, not audio) is reported and the\n"
      "others are still classified; the exit status is then 1.");
  cmd->add_option("model", o->model, "int8 .tflite with a front-end config in its mote.manifest")
      ->required();
  cmd->add_option("files", o->files, "audio files (WAV, FLAC, ... any rate)")->required();
  cmd->add_flag("--json", o->json, "print one JSON array");
  cmd->add_option("--top", o->top, "also print the next best labels (default 1)")->check(CLI::Range(1, 1000));
  cmd->callback([o] { Classify(*o); });
}

}  // namespace mote::cli
