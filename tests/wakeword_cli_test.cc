// `mote wakeword --truth`: the keywords never detected are listed in stream
// order between the detections, and counted per speaker and per keyword (text
// and --json). The committed example model on a 15 s synth-stream recording,
// whose truth gets two keywords the detector cannot find: one in the first
// 0.3 s (before any window is full) and one after the end of the audio.
// Two recordings with a truth each are also pooled into one score, and the
// model runs as its own verifier.
// Skipped when espeak-ng or sox is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "host/data/synth_audio.h"
#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace mote {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RunOk(const std::string& cmd) {
  std::string out;
  EXPECT_EQ(mote::testing::RunCommand(cmd, &out, false), 0) << cmd << "\n" << out;
  return out;
}

TEST(WakewordCli, ListsMissedKeywordsInStreamOrderAndPerSpeaker) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = mote::testing::ProcessTempDir("mote_ww_cli");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string cli = MOTE_CLI;
  std::string out;
  ASSERT_EQ(mote::testing::RunCommand(cli + " data synth-stream -o " + (dir / "s.wav").string() +
                                          " --minutes 0.25 --keywords 4 --seed 7 -q",
                                      &out),
            0)
      << out;
  std::ifstream in(dir / "s.csv");
  std::stringstream truth;
  truth << in.rdbuf();
  std::ofstream(dir / "t.csv") << truth.str() << "zero,0.05,0.30,nobody\nnine,20.0,20.4,nobody\n";
  const fs::path root = fs::path(__FILE__).parent_path().parent_path();
  const std::string model = " " + (root / "examples/wakeword/wakeword_int8.tflite").string();
  const std::string point = " --point " + (root / "examples/wakeword/operating_point.json").string();
  const std::string wav = " " + (dir / "s.wav").string();
  const std::string truth1 = " --truth " + (dir / "t.csv").string();
  const std::string cmd = cli + " wakeword" + model + wav + truth1 + point;

  ASSERT_EQ(mote::testing::RunCommand(cmd + " --json", &out, false), 0) << out;
  const json s = json::parse(out)["score"];
  ASSERT_EQ(s["missed"].size(), s["false_rejects"].get<size_t>()) << s.dump();
  ASSERT_GE(s["missed"].size(), 2u);
  const json& first = s["missed"].front();
  const json& last = s["missed"].back();
  EXPECT_EQ(first["keyword"], "zero");
  EXPECT_EQ(first["speaker"], "nobody");
  EXPECT_EQ(first["truth"], 4);
  EXPECT_EQ(last["keyword"], "nine");
  EXPECT_EQ(last["truth"], 5);
  int missed = 0, keywords = 0;
  bool nobody = false;
  for (const json& g : s["by_speaker"]) {
    missed += g["missed"].get<int>();
    keywords += g["keywords"].get<int>();
    if (g["name"] == "nobody") nobody = g["keywords"] == 2 && g["missed"] == 2;
  }
  EXPECT_TRUE(nobody) << s["by_speaker"].dump();
  EXPECT_EQ(missed, s["false_rejects"].get<int>());
  EXPECT_EQ(keywords, 6);
  missed = 0;
  for (const json& g : s["by_keyword"]) missed += g["missed"].get<int>();
  EXPECT_EQ(missed, s["false_rejects"].get<int>());

  // Text: one MISSED line per miss, the first before every detection and the
  // last after them; the per-speaker line names the two misses.
  ASSERT_EQ(mote::testing::RunCommand(cmd, &out, false), 0) << out;
  std::vector<std::string> rows;  // detection and MISSED lines, in order
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" s  ") != std::string::npos &&
        (line.find("MISSED") != std::string::npos || line.find(" ok") != std::string::npos ||
         line.find("FALSE ACCEPT") != std::string::npos))
      rows.push_back(line);
  int missed_rows = 0;
  for (const auto& r : rows) missed_rows += r.find("MISSED") != std::string::npos ? 1 : 0;
  EXPECT_EQ(missed_rows, s["false_rejects"].get<int>()) << out;
  ASSERT_GE(rows.size(), 3u) << out;  // the example model finds at least one of the 4 keywords
  EXPECT_NE(rows.front().find("zero              MISSED  nobody"), std::string::npos) << out;
  EXPECT_NE(rows.back().find("nine              MISSED  nobody"), std::string::npos) << out;
  EXPECT_NE(out.find("false rejects by speaker:"), std::string::npos) << out;
  EXPECT_NE(out.find("nobody 2 of 2"), std::string::npos) << out;
  EXPECT_NE(out.find("false rejects by keyword:"), std::string::npos) << out;

  // Two recordings (here the same one twice) are scored one by one and
  // pooled: every count and the hours doubled, the speaker "nobody" one
  // cluster of 4 keywords.
  const std::string two = cli + " wakeword" + model + wav + wav + point;
  const std::string truth2 = truth1 + truth1;
  ASSERT_EQ(mote::testing::RunCommand(two + truth2 + " --json", &out, false), 0) << out;
  const json pooled = json::parse(out);
  ASSERT_EQ(pooled["recordings"].size(), 2u) << out;
  EXPECT_EQ(pooled["recordings"][1]["score"], pooled["recordings"][0]["score"]);
  EXPECT_EQ(pooled["recordings"][0]["score"]["false_rejects"], s["false_rejects"]);
  const json& p = pooled["score"];
  EXPECT_EQ(p["keywords"], 12);
  EXPECT_EQ(p["false_rejects"].get<int>(), 2 * s["false_rejects"].get<int>());
  EXPECT_EQ(p["false_accepts"].get<int>(), 2 * s["false_accepts"].get<int>());
  EXPECT_NEAR(p["non_keyword_hours"].get<double>(), 2 * s["non_keyword_hours"].get<double>(),
              1e-12);
  EXPECT_DOUBLE_EQ(p["frr"].get<double>(), s["frr"].get<double>());
  bool nobody4 = false;
  for (const json& g : p["by_speaker"])
    nobody4 |= g["name"] == "nobody" && g["keywords"] == 4 && g["missed"] == 4;
  EXPECT_TRUE(nobody4) << p.dump();
  ASSERT_EQ(mote::testing::RunCommand(two + truth2, &out, false), 0) << out;
  EXPECT_NE(out.find("all 2 recordings:"), std::string::npos) << out;
  // --truth takes one file each time, so it may stand before a recording.
  const std::string truth_first = cli + " wakeword" + truth1 + model + wav + point + " --json";
  ASSERT_EQ(mote::testing::RunCommand(truth_first, &out, false), 0) << out;
  EXPECT_EQ(json::parse(out)["score"], s);
  // One truth for two recordings is refused, naming the counts.
  EXPECT_NE(mote::testing::RunCommand(two + truth1, &out), 0);
  EXPECT_NE(out.find("--truth: 1 CSV file(s) for 2 recording(s)"), std::string::npos) << out;

  // Verifiers. The committed point names three; the same point without them
  // runs the model alone (no verified windows). The model as its own
  // verifier averages two equal scores, so the detections and first-model
  // runs stay those of the model alone; the windows it ran on are counted. A
  // point file names verifiers relative to itself.
  json pf = json::parse(std::ifstream(root / "examples/wakeword/operating_point.json"));
  EXPECT_EQ(pf["verifiers"].size(), 3u);
  EXPECT_EQ(s["false_rejects"], 2) << s.dump();  // the cascade finds the 4 real keywords
  pf.erase("verifiers");
  pf.erase("verify_units");
  std::ofstream(dir / "alone.json") << pf.dump();
  const std::string alone_cmd = cli + " wakeword" + model + wav + truth1 + " --json --point " +
                                (dir / "alone.json").string();
  const json alone = json::parse(RunOk(alone_cmd));
  const json twice = json::parse(RunOk(alone_cmd + " --verifier" + model));
  EXPECT_EQ(twice["detections"], alone["detections"]);
  EXPECT_EQ(twice["inferences"], alone["inferences"]);
  EXPECT_EQ(alone["verified"], 0);
  EXPECT_EQ(alone["verifiers"].size(), 0u);
  EXPECT_GT(twice["verified"].get<int>(), 0) << out;
  EXPECT_LT(twice["verified"].get<int>(), twice["inferences"].get<int>());
  EXPECT_EQ(twice["verify_units"], 128);
  pf["verifiers"] = {"v.tflite"};
  pf["verify_units"] = 200;
  std::ofstream(dir / "point.json") << pf.dump();
  fs::copy_file(root / "examples/wakeword/wakeword_int8.tflite", dir / "v.tflite");
  const json named = json::parse(RunOk(cli + " wakeword" + model + wav + truth1 + " --json --point " +
                                       (dir / "point.json").string()));
  EXPECT_EQ(named["verifiers"].size(), 1u);
  EXPECT_EQ(named["verify_units"], 200);
  EXPECT_EQ(named["detections"], alone["detections"]);
  EXPECT_LT(named["verified"].get<int>(), twice["verified"].get<int>());  // 200 units, not 128
  // A verifier that is not a model, and a verify level outside 1..255, are refused.
  EXPECT_NE(mote::testing::RunCommand(cmd + " --verifier " + (dir / "t.csv").string(), &out), 0);
  EXPECT_NE(out.find("--verifier"), std::string::npos) << out;
  EXPECT_NE(out.find("t.csv"), std::string::npos) << out;
  EXPECT_NE(mote::testing::RunCommand(cmd + " --verifier" + model + " --verify-units 0", &out), 0);
  EXPECT_NE(out.find("--verify-units"), std::string::npos) << out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mote
