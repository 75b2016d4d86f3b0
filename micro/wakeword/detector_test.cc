#include "micro/wakeword/detector.h"

#include <gtest/gtest.h>

#include <vector>

namespace mote::micro::wakeword {
namespace {

// 4 classes: 0 _silence_, 1 _unknown_, 2 "yes", 3 "no".
DetectorConfig FourClasses(int window, uint32_t refractory_ms, uint16_t threshold) {
  DetectorConfig c;
  c.num_classes = 4;
  c.window = static_cast<uint16_t>(window);
  c.hop_ms = 250;
  c.refractory_ms = refractory_ms;
  c.ignore_mask = 0x3;
  for (int k = 0; k < 4; ++k) c.threshold[k] = threshold;
  return c;
}

struct Step {
  uint8_t s[4];
};

// Runs the steps at 250 ms each and returns the detections.
std::vector<Detection> RunSteps(Detector* d, const std::vector<Step>& steps) {
  std::vector<Detection> out;
  uint32_t t = 0;
  for (const Step& st : steps) {
    t += 250;
    Detection det;
    if (d->Push(st.s, t, &det)) out.push_back(det);
  }
  return out;
}

TEST(WakewordDetector, RejectsBadConfig) {
  Detector d;
  ErrorText err;
  DetectorConfig c = FourClasses(3, 1000, 128);
  c.window = 0;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("window"), std::string::npos);
  c = FourClasses(17, 1000, 128);
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  c = FourClasses(3, 1000, 128);
  c.num_classes = 33;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("num_classes"), std::string::npos);
  c = FourClasses(3, 1000, 128);
  c.hop_ms = 0;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  c = FourClasses(3, 1000, 128);
  c.ignore_mask = 0xF;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("ignore"), std::string::npos);
  c = FourClasses(3, 1000, 128);
  EXPECT_EQ(d.Init(c, &err), Status::kOk);
}

TEST(WakewordDetector, MovingAverageNeedsTheWholeWindow) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(3, 0, 200), nullptr), Status::kOk);
  // One confident frame is not enough with a window of 3: (250+100+100)/3 = 150.
  auto dets = RunSteps(&d, {{{0, 0, 100, 0}}, {{0, 0, 250, 0}}, {{0, 0, 100, 0}},
                            {{0, 0, 100, 0}}});
  EXPECT_TRUE(dets.empty());
  EXPECT_EQ(d.sum(2), 450u);  // last three: 250 + 100 + 100
  d.Reset();
  // Three at 200: average 200 >= 200 fires at the third inference, score 200.
  dets = RunSteps(&d, {{{0, 0, 200, 0}}, {{0, 0, 200, 0}}, {{0, 0, 200, 0}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].label, 2);
  EXPECT_EQ(dets[0].time_ms, 750u);
  EXPECT_EQ(dets[0].score, 200);
  // 199 average does not.
  d.Reset();
  dets = RunSteps(&d, {{{0, 0, 200, 0}}, {{0, 0, 200, 0}}, {{0, 0, 197, 0}}});
  EXPECT_TRUE(dets.empty());
}

TEST(WakewordDetector, NoFireBeforeWindowIsFull) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(4, 0, 50), nullptr), Status::kOk);
  // Sum reaches 4 * 50 after two inferences, but the window has four slots.
  auto dets = RunSteps(&d, {{{0, 0, 255, 0}}, {{0, 0, 255, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].time_ms, 1000u);  // the fourth inference
  EXPECT_EQ(dets[0].score, 127);      // 510 / 4
}

TEST(WakewordDetector, IgnoredClassesNeverFire) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(1, 0, 100), nullptr), Status::kOk);
  auto dets = RunSteps(&d, {{{255, 0, 0, 0}}, {{0, 255, 0, 0}}, {{200, 200, 0, 0}}});
  EXPECT_TRUE(dets.empty());
  // A keyword above threshold fires even when an ignored class scores higher.
  dets = RunSteps(&d, {{{0, 0, 0, 0}}, {{140, 0, 0, 110}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].label, 3);
}

TEST(WakewordDetector, OncePerUtterance) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(1, 500, 128), nullptr), Status::kOk);
  // "yes" stays above threshold for 2 s (far beyond the refractory period):
  // one detection; after it falls below and rises again, a second one.
  std::vector<Step> steps(8, Step{{0, 0, 230, 0}});
  steps.push_back(Step{{0, 0, 10, 0}});
  steps.push_back(Step{{0, 0, 230, 0}});
  auto dets = RunSteps(&d, steps);
  ASSERT_EQ(dets.size(), 2u);
  EXPECT_EQ(dets[0].time_ms, 250u);
  EXPECT_EQ(dets[1].time_ms, 2500u);
}

TEST(WakewordDetector, RefractoryBlocksOtherKeywords) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(1, 1000, 128), nullptr), Status::kOk);
  // "yes" fires at 250 ms; "no" rises at 500 ms (inside 1000 ms): blocked and,
  // being part of the same utterance, it does not fire when the period ends.
  auto dets = RunSteps(&d, {{{0, 0, 200, 0}}, {{0, 0, 0, 200}}, {{0, 0, 0, 200}},
                       {{0, 0, 0, 200}}, {{0, 0, 0, 200}}, {{0, 0, 0, 200}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].label, 2);
  // A new "no" after the refractory period (1250 ms >= 250 + 1000) fires.
  d.Reset();
  dets = RunSteps(&d, {{{0, 0, 200, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}}, {{0, 0, 0, 0}},
                  {{0, 0, 0, 200}}});
  ASSERT_EQ(dets.size(), 2u);
  EXPECT_EQ(dets[1].label, 3);
  EXPECT_EQ(dets[1].time_ms, 1250u);
}

TEST(WakewordDetector, PerClassThresholdAndBestClassWins) {
  Detector d;
  DetectorConfig c = FourClasses(2, 0, 100);
  c.threshold[3] = 250;  // "no" needs more
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  auto dets = RunSteps(&d, {{{0, 0, 0, 240}}, {{0, 0, 0, 240}}});
  EXPECT_TRUE(dets.empty());
  d.Reset();
  // Sums 250 ("yes") and 255 ("no"): "no" is below its own 2 * 250, so
  // "yes" fires although its sum is smaller.
  dets = RunSteps(&d, {{{0, 0, 120, 130}}, {{0, 0, 130, 125}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].label, 2);
  c.threshold[3] = 100;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  dets = RunSteps(&d, {{{0, 0, 120, 130}}, {{0, 0, 130, 125}}});
  ASSERT_EQ(dets.size(), 1u);
  EXPECT_EQ(dets[0].label, 3);  // the larger sum
}

TEST(WakewordDetector, LookBackConfigIsChecked) {
  Detector d;
  ErrorText err;
  DetectorConfig c = FourClasses(2, 1000, 128);
  c.hop_ms = 500;
  c.sub_hops = 0;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("sub_hops"), std::string::npos);
  c.sub_hops = kMaxSubHops + 1;
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  c.sub_hops = 3;  // 500 ms is not a multiple of 3
  EXPECT_EQ(d.Init(c, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("hop_ms"), std::string::npos);
  c.sub_hops = 5;
  EXPECT_EQ(d.Init(c, &err), Status::kOk);
}

TEST(WakewordDetector, AnchorOpensTheGateForThisAndTheNextHop) {
  Detector d;
  DetectorConfig c = FourClasses(2, 1000, 200);
  c.hop_ms = 500;
  c.sub_hops = 5;
  c.gate = 100;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  const int8_t quiet[4] = {120, 120, -120, -120};  // _silence_ / _unknown_ high: ignored
  const int8_t yes[4] = {-128, -128, -28, -128};   // "yes" at 100 units: opens
  const int8_t almost[4] = {-128, -128, -29, -128};
  EXPECT_EQ(d.Anchor(quiet, -128), 0);
  EXPECT_EQ(d.Anchor(almost, -128), 0);
  EXPECT_EQ(d.Anchor(yes, -128), 4);
  EXPECT_EQ(d.Anchor(quiet, -128), 4);  // the previous anchor was open
  EXPECT_EQ(d.Anchor(quiet, -128), 0);
  // Without look-back nothing runs between hops.
  c.sub_hops = 1;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  EXPECT_EQ(d.Anchor(yes, -128), 0);
}

TEST(WakewordDetector, SkippedStepsCountAsZeros) {
  Detector d;
  DetectorConfig c = FourClasses(2, 0, 150);
  c.hop_ms = 500;
  c.sub_hops = 5;
  c.gate = 255;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  const int8_t yes[4] = {-128, -128, 72, -128};  // 200 units
  Detection det;
  // Grid 100 ms: anchor at 1000 ms (200 units), steps 1100..1400 skipped, anchor 1500.
  EXPECT_EQ(d.Anchor(yes, -128), 0);  // below the gate
  EXPECT_FALSE(d.PushAnchor(1000, &det));  // one step seen, window 2
  EXPECT_EQ(d.sum(2), 200u);
  EXPECT_FALSE(d.Skip(1100, &det));  // (200 + 0) / 2 = 100 < 150
  EXPECT_EQ(d.sum(2), 200u);
  EXPECT_FALSE(d.Skip(1200, &det));
  EXPECT_EQ(d.sum(2), 0u);
  EXPECT_EQ(d.inferences(), 3u);
  EXPECT_EQ(d.Anchor(yes, -128), 0);
  EXPECT_FALSE(d.PushAnchor(1300, &det));  // (0 + 200) / 2
  EXPECT_EQ(d.Anchor(yes, -128), 0);
  ASSERT_TRUE(d.PushAnchor(1400, &det));   // two anchors in a row: 200
  EXPECT_EQ(det.label, 2);
  EXPECT_EQ(det.score, 200);
  EXPECT_EQ(det.time_ms, 1400u);
}

TEST(WakewordDetector, PushS8ShiftsByZeroPoint) {
  Detector d;
  ASSERT_EQ(d.Init(FourClasses(1, 0, 192), nullptr), Status::kOk);
  const int8_t below[4] = {-128, -128, 63, -128};  // 63 + 128 = 191
  const int8_t at[4] = {-128, -128, 64, -128};     // 192
  Detection det;
  EXPECT_FALSE(d.PushS8(below, -128, 250, &det));
  ASSERT_TRUE(d.PushS8(at, -128, 500, &det));
  EXPECT_EQ(det.label, 2);
  EXPECT_EQ(det.score, 192);
  // Zero point 0: negative values clamp to 0, 127 stays below 192.
  d.Reset();
  const int8_t hi[4] = {0, 0, 127, -5};
  EXPECT_FALSE(d.PushS8(hi, 0, 250, &det));
  EXPECT_EQ(d.sum(3), 0u);
}

TEST(WakewordDetector, ScoreMeanRoundsHalfUp) {
  ScoreMean m;
  const uint8_t a[4] = {0, 255, 10, 1};
  const int8_t b[4] = {-128, 127, -117, -128};  // zero point -128: 0, 255, 11, 0
  m.Add(a, 4);
  m.AddS8(b, -128, 4);
  EXPECT_EQ(m.models(), 2);
  uint8_t out[4];
  m.Mean(4, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 255);
  EXPECT_EQ(out[2], 11);  // 10.5 -> 11
  EXPECT_EQ(out[3], 1);   // 0.5 -> 1
  const uint8_t c[4] = {3, 0, 0, 0};
  m.Add(c, 4);  // three models: (0 + 0 + 3 + 1) / 3 = 1, (255 + 255 + 0 + 1) / 3 = 170
  m.Mean(4, out);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 170);
  EXPECT_EQ(out[2], 7);   // 21 / 3
  EXPECT_EQ(out[3], 0);   // 1 / 3
}

TEST(WakewordDetector, VerifiedAnchorGatesOnTheFirstModel) {
  Detector d;
  DetectorConfig c = FourClasses(1, 0, 150);
  c.hop_ms = 500;
  c.sub_hops = 5;
  c.gate = 100;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  EXPECT_FALSE(d.Verifies(255));  // verify 0: no verifiers
  c.verify = 128;
  ASSERT_EQ(d.Init(c, nullptr), Status::kOk);
  const uint8_t first[4] = {250, 0, 130, 20};  // _silence_ ignored: best keyword 130
  EXPECT_EQ(d.BestKeyword(first), 130);
  EXPECT_TRUE(d.Verifies(d.BestKeyword(first)));
  EXPECT_FALSE(d.Verifies(127));
  // The mean (verifiers disagree) is what the detector averages; the gate
  // still opens on the first model's 130.
  const uint8_t mean[4] = {250, 0, 90, 20};
  EXPECT_EQ(d.Anchor(mean, 130), 4);
  Detection det;
  EXPECT_FALSE(d.PushAnchor(500, &det));
  EXPECT_EQ(d.sum(2), 90u);
  // A mean above the threshold fires although the first model's best did not open the gate.
  const uint8_t high[4] = {0, 0, 0, 200};
  EXPECT_EQ(d.Anchor(high, 99), 4);  // the previous anchor (130) keeps it open
  EXPECT_EQ(d.Anchor(high, 99), 0);
  ASSERT_TRUE(d.PushAnchor(1000, &det));
  EXPECT_EQ(det.label, 3);
  EXPECT_EQ(det.score, 200);
}

}  // namespace
}  // namespace mote::micro::wakeword
