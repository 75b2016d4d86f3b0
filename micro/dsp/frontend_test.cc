#include "micro/dsp/frontend.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

// A test signal: a chirp plus a tone burst plus noise at about -20 dBFS.
std::vector<int16_t> TestSignal(size_t n, uint32_t seed) {
  std::vector<int16_t> x(n);
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    const double t = i / 16000.0;
    double v = 0.2 * std::sin(2 * M_PI * (200 * t + 1500 * t * t));
    if (i % 8000 < 3000) v += 0.1 * std::sin(2 * M_PI * 1200 * t);
    v += 0.02 * ((seed >> 8) / 16777216.0 - 0.5);
    x[i] = static_cast<int16_t>(std::lround(v * 32767));
  }
  return x;
}

struct Runner {
  explicit Runner(const FrontEndConfig& c, FrontEndPath p, const FeatureNorm* norm = nullptr)
      : scratch(FrontEnd::ScratchBytes(c, p) / 8 + 1) {
    ok = fe.Init(c, norm, p, scratch.data(), scratch.size() * 8, &err) == Status::kOk;
  }
  std::vector<float> All() {
    std::vector<float> out(static_cast<size_t>(fe.frames_ready()) * fe.num_features());
    fe.CopyFrames(out.data());
    return out;
  }
  std::vector<uint64_t> scratch;
  FrontEnd fe;
  ErrorText err;
  bool ok = false;
};

double SnrDb(const std::vector<float>& ref, const std::vector<float>& x) {
  double s = 0, e = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    s += double(ref[i]) * ref[i];
    e += (double(x[i]) - ref[i]) * (double(x[i]) - ref[i]);
  }
  return 10 * std::log10(s / std::max(e, 1e-30));
}

FrontEndConfig LongRing(FrontEndConfig c) {
  c.frames = 200;
  return c;
}

TEST(DspFrontEndTest, ChunkingDoesNotChangeTheFeatures) {
  for (int gap = 0; gap < 2; ++gap)
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    FrontEndConfig c = LongRing(KwsConfig());
    c.preemphasis = 0.97f;
    c.dc_alpha = 0.99f;
    if (gap) c.hop_us = 45000;  // hop > window: samples between frames are skipped
    const auto x = TestSignal(24000, 5);
    Runner whole(c, p), chunked(c, p);
    ASSERT_TRUE(whole.ok && chunked.ok) << whole.err.c_str();
    EXPECT_EQ(whole.fe.PushSamples(x.data(), x.size()), NumFrames(c, x.size()));
    size_t pos = 0, step = 1;
    int emitted = 0;
    while (pos < x.size()) {
      const size_t n = std::min(step, x.size() - pos);
      emitted += chunked.fe.PushSamples(x.data() + pos, n);
      pos += n;
      step = step * 7 % 331 + 1;
    }
    EXPECT_EQ(emitted, NumFrames(c, x.size()));
    const auto a = whole.All(), b = chunked.All();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;  // bit-identical
  }
}

TEST(DspFrontEndTest, RingKeepsTheLastFramesOldestFirst) {
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    const FrontEndConfig big = LongRing(KwsConfig());
    const FrontEndConfig small = KwsConfig();  // 49 frames
    const auto x = TestSignal(40000, 9);      // 124 frames
    Runner a(big, p), b(small, p);
    a.fe.PushSamples(x.data(), x.size());
    b.fe.PushSamples(x.data(), x.size());
    ASSERT_EQ(a.fe.frames_ready(), 124);
    ASSERT_EQ(b.fe.frames_ready(), 49);
    EXPECT_EQ(b.fe.frames_emitted(), 124u);
    const auto all = a.All(), last = b.All();
    const size_t off = (124 - 49) * 10;
    for (size_t i = 0; i < last.size(); ++i) ASSERT_EQ(last[i], all[off + i]) << i;
    std::vector<int16_t> q(49 * 10);
    b.fe.CopyFrames(q.data());
    for (size_t i = 0; i < q.size(); ++i)
      EXPECT_NEAR(q[i], last[i] * 256.0f, p == FrontEndPath::kFixed ? 0.0f : 0.5f);
  }
}

TEST(DspFrontEndTest, HistoryGivesEarlierWindows) {
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    const FrontEndConfig c = KwsConfig();  // 49 frames
    const int history = 20;
    EXPECT_GT(FrontEnd::ScratchBytes(c, p, history), FrontEnd::ScratchBytes(c, p));
    EXPECT_EQ(FrontEnd::ScratchBytes(c, p, kMaxHistoryFrames + 1), 0u);
    std::vector<uint64_t> scratch(FrontEnd::ScratchBytes(c, p, history) / 8 + 1);
    FrontEnd fe;
    ErrorText err;
    EXPECT_EQ(fe.Init(c, nullptr, p, scratch.data(), scratch.size() * 8, &err, -1), Status::kBadArgument);
    EXPECT_NE(std::string(err.c_str()).find("history"), std::string::npos);
    // The scratch for no history is too small for 20 frames of it.
    EXPECT_EQ(fe.Init(c, nullptr, p, scratch.data(), FrontEnd::ScratchBytes(c, p), &err, history),
              Status::kArenaTooSmall);
    ASSERT_EQ(fe.Init(c, nullptr, p, scratch.data(), scratch.size() * 8, &err, history), Status::kOk);
    // Push 20 ms at a time; the window that ended `back` frames ago must be
    // what CopyFramesS8 gave `back` frames ago.
    const auto x = TestSignal(48000, 3);  // 3 s: 149 frames
    std::vector<std::vector<int8_t>> seen;  // per frame emitted: the window ending there
    std::vector<int8_t> now(49 * 10), then(49 * 10);
    for (size_t pos = 0; pos + 320 <= x.size(); pos += 320) {
      ASSERT_EQ(fe.PushSamples(x.data() + pos, 320), pos + 320 >= 480 ? 1 : 0);
      if (fe.frames_ready() < 49) {
        EXPECT_EQ(fe.frames_ready(5), 0 == fe.frames_ready() ? 0 : std::max(0, fe.frames_ready() - 5));
        seen.emplace_back();
        continue;
      }
      fe.CopyFramesS8(now.data(), 0.1f, 3);
      seen.push_back(now);
      EXPECT_EQ(fe.frames_stored(), std::min<int>(fe.frames_emitted(), 49 + history));
      for (int back = 1; back <= history; ++back) {
        const std::vector<int8_t>& want = seen[seen.size() - 1 - back];
        if (want.empty()) {
          EXPECT_LT(fe.frames_ready(back), 49);
          continue;
        }
        ASSERT_EQ(fe.frames_ready(back), 49);
        fe.CopyFramesS8(then.data(), 0.1f, 3, back);
        ASSERT_EQ(then, want) << "back " << back << " at frame " << fe.frames_emitted();
      }
      EXPECT_EQ(fe.frames_ready(history + 1), fe.frames_stored() - history - 1 >= 49 ? 49 : fe.frames_stored() - history - 1);
    }
  }
}

TEST(DspFrontEndTest, FixedPathWithin40DbOfFloat) {
  struct Case {
    FeatureType f;
    float pre;
    MelNorm norm;
    uint8_t frac;
  };
  const Case cases[] = {{FeatureType::kMfcc, 0.0f, MelNorm::kNone, 8},
                        {FeatureType::kMfcc, 0.97f, MelNorm::kNone, 8},
                        {FeatureType::kLogMel, 0.0f, MelNorm::kSlaney, 10}};
  for (const Case& k : cases) {
    FrontEndConfig c = LongRing(KwsConfig());
    c.feature = k.f;
    c.num_mfcc = k.f == FeatureType::kMfcc ? 10 : 0;
    c.preemphasis = k.pre;
    c.mel_norm = k.norm;
    c.fixed_frac_bits = k.frac;
    for (float gain : {1.0f, 0.01f}) {  // loud and -40 dB quieter
      auto x = TestSignal(32000, 3);
      for (auto& v : x) v = static_cast<int16_t>(std::lround(v * gain));
      Runner f(c, FrontEndPath::kFloat), q(c, FrontEndPath::kFixed);
      f.fe.PushSamples(x.data(), x.size());
      q.fe.PushSamples(x.data(), x.size());
      const double snr = SnrDb(f.All(), q.All());
      EXPECT_GT(snr, 40.0) << static_cast<int>(k.f) << " pre " << k.pre << " gain " << gain;
    }
  }
}

TEST(DspFrontEndTest, CopyFramesS8Quantizes) {
  const FrontEndConfig c = KwsConfig();
  const auto x = TestSignal(16000, 21);
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    Runner r(c, p);
    r.fe.PushSamples(x.data(), x.size());
    const auto v = r.All();
    std::vector<int8_t> q(v.size());
    const float scale = 0.37f;
    const int zp = -20;
    r.fe.CopyFramesS8(q.data(), scale, zp);
    int exact = 0, saturated = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const double want = std::max(-128.0, std::min(127.0, std::round(double(v[i]) / scale) + zp));
      EXPECT_LE(std::fabs(q[i] - want), 1.0) << i;  // ties may round either way
      exact += q[i] == want;
      saturated += want == -128.0 || want == 127.0;
    }
    EXPECT_GT(exact, static_cast<int>(v.size()) * 95 / 100);
    EXPECT_LT(saturated, static_cast<int>(v.size()) / 2);  // the test covers the linear range
  }
}

TEST(DspFrontEndTest, SilenceGivesTheLogFloor) {
  FrontEndConfig c = KwsConfig();
  c.feature = FeatureType::kLogMel;
  c.num_mfcc = 0;
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    Runner r(c, p);
    std::vector<int16_t> zeros(16000, 0);
    r.fe.PushSamples(zeros.data(), zeros.size());
    for (float v : r.All()) EXPECT_NEAR(v, std::log(1e-6), 0.01);
  }
}

TEST(DspFrontEndTest, NormalisationApplied) {
  FrontEndConfig c = LongRing(KwsConfig());
  const auto x = TestSignal(16000, 11);
  Runner plain(c, FrontEndPath::kFloat);
  plain.fe.PushSamples(x.data(), x.size());
  const auto a = plain.All();
  FeatureNorm n;
  n.count = 10;
  for (int i = 0; i < 10; ++i) {
    n.mean[i] = 0.5f * i - 2.0f;
    n.std[i] = 1.0f + 0.25f * i;
  }
  c.normalize = 1;
  for (FrontEndPath p : {FrontEndPath::kFloat, FrontEndPath::kFixed}) {
    Runner r(c, p, &n);
    ASSERT_TRUE(r.ok) << r.err.c_str();
    r.fe.PushSamples(x.data(), x.size());
    const auto b = r.All();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_NEAR(b[i], (a[i] - n.mean[i % 10]) / n.std[i % 10],
                  p == FrontEndPath::kFloat ? 1e-4 : 0.05) << i;
  }
}

TEST(DspFrontEndTest, BadInitAndWrongPath) {
  FrontEndConfig c = KwsConfig();
  const size_t need = FrontEnd::ScratchBytes(c, FrontEndPath::kFixed);
  EXPECT_GT(need, 0u);
  EXPECT_LT(need, 9000u);
  std::vector<uint64_t> buf(need / 8 + 1);
  FrontEnd fe;
  ErrorText err;
  EXPECT_EQ(fe.Init(c, nullptr, FrontEndPath::kFixed, buf.data(), need - 16, &err),
            Status::kArenaTooSmall);
  EXPECT_NE(std::string(err.c_str()).find("need"), std::string::npos);
  int16_t s[4] = {};
  EXPECT_EQ(fe.PushSamples(s, 4), 0);  // not initialised
  ASSERT_EQ(fe.Init(c, nullptr, FrontEndPath::kFixed, buf.data(), need, &err), Status::kOk);
  const float f[4] = {};
  EXPECT_EQ(fe.PushSamples(f, 4), -1);  // float samples on the fixed path
  c.fft_size = 500;
  EXPECT_EQ(FrontEnd::ScratchBytes(c, FrontEndPath::kFloat), 0u);
  EXPECT_EQ(fe.Init(c, nullptr, FrontEndPath::kFloat, buf.data(), need, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("fft_size"), std::string::npos);
}

TEST(DspFrontEndTest, NanAndFullScaleInputDoNotCrash) {
  FrontEndConfig c = KwsConfig();
  Runner f(c, FrontEndPath::kFloat), q(c, FrontEndPath::kFixed);
  std::vector<float> bad(16000, NAN);
  for (size_t i = 0; i < bad.size(); i += 3) bad[i] = INFINITY;
  f.fe.PushSamples(bad.data(), bad.size());
  std::vector<int16_t> loud(16000);
  for (size_t i = 0; i < loud.size(); ++i) loud[i] = i % 2 ? 32767 : -32768;
  q.fe.PushSamples(loud.data(), loud.size());
  EXPECT_EQ(q.fe.frames_ready(), 49);
  for (float v : q.All()) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace mote::micro::dsp
