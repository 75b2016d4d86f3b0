// mote features IN.npy|IN.raw [--config C.json] [--path host|float|fixed] -o OUT.npy
//   [--write-config BLOB.bin] [--print-config] [--json]
#include <algorithm>
#include <cstring>
#include <memory>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/data/dataset.h"
#include "host/dsp/config_json.h"
#include "host/dsp/features.h"
#include "micro/dsp/frontend.h"

namespace mote::cli {
namespace {

namespace mdsp = micro::dsp;

struct FeaturesOptions {
  std::string in, config, path = "host", out, write_config, fit_norm;
  bool print_config = false, json = false;
};

bool EndsWith(const std::string& s, const std::string& e) {
  return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

// Clips of float samples in [-1, 1): .npy int16 (/32768) or float; .raw/.pcm int16 LE.
std::vector<std::vector<float>> LoadClips(const std::string& path) {
  std::vector<std::vector<float>> clips;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CommandError(path + ": cannot open");
  if (EndsWith(path, ".raw") || EndsWith(path, ".pcm")) {
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.size() % 2 != 0) throw CommandError(path + ": odd byte count for int16 samples");
    std::vector<int16_t> s(bytes.size() / 2);
    std::memcpy(s.data(), bytes.data(), bytes.size());
    clips.push_back(host::dsp::Int16ToFloat(s.data(), s.size()));
    return clips;
  }
  if (!EndsWith(path, ".npy"))
    throw CommandError(path + ": expected .npy (int16 or float) or .raw/.pcm (int16 LE); "
                       "WAV input comes with host/io/wav");
  char head[256] = {};
  f.read(head, sizeof head);
  const std::string h(head, static_cast<size_t>(f.gcount()));
  const bool is_i16 = h.find("'<i2'") != std::string::npos;
  const bool is_float = h.find("'<f4'") != std::string::npos || h.find("'<f8'") != std::string::npos;
  if (!is_i16 && !is_float) throw CommandError(path + ": samples must be int16 or float32/64");
  std::string err;
  auto t = data::LoadNpy(path, &err);
  if (!t) throw CommandError(err);
  if (t->shape.empty() || t->shape.size() > 2)
    throw CommandError(path + ": expected [samples] or [clips, samples], got " +
                       train::ShapeString(t->shape));
  const size_t clips_n = t->shape.size() == 2 ? static_cast<size_t>(t->shape[0]) : 1;
  const size_t len = t->shape.back();
  const float scale = is_i16 ? 1.0f / 32768.0f : 1.0f;
  for (size_t c = 0; c < clips_n; ++c) {
    std::vector<float> clip(t->data.begin() + c * len, t->data.begin() + (c + 1) * len);
    for (float& v : clip) {
      if (!std::isfinite(v)) throw CommandError(path + ": clip " + std::to_string(c) + " has NaN/inf");
      v *= scale;
    }
    clips.push_back(std::move(clip));
  }
  return clips;
}

// The device code (micro/dsp/frontend.h) on the host, one clip.
std::vector<float> RunDevice(const mdsp::FrontEndConfig& c0, const mdsp::FeatureNorm* norm,
                             mdsp::FrontEndPath path, const std::vector<float>& clip, int* frames) {
  mdsp::FrontEndConfig c = c0;
  const int total = mdsp::NumFrames(c, clip.size());
  c.frames = static_cast<uint16_t>(std::max(1, std::min(total, 4096)));
  std::vector<uint64_t> scratch(mdsp::FrontEnd::ScratchBytes(c, path) / 8 + 1);
  mdsp::FrontEnd fe;
  micro::ErrorText err;
  if (fe.Init(c, norm, path, scratch.data(), scratch.size() * 8, &err) != micro::Status::kOk)
    throw CommandError(std::string("front end: ") + err.c_str());
  if (path == mdsp::FrontEndPath::kFloat) {
    fe.PushSamples(clip.data(), clip.size());
  } else {
    std::vector<int16_t> pcm(clip.size());
    for (size_t i = 0; i < clip.size(); ++i)
      pcm[i] = static_cast<int16_t>(std::lround(std::clamp(clip[i] * 32768.0f, -32768.0f, 32767.0f)));
    fe.PushSamples(pcm.data(), pcm.size());
  }
  *frames = fe.frames_ready();
  std::vector<float> out(static_cast<size_t>(*frames) * fe.num_features());
  fe.CopyFrames(out.data());
  return out;
}

void Features(const FeaturesOptions& o) {
  mdsp::FrontEndConfig c = mdsp::KwsConfig();
  mdsp::FeatureNorm norm;
  if (!o.config.empty()) {
    std::ifstream f(o.config);
    if (!f) throw CommandError(o.config + ": cannot open");
    try {
      host::dsp::ConfigFromJson(nlohmann::json::parse(f), &c, &norm);
    } catch (const std::exception& e) {
      throw CommandError(o.config + ": " + e.what());
    }
  }
  if (o.print_config) std::cout << host::dsp::ConfigToJson(c, &norm).dump(2) << "\n";
  if (!o.write_config.empty()) {
    uint8_t blob[mdsp::kMaxConfigBytes];
    const size_t n = mdsp::EncodeConfig(c, c.normalize ? &norm : nullptr, blob, sizeof blob);
    std::ofstream f(o.write_config, std::ios::binary);
    if (n == 0 || !f.write(reinterpret_cast<const char*>(blob), static_cast<std::streamsize>(n)))
      throw CommandError(o.write_config + ": cannot write");
  }
  if (o.in.empty()) {
    if (!o.print_config && o.write_config.empty()) throw CommandError("features: no input file");
    return;
  }
  if (o.out.empty()) throw CommandError("features: -o OUT.npy is required");
  if (o.path != "host" && o.path != "float" && o.path != "fixed")
    throw CommandError("--path '" + o.path + "': expected host, float or fixed");
  const auto clips = LoadClips(o.in);
  const int nf = mdsp::NumFeatures(c);
  if (!o.fit_norm.empty() && c.normalize)
    throw CommandError("--fit-norm: the config already normalises; fit on raw features");
  int frames = -1;
  std::vector<float> all;
  std::vector<host::dsp::Features> fitted;
  for (const auto& clip : clips) {
    int t = 0;
    std::vector<float> f;
    if (o.path == "host") {
      auto h = host::dsp::ComputeFeatures(c, c.normalize ? &norm : nullptr, clip);
      t = h.frames;
      f = std::move(h.data);
    } else {
      f = RunDevice(c, c.normalize ? &norm : nullptr,
                    o.path == "float" ? mdsp::FrontEndPath::kFloat : mdsp::FrontEndPath::kFixed,
                    clip, &t);
    }
    if (t == 0) throw CommandError(o.in + ": a clip is shorter than one window (" +
                                   std::to_string(mdsp::WindowSamples(c)) + " samples)");
    if (frames >= 0 && t != frames) throw CommandError(o.in + ": clips differ in length");
    frames = t;
    all.insert(all.end(), f.begin(), f.end());
    if (!o.fit_norm.empty()) fitted.push_back({t, nf, f});
  }
  if (!o.fit_norm.empty()) {
    mdsp::FeatureNorm fit = host::dsp::FitNorm(fitted);
    mdsp::FrontEndConfig with = c;
    with.normalize = 1;
    std::ofstream f(o.fit_norm);
    if (!(f << host::dsp::ConfigToJson(with, &fit).dump(2) << "\n"))
      throw CommandError(o.fit_norm + ": cannot write");
  }
  train::Tensor out(clips.size() == 1 ? train::Shape{frames, nf}
                                      : train::Shape{static_cast<int>(clips.size()), frames, nf});
  out.data = std::move(all);
  std::string err;
  if (!data::SaveNpy(o.out, out, false, &err)) throw CommandError(err);
  if (o.json) {
    nlohmann::json j = {{"clips", clips.size()}, {"frames", frames}, {"features", nf},
                        {"path", o.path}, {"output", o.out}};
    std::cout << j.dump() << "\n";
  } else if (!o.print_config) {
    std::cout << o.out << ": " << clips.size() << " clip(s) x " << frames << " frames x " << nf
              << " features (" << o.path << ")\n";
  }
}

}  // namespace

void AddFeatures(CLI::App& app) {
  auto o = std::make_shared<FeaturesOptions>();
  auto* cmd = app.add_subcommand("features", "Audio front end: samples -> log-mel / MFCC frames");
  cmd->footer(
      "Input: .npy of int16 (scaled by 1/32768) or float samples in [-1, 1), shape [samples]\n"
      "or [clips, samples]; or .raw/.pcm int16 little-endian. Output: float32 .npy\n"
      "[frames, features] (or [clips, frames, features]).\n"
      "The config is JSON (fields in docs/audio_frontend.md); missing fields keep the\n"
      "keyword-spotting default: 16 kHz, 30 ms window, 20 ms hop, FFT 512, 40 mel, 10 MFCC.\n"
      "--path host is the double-precision training chain; float / fixed run the device\n"
      "code (micro/dsp) on the host.\n\n"
      "Examples:\n"
      "  mote features clip.npy -o mfcc.npy                   # KWS MFCC, 49 x 10 per second\n"
      "  mote features clips.npy --config logmel.json -o x.npy --path fixed\n"
      "  mote features train.npy -o train_mfcc.npy --fit-norm kws_norm.json   # training set stats\n"
      "  mote features --config kws_norm.json --write-config fe.bin --print-config");
  cmd->add_option("input", o->in, "samples (.npy or .raw)");
  cmd->add_option("--config", o->config, "front end config (JSON)");
  cmd->add_option("--path", o->path, "host (double), float or fixed (device code)");
  cmd->add_option("-o,--output", o->out, "output .npy");
  cmd->add_option("--write-config", o->write_config, "write the binary config blob (manifest form)");
  cmd->add_flag("--print-config", o->print_config, "print the effective config as JSON");
  cmd->add_option("--fit-norm", o->fit_norm,
                  "write the config with per-feature mean/std of these clips (normalize on)");
  cmd->add_flag("--json", o->json, "print a JSON summary");
  cmd->callback([o] { Features(*o); });
}

}  // namespace mote::cli
