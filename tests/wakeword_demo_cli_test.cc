// `mote demo wakeword` smoke configuration (6 clips per label, 1 epoch, a
// 1-minute talk stream, one mining round, 30 s val and test streams): it
// writes the model, weights and report; the talk stream is spoken by
// TRAIN-split speakers only, the val stream by VAL-split speakers only and the
// test stream by TEST-split speakers only; the operating point is the val
// stream's choice (also written alone to operating_point.json), and `mote
// wakeword --point` with that file reproduces the val figures on the val
// stream and the reported test figures on the test stream. Skipped when
// espeak-ng or sox is missing. Full-run figures: examples/wakeword/README.md.
#include <gtest/gtest.h>


#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "host/data/synth_audio.h"
#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace mote {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int RunCommand(const std::string& cmd, std::string* out) {
  return mote::testing::RunCommand(cmd, out, false);
}

std::set<std::string> SpeakersOf(data::Split s, bool more_voices = false) {
  std::set<std::string> r;
  for (const auto& sp : data::AllSpeakers(more_voices))
    if (sp.split == s) r.insert(sp.Id());
  return r;
}

TEST(WakewordDemoCli, SmokeRunKeepsSpeakersApartAndItsOperatingPointReproduces) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = mote::testing::ProcessTempDir("mote_ww_demo");
  fs::remove_all(dir);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " demo wakeword --out " + dir.string() +
                           " --per-class 6 --epochs 1 --shifts 1 --talk-minutes 1 --talk-keywords 6"
                           " --negatives 300 --mine-rounds 1 --mine-epochs 1 --mine-threshold 0.05"
                           " --mine-positives 2 --mine-positive-below 0.999"
                           " --stream-minutes 0.5 --stream-keywords 6 --val-minutes 0.5 --val-keywords 6"
                           " --spec-time-masks 1 --spec-time-width 4 --max-frr 1 --seed 3 -q --json",
                       &out),
            0)
      << out;
  const json j = json::parse(out);
  for (const char* f : {"wakeword_int8.tflite", "wakeword_float.bin", "report.json", "model.json",
                        "talk.wav", "talk.csv", "stream.wav", "stream.csv", "val_stream.wav", "val_stream.csv"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  std::ifstream trained(dir / "model.json");
  std::ifstream documented(fs::path(__FILE__).parent_path().parent_path() / "examples/wakeword/model.json");
  ASSERT_TRUE(trained);
  if (documented) EXPECT_EQ(json::parse(trained), json::parse(documented));

  // Who speaks where.
  std::ifstream talk_json(dir / "talk.json"), test_json(dir / "stream.json"), val_json(dir / "val_stream.json");
  const json talk = json::parse(talk_json), test = json::parse(test_json), val = json::parse(val_json);
  EXPECT_EQ(talk["split"], "train");
  EXPECT_EQ(test["split"], "test");
  EXPECT_EQ(val["split"], "val");
  EXPECT_EQ(val["seed"], 3 + 2000);
  const auto train_ids = SpeakersOf(data::Split::kTrain), test_ids = SpeakersOf(data::Split::kTest);
  const auto val_ids = SpeakersOf(data::Split::kVal);
  ASSERT_FALSE(talk["speakers"].empty());
  ASSERT_FALSE(val["speakers"].empty());
  for (const auto& s : talk["speakers"]) EXPECT_TRUE(train_ids.count(s.get<std::string>())) << s;
  for (const auto& s : test["speakers"]) EXPECT_TRUE(test_ids.count(s.get<std::string>())) << s;
  for (const auto& s : val["speakers"]) EXPECT_TRUE(val_ids.count(s.get<std::string>())) << s;
  // The keywords are spoken by the listed speakers (the CSV's last column).
  std::ifstream val_csv(dir / "val_stream.csv");
  std::string line;
  std::getline(val_csv, line);
  int val_rows = 0;
  while (std::getline(val_csv, line)) {
    EXPECT_TRUE(val_ids.count(line.substr(line.rfind(',') + 1))) << line;
    ++val_rows;
  }
  EXPECT_EQ(val_rows, 6);
  EXPECT_EQ(j["training"]["spec_augment"]["time_width"], 4);

  // 6 clips per label: 4 train (x2 with one shift), 1 val, 1 test; talk windows added.
  EXPECT_EQ(j["data"]["train_clips"], 48);
  EXPECT_EQ(j["data"]["test_clips"], 12);
  EXPECT_EQ(j["data"]["talk_negatives"], 300);
  EXPECT_GE(j["training"]["examples"].get<int>(), 96 + 300);
  ASSERT_EQ(j["training"]["rounds"].size(), 2u);
  // Every example is accounted for: clips, talk negatives and keyword windows,
  // then the round's hard negatives and hard positives (at most 2 per talk
  // keyword; after one epoch some window of a keyword is below 0.999).
  const json& round = j["training"]["rounds"][1];
  const int positives = round["positives_added"].get<int>();
  EXPECT_GT(positives, 0) << round.dump();
  EXPECT_LE(positives, 2 * j["data"]["talk_keywords"].get<int>());
  EXPECT_EQ(j["training"]["examples"].get<int>(),
            96 + 300 + j["data"]["talk_keyword_windows"].get<int>() + round["added"].get<int>() + positives)
      << j["training"].dump();
  EXPECT_EQ(j["training"]["mine_positives"], 2);
  EXPECT_EQ(j["data"]["test_keywords"], 6);
  EXPECT_GT(j["macs"].get<int>(), 100000);
  EXPECT_LT(j["macs"].get<int>(), 700000);
  const double acc = j["clip_accuracy"]["int8"].get<double>();
  EXPECT_GE(acc, 0.0);
  EXPECT_LE(acc, 1.0);

  // --max-frr 1: an operating point always exists; chosen on val, reported on
  // test; `mote wakeword` agrees with both.
  const json& vop = j["val_operating_point"];
  const json& op = j["operating_point"];
  ASSERT_TRUE(vop.is_object()) << j.dump();
  ASSERT_TRUE(op.is_object()) << j.dump();
  ASSERT_TRUE(j["test_best_point"].is_object()) << j.dump();
  EXPECT_EQ(op["hop_ms"], 500);
  EXPECT_EQ(vop["hop_ms"], 500);
  // The demo's default family: 500 ms with look-back 5 (a 100 ms grid near keyword-like sounds).
  EXPECT_EQ(j["operating_family"], "500ms_lb5");
  EXPECT_EQ(vop["look_back"], 5);
  EXPECT_EQ(op["gate_units"], vop["gate_units"]);
  EXPECT_GE(op["inferences_per_s"].get<double>(), 2.0 * (1.0 - 1.0 / 30.0));
  EXPECT_EQ(op["window"], vop["window"]);
  EXPECT_EQ(op["threshold_units"], vop["threshold_units"]);
  EXPECT_EQ(j["data"]["val_keywords"], 6);
  // The test stream's own best is never worse than the val-chosen point on it.
  EXPECT_LE(j["test_best_point"]["false_accepts"].get<int>(), op["false_accepts"].get<int>());
  // operating_point.json holds the val choice; `mote wakeword --point` runs it.
  std::ifstream point_file(dir / "operating_point.json");
  ASSERT_TRUE(point_file);
  const json point = json::parse(point_file);
  for (const char* k : {"hop_ms", "look_back", "gate_units", "window", "threshold_units"})
    EXPECT_EQ(point[k], vop[k]) << k;
  EXPECT_EQ(point["refractory_ms"], 1000);
  EXPECT_EQ(point["chosen_on"]["stream"], "val_stream.wav");
  auto run_ww = [&](const std::string& stream) {
    std::string ww;
    EXPECT_EQ(RunCommand(std::string(MOTE_CLI) + " wakeword " + (dir / "wakeword_int8.tflite").string() + " " +
                             (dir / (stream + ".wav")).string() + " --truth " + (dir / (stream + ".csv")).string() +
                             " --point " + (dir / "operating_point.json").string() + " --json",
                         &ww),
              0)
        << ww;
    return json::parse(ww);
  };
  const json w = run_ww("stream");
  EXPECT_EQ(w["score"]["false_accepts"], op["false_accepts"]) << w.dump();
  EXPECT_EQ(w["score"]["false_rejects"], op["false_rejects"]) << w.dump();
  // The demo's per-speaker and per-keyword misses are those of `mote wakeword`.
  EXPECT_EQ(w["score"]["by_speaker"], op["by_speaker"]) << op.dump();
  EXPECT_EQ(w["score"]["by_keyword"], op["by_keyword"]) << op.dump();
  int speaker_keywords = 0;
  for (const json& g : op["by_speaker"]) speaker_keywords += g["keywords"].get<int>();
  EXPECT_EQ(speaker_keywords, 6);
  EXPECT_DOUBLE_EQ(w["inferences_per_s"].get<double>(), op["inferences_per_s"].get<double>());
  EXPECT_EQ(w["window"], vop["window"]);
  EXPECT_EQ(w["threshold_units"], vop["threshold_units"]);
  const json v = run_ww("val_stream");
  EXPECT_EQ(v["score"]["false_accepts"], vop["false_accepts"]) << v.dump();
  EXPECT_EQ(v["score"]["false_rejects"], vop["false_rejects"]) << v.dump();
  // A flag given next to --point wins; a point file without a field is refused by name.
  std::string ww;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " wakeword " + (dir / "wakeword_int8.tflite").string() + " " +
                           (dir / "stream.wav").string() + " --point " + (dir / "operating_point.json").string() +
                           " --window 16 --json",
                       &ww),
            0)
      << ww;
  EXPECT_EQ(json::parse(ww)["window"], 16);
  EXPECT_EQ(json::parse(ww)["threshold_units"], vop["threshold_units"]);
  json broken = point;
  broken.erase("gate_units");
  std::ofstream(dir / "broken_point.json") << broken.dump();
  ww.clear();
  EXPECT_EQ(mote::testing::RunCommand(std::string(MOTE_CLI) + " wakeword " + (dir / "wakeword_int8.tflite").string() +
                                          " " + (dir / "stream.wav").string() + " --point " +
                                          (dir / "broken_point.json").string(),
                                      &ww, true),
            1);
  EXPECT_NE(ww.find("broken_point.json: needs 'gate_units'"), std::string::npos) << ww;

  // --evaluate: the same choice and figures for the saved model, no training.
  std::string ev_out;
  const std::string eval_cmd = std::string(MOTE_CLI) + " demo wakeword --evaluate " +
                               (dir / "wakeword_int8.tflite").string() + " --out " + (dir / "eval").string() +
                               " --stream " + (dir / "stream.wav").string() + " --max-frr 1 --seed 3 -q";
  ASSERT_EQ(RunCommand(eval_cmd + " --val-stream " + (dir / "val_stream.wav").string() + " --json", &ev_out), 0)
      << ev_out;
  const json ev = json::parse(ev_out);
  EXPECT_EQ(ev["val_operating_point"], vop);
  EXPECT_EQ(ev["operating_point"], op);
  EXPECT_EQ(ev["test_best_point"], j["test_best_point"]);
  EXPECT_TRUE(fs::exists(dir / "eval" / "eval_report.json"));
  std::ifstream eval_point(dir / "eval" / "operating_point.json");
  ASSERT_TRUE(eval_point);
  EXPECT_EQ(json::parse(eval_point), point);
  // Choosing on the test stream itself is refused.
  ev_out.clear();
  EXPECT_EQ(mote::testing::RunCommand(eval_cmd + " --val-stream " + (dir / "stream.wav").string(), &ev_out, true), 1);
  EXPECT_NE(ev_out.find("the same file as the test stream"), std::string::npos) << ev_out;

  // Distillation from the float model just trained into a narrower student
  // (--filters 8 against the teacher's 32): soft targets, so the student's
  // loss is categorical cross-entropy; the report names the teacher.
  const std::string distil = std::string(MOTE_CLI) + " demo wakeword --out " + (dir / "distil").string() +
                             " --data " + (dir / "data").string() + " --stream " + (dir / "stream.wav").string() +
                             " --val-stream " + (dir / "val_stream.wav").string() +
                             " --epochs 1 --shifts 1 --talk-minutes 1 --talk-keywords 6 --negatives 300"
                             " --mine-rounds 1 --mine-epochs 1 --mine-threshold 0.05 --max-frr 1 --seed 3 --filters 8 -q";
  const std::string teacher = (dir / "wakeword_float.bin").string();
  std::string d_out;
  ASSERT_EQ(RunCommand(distil + " --teacher " + teacher + " --distill-weight 0.7 --json", &d_out), 0) << d_out;
  const json dj = json::parse(d_out);
  EXPECT_EQ(dj["training"]["teachers"], json::array({teacher}));
  EXPECT_DOUBLE_EQ(dj["training"]["distill_weight"].get<double>(), 0.7);
  std::ifstream student(dir / "distil" / "model.json");
  ASSERT_TRUE(student);
  const json sj = json::parse(student);
  EXPECT_EQ(sj["loss"], "categorical_crossentropy");
  int narrowed = 0;
  for (const auto& layer : sj["layers"])
    if (layer["type"] == "Conv2D") narrowed += layer["filters"] == 8 ? 1 : -100;
  EXPECT_EQ(narrowed, 4);
  // A teacher that is not a model is refused by name.
  d_out.clear();
  EXPECT_EQ(mote::testing::RunCommand(distil + " --teacher " + (dir / "report.json").string(), &d_out, true), 1);
  EXPECT_NE(d_out.find("--teacher " + (dir / "report.json").string() + ": "), std::string::npos) << d_out;
  fs::remove_all(dir);
}

// --more-voices: the generated clips and the training talk come from the 617
// train voices (some beyond the default 153); the test and val streams keep
// their speakers.
TEST(WakewordDemoCli, MoreVoicesReachTheTrainingTalk) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = mote::testing::ProcessTempDir("mote_ww_demo_voices");
  fs::remove_all(dir);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " demo wakeword --out " + dir.string() +
                           " --per-class 3 --epochs 1 --shifts 1 --talk-minutes 1 --talk-keywords 6"
                           " --negatives 100 --mine-rounds 0 --stream-minutes 0.5 --stream-keywords 6"
                           " --val-minutes 0.5 --val-keywords 6 --max-frr 1 --seed 4 --more-voices -q --json",
                       &out),
            0)
      << out;
  EXPECT_TRUE(json::parse(out)["data"]["more_voices"].get<bool>());
  std::ifstream talk_json(dir / "talk.json"), test_json(dir / "stream.json"), summary(dir / "data" / "summary.json");
  const json talk = json::parse(talk_json), test = json::parse(test_json);
  EXPECT_TRUE(talk["more_voices"].get<bool>());
  EXPECT_TRUE(json::parse(summary)["more_voices"].get<bool>());
  const auto train_more = SpeakersOf(data::Split::kTrain, true), train = SpeakersOf(data::Split::kTrain);
  const auto test_ids = SpeakersOf(data::Split::kTest);
  int beyond_default = 0;
  for (const auto& s : talk["speakers"]) {
    EXPECT_TRUE(train_more.count(s.get<std::string>())) << s;
    beyond_default += train.count(s.get<std::string>()) == 0;
  }
  EXPECT_GT(beyond_default, 0);
  for (const auto& s : test["speakers"]) EXPECT_TRUE(test_ids.count(s.get<std::string>())) << s;
}

}  // namespace
}  // namespace mote
