// Keyword-spotting data on the host: reads a `mote data synth-kws` directory
// (index.csv), brings any audio to the front end's clip length, and computes
// the model's input features with the host front end (host/dsp/features.h).
// Training (`mote demo kws`) and inference (`mote classify`) both go through
// FitClip + ComputeFeatures, so a clip gives the same features in both.
//
// Contract: a clip is `ClipSamples(c)` samples, exactly the samples that make
// c.frames frames (window + (frames - 1) * hop). Shorter audio is zero-padded
// at the end; longer audio keeps the ClipSamples window, starting at a
// multiple of the hop, with the most energy (the earliest on ties), so a
// 1 s synth-kws clip always keeps its first 15840 samples at 16 kHz.
//
//   std::string err;
//   auto index = ReadKwsIndex("kws", &err);            // rows of index.csv
//   std::vector<float> clip = FitClip(c, samples);     // ClipSamples(c) samples
//   train::Tensor x = KwsFeatures(c, &norm, clips);    // [N, frames, features, 1]
#ifndef MOTE_HOST_DATA_KWS_FEATURES_H_
#define MOTE_HOST_DATA_KWS_FEATURES_H_

#include <optional>
#include <string>
#include <vector>

#include "host/dsp/features.h"
#include "host/train/tensor.h"

namespace mote::data {

struct KwsIndexRow {
  std::string path;   // absolute or relative to the working directory
  std::string label;  // one of KwsLabels()
  int label_index = 0;
  std::string split;  // train | val | test
  std::string speaker;
};

// Reads DIR/index.csv; nullopt and *err (file, line, what) on a missing file,
// a bad header, a short row, an unknown label or split.
std::optional<std::vector<KwsIndexRow>> ReadKwsIndex(const std::string& dir, std::string* err);

// window + (frames - 1) * hop samples.
size_t ClipSamples(const host::dsp::FrontEndConfig& c);

// See the contract above. *start (optional) gets the first kept sample.
std::vector<float> FitClip(const host::dsp::FrontEndConfig& c, const std::vector<float>& samples,
                           size_t* start = nullptr);

// Features of clips already at ClipSamples(c), [N, frames, features, 1], on
// up to train::Threads() threads (the result does not depend on threads).
// norm: used when c.normalize.
train::Tensor KwsFeatures(const host::dsp::FrontEndConfig& c, const host::dsp::FeatureNorm* norm,
                          const std::vector<std::vector<float>>& clips);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_KWS_FEATURES_H_
