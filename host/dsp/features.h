// The front end on the host for training: the same FrontEndConfig as the
// device (micro/dsp/config.h), whole clip at once, in double precision, an
// implementation independent of micro/dsp (own FFT, std:: maths) so that each
// checks the other. Samples are floats in [-1, 1) (int16 / 32768).
//
//   auto c = micro::dsp::KwsConfig();
//   Features f = ComputeFeatures(c, nullptr, samples);   // f.frames x f.features
//   FeatureNorm n = FitNorm(c, {f1, f2, ...});            // training-set mean / std
#ifndef MOTE_HOST_DSP_FEATURES_H_
#define MOTE_HOST_DSP_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "micro/dsp/config.h"

namespace mote::host::dsp {

using micro::dsp::FeatureNorm;
using micro::dsp::FrontEndConfig;

struct Features {
  int frames = 0, features = 0;
  std::vector<float> data;  // [frames][features]
};

// Throws std::invalid_argument (naming the field) if the config is invalid.
void CheckConfig(const FrontEndConfig& c, const FeatureNorm* norm);

// Log-mel (ln(max(mel, floor))) of every frame, [frames][mel_bands], double.
std::vector<double> LogMelFrames(const FrontEndConfig& c, const std::vector<float>& samples,
                                 int* frames);
// The configured features (MFCC or log-mel, normalised if c.normalize).
Features ComputeFeatures(const FrontEndConfig& c, const FeatureNorm* norm,
                         const std::vector<float>& samples);

// Mean and (population) standard deviation of every feature over all frames
// of the given feature matrices; std floored at 1e-6.
FeatureNorm FitNorm(const std::vector<Features>& set);

// The sparse-free mel weight matrix [mel_bands][fft_size / 2 + 1] (with norm).
std::vector<double> MelMatrix(const FrontEndConfig& c);

std::vector<float> Int16ToFloat(const int16_t* x, size_t n);

}  // namespace mote::host::dsp

#endif  // MOTE_HOST_DSP_FEATURES_H_
