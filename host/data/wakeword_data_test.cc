#include "host/data/wakeword_data.h"

#include <gtest/gtest.h>

#include <cmath>

#include "host/data/kws_features.h"
#include "micro/dsp/frontend.h"

namespace mote::data {
namespace {

namespace mdsp = micro::dsp;

// A chirp with a little noise, int16.
std::vector<int16_t> Signal(size_t n, uint32_t seed) {
  std::vector<int16_t> x(n);
  uint32_t s = seed;
  for (size_t i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    const double t = static_cast<double>(i) / 16000.0;
    const double v = 6000 * std::sin(2 * M_PI * (200 + 900 * t) * t) + static_cast<int>(s >> 24) - 128;
    x[i] = static_cast<int16_t>(std::lround(v));
  }
  return x;
}

// The frames the device ring holds after the whole input, straight from
// micro::dsp::FrontEnd (pushed in one call, not in 320-sample blocks).
std::vector<int16_t> DeviceRing(const mdsp::FrontEndConfig& c, const std::vector<int16_t>& pcm) {
  std::vector<uint8_t> scratch(mdsp::FrontEnd::ScratchBytes(c, mdsp::FrontEndPath::kFixed));
  mdsp::FrontEnd fe;
  micro::ErrorText e;
  EXPECT_EQ(fe.Init(c, nullptr, mdsp::FrontEndPath::kFixed, scratch.data(), scratch.size(), &e),
            micro::Status::kOk);
  fe.PushSamples(pcm.data(), pcm.size());
  std::vector<int16_t> ring(static_cast<size_t>(fe.frames_ready()) * fe.num_features());
  fe.CopyFrames(ring.data());
  return ring;
}

TEST(WakewordData, StreamTrackEndsWithTheDeviceRing) {
  const mdsp::FrontEndConfig c = mdsp::KwsConfig();
  const std::vector<int16_t> pcm = Signal(16000 * 3 + 123, 5);
  FrameTrack t;
  std::string err;
  ASSERT_TRUE(StreamFramesFixed(c, pcm, &t, &err)) << err;
  EXPECT_EQ(t.frames, mdsp::NumFrames(c, pcm.size()));
  EXPECT_EQ(t.features, mdsp::NumFeatures(c));
  ASSERT_EQ(t.data.size(), static_cast<size_t>(t.frames) * t.features);
  const std::vector<int16_t> ring = DeviceRing(c, pcm);
  ASSERT_EQ(ring.size(), static_cast<size_t>(c.frames) * t.features);
  for (size_t i = 0; i < ring.size(); ++i)
    ASSERT_EQ(t.data[(t.frames - c.frames) * t.features + i], ring[i]) << i;
  // An earlier window is the ring of the stream cut at that frame's last sample.
  const int end = c.frames + 17;
  const size_t cut = static_cast<size_t>((end - 1) * mdsp::HopSamples(c) + mdsp::WindowSamples(c));
  const std::vector<int16_t> early = DeviceRing(c, std::vector<int16_t>(pcm.begin(), pcm.begin() + cut));
  std::vector<float> w(ring.size());
  WindowFeatures(t, c.frames, end, w.data());
  for (size_t i = 0; i < early.size(); ++i)
    ASSERT_EQ(w[i], static_cast<float>(early[i]) / (1 << c.fixed_frac_bits)) << i;
}

TEST(WakewordData, ClipFeaturesAreAFreshDeviceRingPerClip) {
  const mdsp::FrontEndConfig c = mdsp::KwsConfig();
  const size_t n = ClipSamples(c);
  std::vector<std::vector<float>> clips;
  std::vector<std::vector<int16_t>> pcm;
  for (uint32_t k = 0; k < 3; ++k) {
    pcm.push_back(Signal(n, 11 + k));
    std::vector<float> f(n);
    for (size_t i = 0; i < n; ++i) f[i] = pcm.back()[i] / 32768.0f;
    clips.push_back(f);
  }
  train::Tensor x;
  std::string err;
  ASSERT_TRUE(ClipFeaturesFixed(c, clips, &x, &err)) << err;
  ASSERT_EQ(x.shape, (train::Shape{3, c.frames, mdsp::NumFeatures(c), 1}));
  for (size_t k = 0; k < 3; ++k) {
    const std::vector<int16_t> ring = DeviceRing(c, pcm[k]);
    for (size_t i = 0; i < ring.size(); ++i)
      ASSERT_EQ(x.data[k * ring.size() + i], static_cast<float>(ring[i]) / (1 << c.fixed_frac_bits));
  }
}

TEST(WakewordData, BadInputIsAnError) {
  mdsp::FrontEndConfig c = mdsp::KwsConfig();
  train::Tensor x;
  std::string err;
  EXPECT_FALSE(ClipFeaturesFixed(c, {std::vector<float>(100, 0.0f)}, &x, &err));
  EXPECT_NE(err.find("clip 0: 100 samples"), std::string::npos) << err;
  c.normalize = 1;
  FrameTrack t;
  EXPECT_FALSE(StreamFramesFixed(c, std::vector<int16_t>(16000), &t, &err));
  EXPECT_NE(err.find("normalize"), std::string::npos) << err;
  c = mdsp::KwsConfig();
  c.fft_size = 100;
  EXPECT_FALSE(StreamFramesFixed(c, std::vector<int16_t>(16000), &t, &err));
}

TEST(WakewordData, ShiftClip) {
  const std::vector<float> x = {1, 2, 3, 4};
  EXPECT_EQ(ShiftClip(x, 1), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(ShiftClip(x, -2), (std::vector<float>{3, 4, 0, 0}));
  EXPECT_EQ(ShiftClip(x, 9), (std::vector<float>{0, 0, 0, 0}));
}

TEST(WakewordData, ClassifyWindow) {
  const mdsp::FrontEndConfig c = mdsp::KwsConfig();  // hop 20 ms, window 30 ms, 49 frames
  // The window ending at frame 49 covers [0, 0.99) s; at frame 99, [1.0, 1.99) s.
  const std::vector<KeywordSpan> spans = {{3, 1.2, 1.7}, {5, 3.0, 3.6}};
  EXPECT_EQ(ClassifyWindow(c, 99, spans, 0.1), 3);                 // whole keyword inside
  EXPECT_EQ(ClassifyWindow(c, 49, spans, 0.1), kWindowNegative);   // ends 0.99 < 1.2 - 0.1
  EXPECT_EQ(ClassifyWindow(c, 49, spans, 0.25), kWindowAmbiguous); // within the margin
  EXPECT_EQ(ClassifyWindow(c, 80, spans, 0.1), kWindowAmbiguous);  // [0.62, 1.61): part of it
  EXPECT_EQ(ClassifyWindow(c, 140, spans, 0.1), kWindowNegative);  // [1.82, 2.81)
  EXPECT_EQ(ClassifyWindow(c, 190, spans, 0.1), 5);                // [2.82, 3.81)
}

}  // namespace
}  // namespace mote::data
