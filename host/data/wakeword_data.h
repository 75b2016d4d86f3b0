// Wake-word training data on the host, with the features the device computes:
// the fixed-point front end of micro/dsp (FrontEndPath::kFixed), the path the
// firmware and `mote wakeword` run. Two sources:
//
//   * 1 s clips (synth-kws): each clip through a fresh front end, like
//     `mote features --path fixed`; ShiftClip makes time-shifted copies.
//   * a long recording (`mote data synth-stream --split train`): the whole
//     stream through ONE front end, every frame kept (a FrameTrack). The
//     window that ends at frame e is frames [e - c.frames, e): exactly the
//     ring the device copies into the model at that moment. ClassifyWindow
//     says, from the stream's ground truth, whether a window is a clean
//     negative (no keyword near it), holds a whole keyword, or is ambiguous.
//
// Contract: deterministic; features are float value = int16 / 2^fixed_frac_bits
// (what CopyFrames(float*) gives), laid out [N, frames, features, 1] for the
// trainer. Errors (bad config, clip of the wrong length) name what was wrong.
//
//   FrameTrack t;
//   if (!StreamFramesFixed(c, pcm, &t, &err)) ...
//   for (int e = c.frames; e <= t.frames; e += 5)
//     if (ClassifyWindow(c, e, truth_events, 0.1) == kWindowNegative) ...
//   std::vector<float> x(c.frames * t.features);  WindowFeatures(t, c.frames, e, x.data());
#ifndef MOTE_HOST_DATA_WAKEWORD_DATA_H_
#define MOTE_HOST_DATA_WAKEWORD_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "host/train/tensor.h"
#include "micro/dsp/config.h"

namespace mote::data {

// Every frame of a stream, oldest first: data[t * features + f].
struct FrameTrack {
  int frames = 0, features = 0;
  int frac_bits = 0;
  std::vector<int16_t> data;
};

// Runs pcm through one fixed-path front end (320-sample pushes, like a DMA
// block) and keeps every frame. REQUIRES: !c.normalize (no statistics here).
bool StreamFramesFixed(const micro::dsp::FrontEndConfig& c, const std::vector<int16_t>& pcm,
                       FrameTrack* out, std::string* err);

// The `c.frames` frames that end (exclusive) at `end`, as floats.
// REQUIRES: frames <= end <= t.frames.
void WindowFeatures(const FrameTrack& t, int frames, int end, float* out);

// Clips (float samples in [-1, 1), each ClipSamples(c) long) through a fresh
// fixed-path front end each: [N, c.frames, features, 1]. Parallel over
// train::Threads(); the result does not depend on the thread count.
bool ClipFeaturesFixed(const micro::dsp::FrontEndConfig& c,
                       const std::vector<std::vector<float>>& clips, train::Tensor* out,
                       std::string* err);

// The clip moved by `shift` samples (positive: later), zero filled, same length.
std::vector<float> ShiftClip(const std::vector<float>& clip, int shift);

// A keyword of the stream's ground truth, label index into the model's labels.
struct KeywordSpan {
  int label = 0;
  double start_s = 0, end_s = 0;
};

constexpr int kWindowNegative = -1;   // no keyword within `margin_s` of the window
constexpr int kWindowAmbiguous = -2;  // part of a keyword, or two keywords

// The window ending at frame `end` covers [(end - frames) * hop, (end - 1) * hop
// + window) seconds. Returns the keyword's label when exactly one keyword lies
// wholly inside it (and no other touches it), kWindowNegative when no keyword
// comes within margin_s of it, else kWindowAmbiguous. `spans` sorted by start.
int ClassifyWindow(const micro::dsp::FrontEndConfig& c, int end, const std::vector<KeywordSpan>& spans,
                   double margin_s);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_WAKEWORD_DATA_H_
