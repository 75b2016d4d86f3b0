#include "host/wakeword/stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

namespace mote::host::wakeword {
namespace {

const std::vector<std::string> kLabels = {"_silence_", "_unknown_", "yes", "no"};

TEST(WakewordScore, CountsHitsMissesFalseAcceptsAndDuplicates) {
  // Two keywords; one hour (plus the keywords' 1.0 s) of audio.
  const std::vector<TruthEvent> truth = {{"yes", 10.0, 10.5}, {"no", 100.0, 100.5}};
  ScoreOptions opt;
  opt.tolerance_s = 0.25;
  opt.span_s = 1.0;
  std::vector<StreamDetection> dets = {
      {2, 10.9, 0.9f},   // yes, window [9.9, 10.9] overlaps [9.75, 10.75]: hit
      {2, 11.6, 0.8f},   // yes, window [10.6, 11.6] overlaps [.., 10.75]: duplicate
      {3, 11.0, 0.7f},   // "no" over the "yes": wrong keyword -> false accept
      {2, 500.0, 0.9f},  // nothing there: false accept
      {3, 102.0, 0.9f},  // window [101, 102] misses [99.75, 100.75]: false accept
  };
  StreamScore s = Score(dets, truth, kLabels, opt, 3600.0 + 1.0);
  EXPECT_EQ(s.keywords, 2);
  EXPECT_EQ(s.detected, 1);
  EXPECT_EQ(s.false_rejects, 1);
  EXPECT_DOUBLE_EQ(s.frr, 0.5);
  EXPECT_EQ(s.false_accepts, 3);
  EXPECT_EQ(s.wrong_keyword, 1);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_NEAR(s.non_keyword_hours, 1.0, 1e-12);
  EXPECT_NEAR(s.fa_per_hour, 3.0, 1e-9);
  ASSERT_EQ(s.detection_match.size(), 5u);
  EXPECT_EQ(s.detection_match[0], 0);
  EXPECT_EQ(s.detection_match[1], 0);
  EXPECT_EQ(s.detection_match[2], -1);
  EXPECT_EQ(s.detection_match[4], -1);
  // A larger tolerance turns the late "no" into a hit.
  opt.tolerance_s = 1.5;
  s = Score(dets, truth, kLabels, opt, 3601.0);
  EXPECT_EQ(s.detected, 2);
  EXPECT_EQ(s.false_accepts, 2);
}

TEST(WakewordScore, FrrStandardErrorTreatsSpeakersAsClusters) {
  // Speakers a (both found), b (one of two), c (none of two): FRR 3 / 6.
  std::vector<TruthEvent> truth = {{"yes", 10, 10.5, "a"}, {"yes", 20, 20.5, "a"},
                                   {"yes", 30, 30.5, "b"}, {"yes", 40, 40.5, "b"},
                                   {"yes", 50, 50.5, "c"}, {"yes", 60, 60.5, "c"}};
  const std::vector<StreamDetection> dets = {{2, 10.9, 0.9f}, {2, 20.9, 0.9f}, {2, 30.9, 0.9f}};
  StreamScore s = Score(dets, truth, kLabels, ScoreOptions{}, 100.0);
  EXPECT_DOUBLE_EQ(s.frr, 0.5);
  // d = misses - frr * keywords: -1, 0, 1; sqrt(3 / 2 * 2) / 6.
  EXPECT_NEAR(s.frr_se, std::sqrt(3.0) / 6.0, 1e-12);
  // The misses by truth index, and per speaker most misses first (ties by name).
  EXPECT_EQ(s.missed, (std::vector<int>{3, 4, 5}));
  const std::vector<GroupMisses> by_speaker = MissesBy(truth, s.missed, GroupBy::kSpeaker);
  ASSERT_EQ(by_speaker.size(), 3u);
  EXPECT_EQ(by_speaker[0].name, "c");
  EXPECT_EQ(by_speaker[0].missed, 2);
  EXPECT_EQ(by_speaker[1].name, "b");
  EXPECT_EQ(by_speaker[1].keywords, 2);
  EXPECT_EQ(by_speaker[1].missed, 1);
  EXPECT_EQ(by_speaker[2].name, "a");
  EXPECT_EQ(by_speaker[2].missed, 0);
  truth[5].keyword = "no";  // a "no" nobody detected
  s = Score(dets, truth, kLabels, ScoreOptions{}, 100.0);
  const std::vector<GroupMisses> by_keyword = MissesBy(truth, s.missed, GroupBy::kKeyword);
  ASSERT_EQ(by_keyword.size(), 2u);
  EXPECT_EQ(by_keyword[0].name, "yes");
  EXPECT_EQ(by_keyword[0].keywords, 5);
  EXPECT_EQ(by_keyword[0].missed, 2);
  EXPECT_EQ(by_keyword[1].name, "no");
  EXPECT_EQ(by_keyword[1].missed, 1);
  // One speaker only, or no speaker column: no spread to measure.
  for (auto& t : truth) t.speaker = "a";
  EXPECT_EQ(Score(dets, truth, kLabels, ScoreOptions{}, 100.0).frr_se, 0.0);
  for (auto& t : truth) t.speaker.clear();
  EXPECT_EQ(Score(dets, truth, kLabels, ScoreOptions{}, 100.0).frr_se, 0.0);
}

TEST(WakewordScore, PoolsRecordingsAsOne) {
  // Recording 1: speakers a (1 of 2 missed) and b (0 of 1), 1 false accept in
  // 1 h. Recording 2: speaker a again (2 of 2 missed) and c (0 of 1), 2 false
  // accepts in 3 h. Pooled: 3 of 6 missed, 3 FA in 4 h.
  const std::vector<TruthEvent> t1 = {{"yes", 10, 10.5, "a"}, {"yes", 20, 20.5, "a"},
                                      {"no", 30, 30.5, "b"}};
  const std::vector<TruthEvent> t2 = {{"yes", 10, 10.5, "a"}, {"no", 20, 20.5, "a"},
                                      {"yes", 30, 30.5, "c"}};
  const std::vector<StreamDetection> d1 = {{2, 10.9, 0.9f}, {3, 30.9, 0.9f}, {2, 500, 0.9f}};
  const std::vector<StreamDetection> d2 = {{2, 30.9, 0.9f}, {2, 600, 0.9f}, {3, 900, 0.9f}};
  const StreamScore s1 = Score(d1, t1, kLabels, ScoreOptions{}, 3600.0 + 1.5);
  const StreamScore s2 = Score(d2, t2, kLabels, ScoreOptions{}, 3 * 3600.0 + 1.5);
  const StreamScore p = Pool({s1, s2}, {t1, t2});
  EXPECT_EQ(p.keywords, 6);
  EXPECT_EQ(p.detected, 3);
  EXPECT_EQ(p.false_rejects, 3);
  EXPECT_DOUBLE_EQ(p.frr, 0.5);
  EXPECT_EQ(p.false_accepts, 3);
  EXPECT_NEAR(p.non_keyword_hours, 4.0, 1e-12);
  EXPECT_NEAR(p.fa_per_hour, 0.75, 1e-9);
  // Indices into t1 then t2; the second recording's shifted by 3.
  EXPECT_EQ(p.missed, (std::vector<int>{1, 3, 4}));
  EXPECT_EQ(p.detection_match, (std::vector<int>{0, 2, -1, 5, -1, -1}));
  // Speaker a is one cluster over both recordings: a 3 of 4, b 0 of 1,
  // c 0 of 1; d = 3 - 2, -0.5, -0.5; sqrt(3 / 2 * 1.5) / 6.
  EXPECT_NEAR(p.frr_se, 1.5 / 6.0, 1e-12);
  // One recording pools to itself.
  const StreamScore one = Pool({s1}, {t1});
  EXPECT_EQ(one.missed, s1.missed);
  EXPECT_DOUBLE_EQ(one.frr_se, s1.frr_se);
  EXPECT_DOUBLE_EQ(one.fa_per_hour, s1.fa_per_hour);
}

TEST(WakewordScore, PrefersAnUnmatchedKeyword) {
  // Two "yes" close together; two detections each overlapping both.
  const std::vector<TruthEvent> truth = {{"yes", 10.0, 10.4}, {"yes", 10.8, 11.2}};
  ScoreOptions opt;
  opt.span_s = 1.0;
  std::vector<StreamDetection> dets = {{2, 10.9, 0.9f}, {2, 11.3, 0.9f}};
  StreamScore s = Score(dets, truth, kLabels, opt, 60.0);
  EXPECT_EQ(s.detected, 2);
  EXPECT_EQ(s.duplicates, 0);
}

TEST(WakewordTruth, ParsesSynthStreamCsvAndRejectsBadRows) {
  const std::string path = ::testing::TempDir() + "/ww_truth.csv";
  {
    std::ofstream f(path);
    f << "keyword,start_s,end_s,speaker\nseven,3.25,3.90,en+m4\r\nthree,12.5,13.0,en-us+f3\n";
  }
  std::vector<TruthEvent> t;
  std::string err;
  ASSERT_TRUE(LoadTruth(path, &t, &err)) << err;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].keyword, "seven");
  EXPECT_DOUBLE_EQ(t[0].start_s, 3.25);
  EXPECT_DOUBLE_EQ(t[1].end_s, 13.0);
  EXPECT_EQ(t[0].speaker, "en+m4");  // the \r of a CRLF line is not part of it
  EXPECT_EQ(t[1].speaker, "en-us+f3");
  for (const char* bad : {"seven,abc,1.0\n", "seven,2.0,1.0\n", "seven,1.0\n", "seven,nan,1\n"}) {
    {
      std::ofstream f(path);
      f << bad;
    }
    EXPECT_FALSE(LoadTruth(path, &t, &err)) << bad;
    EXPECT_NE(err.find("line 1"), std::string::npos) << err;
  }
  std::remove(path.c_str());
  EXPECT_FALSE(LoadTruth(path, &t, &err));
  EXPECT_NE(err.find("cannot open"), std::string::npos);
}

// The example's committed model (labels + front end in its manifest).
const char kModel[] = MOTE_SOURCE_DIR "/examples/wakeword/wakeword_int8.tflite";

std::vector<int16_t> TestAudio(size_t n) {
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 300.0);
  std::vector<int16_t> x(n);
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / 16000.0;
    const double v = 4000.0 * std::sin(2 * M_PI * (300.0 + 400.0 * t) * t) *
                         (0.5 + 0.5 * std::sin(2 * M_PI * 3.0 * t)) + noise(rng);
    x[i] = static_cast<int16_t>(std::lround(std::clamp(v, -32768.0, 32767.0)));
  }
  return x;
}

TEST(WakewordStream, ChunkSizeDoesNotChangePosteriors) {
  std::string err;
  auto kws = KwsModel::Open(kModel, {}, {}, &err);
  ASSERT_NE(kws, nullptr) << err;
  ASSERT_EQ(kws->labels.size(), 12u);
  const std::vector<int16_t> audio = TestAudio(16000 * 3);
  StreamOptions a, b;
  a.hop_ms = b.hop_ms = 250;
  a.chunk_samples = 320;
  b.chunk_samples = 7;  // odd blocks that straddle frames and hops
  Posteriors pa, pb;
  ASSERT_TRUE(RunPosteriors(kws.get(), audio, 16000, a, &pa, &err)) << err;
  ASSERT_TRUE(RunPosteriors(kws.get(), audio, 16000, b, &pb, &err)) << err;
  // 12 hops of 4000 samples; the ring is full (15,840 samples) from the 4th hop.
  ASSERT_EQ(pa.time_ms.size(), 9u);
  EXPECT_EQ(pa.time_ms.front(), 1000u);
  EXPECT_EQ(pa.time_ms.back(), 3000u);
  EXPECT_EQ(pa.time_ms, pb.time_ms);
  EXPECT_EQ(pa.scores, pb.scores);  // int8, byte for byte
  EXPECT_NEAR(pa.window_s, 0.99, 1e-12);
}

// Posteriors every 100 ms from 1.0 s: class 2 ("two" in the 12-label model)
// rises to `peak` output units above the zero point at the rows in `bursts`.
Posteriors GridPosteriors(const KwsModel& kws, size_t rows, const std::vector<size_t>& bursts,
                          int peak) {
  Posteriors p;
  p.num_classes = static_cast<int>(kws.labels.size());
  p.hop_ms = 100;
  p.duration_s = 1.0 + rows * 0.1;
  p.window_s = 0.99;
  p.zero_point = kws.out_zero_point;
  for (size_t i = 0; i < rows; ++i) {
    p.time_ms.push_back(static_cast<uint32_t>(1000 + 100 * i));
    for (int k = 0; k < p.num_classes; ++k) {
      int units = k == 11 ? 200 : 2;  // _unknown_ dominates
      if (k == 2 && std::find(bursts.begin(), bursts.end(), i) != bursts.end()) units = peak;
      p.scores.push_back(static_cast<int8_t>(units + kws.out_zero_point));
    }
  }
  return p;
}

TEST(WakewordStream, LookBackWithAnOpenGateEqualsTheDenseHop) {
  std::string err;
  auto kws = KwsModel::Open(kModel, {}, {}, &err);
  ASSERT_NE(kws, nullptr) << err;
  // Bursts between anchors (rows 0, 5, 10, ... are at multiples of 500 ms).
  const Posteriors p = GridPosteriors(*kws, 61, {2, 3, 17, 18, 19, 31, 44, 52, 53}, 230);
  auto dense = MakeDetectorConfig(*kws, 100, 0.8f, 2, 1000);
  auto lb = MakeDetectorConfig(*kws, 500, 0.8f, 2, 1000);
  lb.sub_hops = 5;
  lb.gate = 0;  // always open: every grid window runs
  size_t dense_runs = 0, lb_runs = 0;
  const auto a = Detect(*kws, p, dense, &dense_runs);
  const auto b = Detect(*kws, p, lb, &lb_runs);
  EXPECT_EQ(dense_runs, 61u);
  EXPECT_EQ(lb_runs, 61u);  // row 60 (7.0 s) is the last anchor
  ASSERT_EQ(a.size(), 3u);  // 2-3, 17-19 and 52-53; 31 and 44 alone average below 0.8
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].label, b[i].label);
    EXPECT_EQ(a[i].time_s, b[i].time_s);
    EXPECT_EQ(a[i].units, b[i].units);
  }
  // Posteriors at another hop than hop / sub_hops: nothing, no runs.
  lb.sub_hops = 2;
  EXPECT_TRUE(Detect(*kws, p, lb, &lb_runs).empty());
  EXPECT_EQ(lb_runs, 0u);
}

TEST(WakewordStream, LookBackRunsTheWindowsBetweenOnlyWhenTheGateOpens) {
  std::string err;
  auto kws = KwsModel::Open(kModel, {}, {}, &err);
  ASSERT_NE(kws, nullptr) << err;
  auto c = MakeDetectorConfig(*kws, 500, 0.8f, 2, 1000);
  c.sub_hops = 5;
  c.gate = 100;
  size_t runs = 0;
  // A burst strictly between anchors 10 and 15 (rows 12-13): anchors stay at
  // 2 units, the gate never opens, the burst is never seen.
  auto p = GridPosteriors(*kws, 31, {12, 13}, 250);
  EXPECT_TRUE(Detect(*kws, p, c, &runs).empty());
  EXPECT_EQ(runs, 7u);  // anchors at rows 0, 5, ..., 30
  // The same burst touching anchor 15: the gate opens there (and again at
  // anchor 20, whose previous anchor was open), rows 11-14 and 16-19 run.
  p = GridPosteriors(*kws, 31, {13, 14, 15}, 250);
  const auto d = Detect(*kws, p, c, &runs);
  EXPECT_EQ(runs, 7u + 4u + 4u);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].label, 2);
  EXPECT_NEAR(d[0].time_s, 1.0 + 1.4, 1e-9);  // rows 13 + 14 average 250 first
  EXPECT_EQ(d[0].units, 250);
}

TEST(WakewordStream, VerifiersAverageTheWindowsTheFirstModelFlags) {
  std::string err;
  auto kws = KwsModel::Open(kModel, {}, {}, &err);
  ASSERT_NE(kws, nullptr) << err;
  auto c = MakeDetectorConfig(*kws, 500, 0.8f, 2, 1000);  // 205 units
  c.sub_hops = 5;
  c.gate = 100;
  c.verify = 128;
  // The first model is sure (250) at rows 13-15; the verifier is not (150),
  // and is sure (250) at row 5, where the first model is at 2 units.
  const Posteriors first = GridPosteriors(*kws, 31, {13, 14, 15}, 250);
  const Posteriors doubt = GridPosteriors(*kws, 31, {5, 13, 14, 15}, 150);
  size_t runs = 0, verified = 0;
  ASSERT_EQ(Detect(*kws, first, c, &runs).size(), 1u);  // alone: fires at 250
  EXPECT_TRUE(Detect(*kws, first, c, &runs, {doubt}, &verified).empty());  // mean 200 < 205
  EXPECT_EQ(runs, 7u + 4u + 4u);  // the first model's runs do not change
  EXPECT_EQ(verified, 3u);        // rows 13, 14 (look-back) and 15 (anchor) reach 128
  // Two verifiers sure at 250 lift a first model at 200: (200 + 2 * 250) / 3 = 233.
  const Posteriors unsure = GridPosteriors(*kws, 31, {13, 14, 15}, 200);
  const Posteriors sure = GridPosteriors(*kws, 31, {13, 14, 15}, 250);
  EXPECT_TRUE(Detect(*kws, unsure, c).empty());
  const auto d = Detect(*kws, unsure, c, &runs, {sure, sure}, &verified);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].units, 233);
  EXPECT_EQ(verified, 3u);
  // Above the first model's best the verifiers never run: the first model alone.
  c.verify = 251;
  ASSERT_EQ(Detect(*kws, first, c, &runs, {doubt}, &verified).size(), 1u);
  EXPECT_EQ(verified, 0u);
  // A verifier over another grid: nothing.
  c.verify = 128;
  const Posteriors shorter = GridPosteriors(*kws, 30, {13}, 250);
  EXPECT_TRUE(Detect(*kws, first, c, &runs, {shorter}, &verified).empty());
  EXPECT_EQ(runs, 0u);
}

TEST(WakewordStream, RejectsWrongRateAndBadHop) {
  std::string err;
  auto kws = KwsModel::Open(kModel, {}, {}, &err);
  ASSERT_NE(kws, nullptr) << err;
  Posteriors p;
  const std::vector<int16_t> audio(16000, 0);
  EXPECT_FALSE(RunPosteriors(kws.get(), audio, 8000, StreamOptions{}, &p, &err));
  EXPECT_NE(err.find("8000 Hz"), std::string::npos) << err;
  StreamOptions o;
  o.hop_ms = 0;
  EXPECT_FALSE(RunPosteriors(kws.get(), audio, 16000, o, &p, &err));
  EXPECT_NE(err.find("hop"), std::string::npos) << err;
  // Labels that do not match the output count.
  EXPECT_EQ(KwsModel::Open(kModel, {}, {"a", "b"}, &err), nullptr);
  EXPECT_NE(err.find("one score per label"), std::string::npos) << err;
  EXPECT_EQ(KwsModel::Open("/nonexistent/model.tflite", {}, {}, &err), nullptr);
  EXPECT_NE(err.find("/nonexistent/model.tflite"), std::string::npos) << err;
}

}  // namespace
}  // namespace mote::host::wakeword
