// FrontEndConfig <-> JSON for the CLI and reports. Field names and units:
//   {"sample_rate_hz": 16000, "window_ms": 30, "hop_ms": 20, "fft_size": 512,
//    "frames": 49, "window": "hann", "feature": "mfcc", "mel_bands": 40,
//    "num_mfcc": 10, "mel_scale": "htk", "mel_triangles": "hz", "mel_norm": "none",
//    "fmin_hz": 20, "fmax_hz": 4000, "log_floor": 1e-6, "preemphasis": 0,
//    "dc_alpha": 0, "fixed_frac_bits": 8,
//    "normalize": false, "mean": [...], "std": [...]}
// Missing fields keep the base config's value (KwsConfig() by default).
//
//   FrontEndConfig c; FeatureNorm n;
//   ConfigFromJson(nlohmann::json::parse(text), &c, &n);   // throws std::invalid_argument
#ifndef MOTE_HOST_DSP_CONFIG_JSON_H_
#define MOTE_HOST_DSP_CONFIG_JSON_H_

#include <nlohmann/json.hpp>

#include "micro/dsp/config.h"

namespace mote::host::dsp {

// *c is the base and receives the result; validated (message names the field).
void ConfigFromJson(const nlohmann::json& j, micro::dsp::FrontEndConfig* c,
                    micro::dsp::FeatureNorm* norm);
nlohmann::json ConfigToJson(const micro::dsp::FrontEndConfig& c,
                            const micro::dsp::FeatureNorm* norm);

}  // namespace mote::host::dsp

#endif  // MOTE_HOST_DSP_CONFIG_JSON_H_
