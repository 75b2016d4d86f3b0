#include "host/dsp/config_json.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace mote::host::dsp {
namespace {

using namespace micro::dsp;
using nlohmann::json;

double Num(const json& j, const char* key, double lo, double hi) {
  const json& v = j.at(key);
  if (!v.is_number()) throw std::invalid_argument(std::string(key) + ": expected a number");
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi)
    throw std::invalid_argument(std::string(key) + ": " + v.dump() + " not in [" +
                                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return d;
}

template <typename E>
E Enum(const json& j, const char* key, std::initializer_list<const char*> names) {
  const json& v = j.at(key);
  std::string list;
  int i = 0;
  for (const char* n : names) {
    if (v.is_string() && v.get<std::string>() == n) return static_cast<E>(i);
    list += std::string(i ? ", " : "") + n;
    ++i;
  }
  throw std::invalid_argument(std::string(key) + ": " + v.dump() + " is not one of " + list);
}

}  // namespace

void ConfigFromJson(const json& j, FrontEndConfig* c, FeatureNorm* norm) {
  if (!j.is_object()) throw std::invalid_argument("front end config: expected a JSON object");
  static const char* const kKnown[] = {
      "sample_rate_hz", "window_ms", "hop_ms", "fft_size", "frames", "window", "feature",
      "mel_bands", "num_mfcc", "mel_scale", "mel_triangles", "mel_norm", "fmin_hz", "fmax_hz",
      "log_floor", "preemphasis", "dc_alpha", "fixed_frac_bits", "normalize", "mean", "std",
      "window_samples", "hop_samples"};  // the last two: informational, ignored
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : kKnown) ok = ok || it.key() == k;
    if (!ok) throw std::invalid_argument("front end config: unknown field '" + it.key() + "'");
  }
  FrontEndConfig d = *c;
  if (j.contains("sample_rate_hz")) d.sample_rate_hz = static_cast<uint32_t>(Num(j, "sample_rate_hz", 1, 384000));
  if (j.contains("window_ms")) d.window_us = static_cast<uint32_t>(std::lround(Num(j, "window_ms", 0.001, 60000) * 1000));
  if (j.contains("hop_ms")) d.hop_us = static_cast<uint32_t>(std::lround(Num(j, "hop_ms", 0.001, 60000) * 1000));
  if (j.contains("fft_size")) d.fft_size = static_cast<uint16_t>(Num(j, "fft_size", 1, 65535));
  if (j.contains("frames")) d.frames = static_cast<uint16_t>(Num(j, "frames", 1, 65535));
  if (j.contains("window")) d.window = Enum<WindowType>(j, "window", {"hann", "hamming", "rect"});
  if (j.contains("feature")) {
    d.feature = Enum<FeatureType>(j, "feature", {"logmel", "mfcc"});
    if (d.feature == FeatureType::kLogMel && !j.contains("num_mfcc")) d.num_mfcc = 0;
  }
  if (j.contains("mel_bands")) d.mel_bands = static_cast<uint8_t>(Num(j, "mel_bands", 1, 255));
  if (j.contains("num_mfcc")) d.num_mfcc = static_cast<uint8_t>(Num(j, "num_mfcc", 0, 255));
  if (j.contains("mel_scale")) d.mel_scale = Enum<MelScale>(j, "mel_scale", {"htk", "slaney"});
  if (j.contains("mel_triangles"))
    d.mel_triangles = Enum<MelTriangles>(j, "mel_triangles", {"hz", "mel"});
  if (j.contains("mel_norm")) d.mel_norm = Enum<MelNorm>(j, "mel_norm", {"none", "slaney"});
  if (j.contains("fmin_hz")) d.fmin_hz = static_cast<float>(Num(j, "fmin_hz", 0, 1e6));
  if (j.contains("fmax_hz")) d.fmax_hz = static_cast<float>(Num(j, "fmax_hz", 0, 1e6));
  if (j.contains("log_floor")) d.log_floor = static_cast<float>(Num(j, "log_floor", 0, 1e30));
  if (j.contains("preemphasis")) d.preemphasis = static_cast<float>(Num(j, "preemphasis", 0, 1));
  if (j.contains("dc_alpha")) d.dc_alpha = static_cast<float>(Num(j, "dc_alpha", 0, 1));
  if (j.contains("fixed_frac_bits")) d.fixed_frac_bits = static_cast<uint8_t>(Num(j, "fixed_frac_bits", 0, 15));
  if (j.contains("normalize")) {
    if (!j["normalize"].is_boolean()) throw std::invalid_argument("normalize: expected true/false");
    d.normalize = j["normalize"].get<bool>() ? 1 : 0;
  }
  FeatureNorm n;
  if (d.normalize) {
    if (!j.contains("mean") || !j.contains("std") || !j["mean"].is_array() || !j["std"].is_array())
      throw std::invalid_argument("normalize is true: 'mean' and 'std' arrays are required");
    const size_t nf = static_cast<size_t>(NumFeatures(d));
    if (j["mean"].size() != nf || j["std"].size() != nf)
      throw std::invalid_argument("mean/std: need " + std::to_string(nf) + " values each");
    n.count = static_cast<uint16_t>(nf);
    for (size_t i = 0; i < nf; ++i) {
      if (!j["mean"][i].is_number() || !j["std"][i].is_number())
        throw std::invalid_argument("mean/std[" + std::to_string(i) + "]: expected a number");
      n.mean[i] = j["mean"][i].get<float>();
      n.std[i] = j["std"][i].get<float>();
    }
  }
  micro::ErrorText err;
  if (ValidateConfig(d, d.normalize ? &n : nullptr, &err) != micro::Status::kOk)
    throw std::invalid_argument(err.c_str());
  *c = d;
  if (norm != nullptr) *norm = n;
}

json ConfigToJson(const FrontEndConfig& c, const FeatureNorm* norm) {
  static const char* const kWin[] = {"hann", "hamming", "rect"};
  json j = {{"sample_rate_hz", c.sample_rate_hz},
            {"window_ms", c.window_us / 1000.0},
            {"hop_ms", c.hop_us / 1000.0},
            {"fft_size", c.fft_size},
            {"frames", c.frames},
            {"window", kWin[static_cast<int>(c.window) % 3]},
            {"feature", c.feature == FeatureType::kMfcc ? "mfcc" : "logmel"},
            {"mel_bands", c.mel_bands},
            {"num_mfcc", c.num_mfcc},
            {"mel_scale", c.mel_scale == MelScale::kHtk ? "htk" : "slaney"},
            {"mel_triangles", c.mel_triangles == MelTriangles::kHz ? "hz" : "mel"},
            {"mel_norm", c.mel_norm == MelNorm::kNone ? "none" : "slaney"},
            {"fmin_hz", c.fmin_hz},
            {"fmax_hz", c.fmax_hz},
            {"log_floor", c.log_floor},
            {"preemphasis", c.preemphasis},
            {"dc_alpha", c.dc_alpha},
            {"fixed_frac_bits", c.fixed_frac_bits},
            {"normalize", c.normalize != 0},
            {"window_samples", WindowSamples(c)},
            {"hop_samples", HopSamples(c)}};
  if (c.normalize && norm != nullptr) {
    j["mean"] = std::vector<float>(norm->mean, norm->mean + norm->count);
    j["std"] = std::vector<float>(norm->std, norm->std + norm->count);
  }
  return j;
}

}  // namespace mote::host::dsp
