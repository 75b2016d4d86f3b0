// `mote demo wakeword` smoke configuration (6 clips per label, 1 epoch, a
// 1-minute talk stream, one mining round, a 30 s test stream): it writes the
// model, weights and report; the talk stream is spoken by TRAIN-split
// speakers only and the test stream by TEST-split speakers only; the report's
// operating point is reproduced exactly by `mote wakeword` with the same
// parameters (same model, stream, hop, K, threshold units). Skipped when
// espeak-ng or sox is missing. Full-run figures: examples/wakeword/README.md.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "host/data/synth_audio.h"
#include "tests/run_command.h"

namespace mote {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int RunCommand(const std::string& cmd, std::string* out) {
  return mote::testing::RunCommand(cmd, out, false);
}

std::set<std::string> SpeakersOf(data::Split s) {
  std::set<std::string> r;
  for (const auto& sp : data::AllSpeakers())
    if (sp.split == s) r.insert(sp.Id());
  return r;
}

TEST(WakewordDemoCli, SmokeRunKeepsSpeakersApartAndItsOperatingPointReproduces) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = fs::temp_directory_path() / ("mote_ww_demo_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " demo wakeword --out " + dir.string() +
                           " --per-class 6 --epochs 1 --shifts 1 --talk-minutes 1 --talk-keywords 6"
                           " --negatives 300 --mine-rounds 1 --mine-epochs 1 --mine-threshold 0.05"
                           " --stream-minutes 0.5 --stream-keywords 6 --max-frr 1 --seed 3 -q --json",
                       &out),
            0)
      << out;
  const json j = json::parse(out);
  for (const char* f : {"wakeword_int8.tflite", "wakeword_float.bin", "report.json", "model.json",
                        "talk.wav", "talk.csv", "stream.wav", "stream.csv"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  std::ifstream trained(dir / "model.json");
  std::ifstream documented(fs::path(__FILE__).parent_path().parent_path() / "examples/wakeword/model.json");
  ASSERT_TRUE(trained);
  if (documented) EXPECT_EQ(json::parse(trained), json::parse(documented));

  // Who speaks where.
  std::ifstream talk_json(dir / "talk.json"), test_json(dir / "stream.json");
  const json talk = json::parse(talk_json), test = json::parse(test_json);
  EXPECT_EQ(talk["split"], "train");
  EXPECT_EQ(test["split"], "test");
  const auto train_ids = SpeakersOf(data::Split::kTrain), test_ids = SpeakersOf(data::Split::kTest);
  ASSERT_FALSE(talk["speakers"].empty());
  for (const auto& s : talk["speakers"]) EXPECT_TRUE(train_ids.count(s.get<std::string>())) << s;
  for (const auto& s : test["speakers"]) EXPECT_TRUE(test_ids.count(s.get<std::string>())) << s;

  // 6 clips per label: 4 train (x2 with one shift), 1 val, 1 test; talk windows added.
  EXPECT_EQ(j["data"]["train_clips"], 48);
  EXPECT_EQ(j["data"]["test_clips"], 12);
  EXPECT_EQ(j["data"]["talk_negatives"], 300);
  EXPECT_GE(j["training"]["examples"].get<int>(), 96 + 300);
  ASSERT_EQ(j["training"]["rounds"].size(), 2u);
  EXPECT_EQ(j["data"]["test_keywords"], 6);
  EXPECT_GT(j["macs"].get<int>(), 100000);
  EXPECT_LT(j["macs"].get<int>(), 700000);
  const double acc = j["clip_accuracy"]["int8"].get<double>();
  EXPECT_GE(acc, 0.0);
  EXPECT_LE(acc, 1.0);

  // --max-frr 1: an operating point always exists; `mote wakeword` agrees with it.
  const json& op = j["operating_point"];
  ASSERT_TRUE(op.is_object()) << j.dump();
  EXPECT_EQ(op["hop_ms"], 500);
  std::string ww;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " wakeword " + (dir / "wakeword_int8.tflite").string() + " " +
                           (dir / "stream.wav").string() + " --truth " + (dir / "stream.csv").string() +
                           " --hop 500ms --window " + std::to_string(op["window"].get<int>()) +
                           " --threshold-units " + std::to_string(op["threshold_units"].get<int>()) +
                           " --refractory 1000ms --json",
                       &ww),
            0)
      << ww;
  const json w = json::parse(ww);
  EXPECT_EQ(w["score"]["false_accepts"], op["false_accepts"]) << ww;
  EXPECT_EQ(w["score"]["false_rejects"], op["false_rejects"]) << ww;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mote
