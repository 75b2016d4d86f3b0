#include "host/data/wakeword_data.h"

#include <algorithm>
#include <cmath>

#include "host/data/kws_features.h"
#include "host/train/parallel.h"
#include "micro/dsp/frontend.h"

namespace mote::data {
namespace mdsp = micro::dsp;

namespace {

constexpr size_t kPush = 320;  // samples per PushSamples (a 20 ms DMA block at 16 kHz)

bool Fail(std::string* err, const std::string& what) {
  if (err) *err = what;
  return false;
}

// A fixed-path front end with its own scratch.
struct FixedFrontEnd {
  std::vector<uint8_t> scratch;
  mdsp::FrontEnd fe;
  bool Init(const mdsp::FrontEndConfig& c, std::string* err) {
    if (c.normalize) return Fail(err, "front end: wake-word training data expects normalize = 0");
    const size_t bytes = mdsp::FrontEnd::ScratchBytes(c, mdsp::FrontEndPath::kFixed);
    if (bytes == 0) return Fail(err, "front end: invalid config");
    scratch.assign(bytes, 0);
    micro::ErrorText e;
    if (fe.Init(c, nullptr, mdsp::FrontEndPath::kFixed, scratch.data(), scratch.size(), &e) !=
        micro::Status::kOk)
      return Fail(err, std::string("front end: ") + e.c_str());
    return true;
  }
};

int16_t ToInt16(float x) {
  const float v = std::nearbyint(x * 32768.0f);
  return static_cast<int16_t>(std::min(32767.0f, std::max(-32768.0f, v)));
}

}  // namespace

bool StreamFramesFixed(const mdsp::FrontEndConfig& c, const std::vector<int16_t>& pcm,
                       FrameTrack* out, std::string* err) {
  FixedFrontEnd f;
  if (!f.Init(c, err)) return false;
  const int nf = f.fe.num_features();
  out->features = nf;
  out->frac_bits = c.fixed_frac_bits;
  out->frames = 0;
  out->data.clear();
  out->data.reserve(static_cast<size_t>(mdsp::NumFrames(c, pcm.size())) * nf);
  std::vector<int16_t> ring(static_cast<size_t>(c.frames) * nf);
  for (size_t at = 0; at < pcm.size(); at += kPush) {
    const int got = f.fe.PushSamples(pcm.data() + at, std::min(kPush, pcm.size() - at));
    if (got <= 0) continue;
    const int ready = f.fe.frames_ready();
    f.fe.CopyFrames(ring.data());
    // A push of one hop emits at most one frame; keep the newest `got` (<= ready).
    const int keep = std::min(got, ready);
    out->data.insert(out->data.end(), ring.begin() + static_cast<size_t>(ready - keep) * nf,
                     ring.begin() + static_cast<size_t>(ready) * nf);
    out->frames += keep;
  }
  return true;
}

void WindowFeatures(const FrameTrack& t, int frames, int end, float* out) {
  const float inv = 1.0f / static_cast<float>(1 << t.frac_bits);
  const size_t n = static_cast<size_t>(frames) * t.features;
  const int16_t* p = t.data.data() + static_cast<size_t>(end - frames) * t.features;
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(p[i]) * inv;
}

bool ClipFeaturesFixed(const mdsp::FrontEndConfig& c, const std::vector<std::vector<float>>& clips,
                       train::Tensor* out, std::string* err) {
  FixedFrontEnd probe;
  if (!probe.Init(c, err)) return false;
  const int nf = probe.fe.num_features(), frames = c.frames;
  const size_t want = ClipSamples(c);
  for (size_t i = 0; i < clips.size(); ++i)
    if (clips[i].size() != want)
      return Fail(err, "clip " + std::to_string(i) + ": " + std::to_string(clips[i].size()) +
                           " samples, expected " + std::to_string(want));
  const int n = static_cast<int>(clips.size());
  *out = train::Tensor({n, frames, nf, 1});
  const size_t per = static_cast<size_t>(frames) * nf;
  const int chunks = train::ChunkCount(n);
  std::vector<std::string> errors(static_cast<size_t>(chunks));
  train::ParallelFor(chunks, static_cast<size_t>(n) * 1000000, [&](int chunk) {
    int b = 0, e = 0;
    train::ChunkRange(n, chunks, chunk, &b, &e);
    FixedFrontEnd f;
    if (!f.Init(c, &errors[static_cast<size_t>(chunk)])) return;
    std::vector<int16_t> pcm(want), ring(per);
    const float inv = 1.0f / static_cast<float>(1 << c.fixed_frac_bits);
    for (int i = b; i < e; ++i) {
      f.fe.Reset();
      for (size_t k = 0; k < want; ++k) pcm[k] = ToInt16(clips[static_cast<size_t>(i)][k]);
      for (size_t at = 0; at < want; at += kPush)
        f.fe.PushSamples(pcm.data() + at, std::min(kPush, want - at));
      if (f.fe.frames_ready() != frames) {
        errors[static_cast<size_t>(chunk)] = "clip " + std::to_string(i) + ": front end gave " +
                                             std::to_string(f.fe.frames_ready()) + " frames";
        return;
      }
      f.fe.CopyFrames(ring.data());
      float* dst = out->data.data() + static_cast<size_t>(i) * per;
      for (size_t k = 0; k < per; ++k) dst[k] = static_cast<float>(ring[k]) * inv;
    }
  });
  for (const auto& e : errors)
    if (!e.empty()) return Fail(err, e);
  return true;
}

std::vector<float> ShiftClip(const std::vector<float>& clip, int shift) {
  std::vector<float> r(clip.size(), 0.0f);
  const long long n = static_cast<long long>(clip.size());
  for (long long i = 0; i < n; ++i) {
    const long long from = i - shift;
    if (from >= 0 && from < n) r[static_cast<size_t>(i)] = clip[static_cast<size_t>(from)];
  }
  return r;
}

int ClassifyWindow(const mdsp::FrontEndConfig& c, int end, const std::vector<KeywordSpan>& spans,
                   double margin_s) {
  const double hop = static_cast<double>(mdsp::HopSamples(c)) / c.sample_rate_hz;
  const double win = static_cast<double>(mdsp::WindowSamples(c)) / c.sample_rate_hz;
  const double begin = (end - c.frames) * hop, finish = (end - 1) * hop + win;
  int inside = -1, touching = 0;
  for (const KeywordSpan& s : spans) {
    if (s.start_s - margin_s >= finish) break;
    if (s.end_s + margin_s <= begin) continue;
    ++touching;
    if (s.start_s >= begin && s.end_s <= finish) inside = s.label;
  }
  if (touching == 0) return kWindowNegative;
  if (touching == 1 && inside >= 0) return inside;
  return kWindowAmbiguous;
}

}  // namespace mote::data
