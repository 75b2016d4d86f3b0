// `mote demo kws` smoke configuration (10 clips per label, 2 epochs): it
// writes the model, weights and report; the report's confusion matrices agree
// with its accuracies and clip counts; and `mote classify`, reading the test
// WAVs with only the model's manifest, reproduces the demo's int8 accuracy
// exactly (same front end, same normalisation, same runtime). Skipped when
// espeak-ng or sox is missing. The full run's figures are in
// examples/kws/README.md.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "host/data/synth_audio.h"
#include "host/data/synth_kws.h"
#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace mote {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// stdout only: the demo's progress goes to stderr.
int RunCommand(const std::string& cmd, std::string* out) {
  return mote::testing::RunCommand(cmd, out, false);
}

TEST(KwsDemoCli, SmokeRunIsConsistentAndClassifyReproducesIt) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = mote::testing::ProcessTempDir("mote_kws_demo");
  fs::remove_all(dir);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " demo kws --out " + dir.string() +
                           " --per-class 10 --epochs 2 --seed 5 -q --json",
                       &out),
            0)
      << out;
  const json j = json::parse(out);
  for (const char* f : {"kws_int8.tflite", "kws_float.bin", "report.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  // The model the demo trains (compiled into cli/demo_kws.cc) is the one
  // examples/kws/model.json documents.
  std::ifstream trained(dir / "model.json");
  std::ifstream documented(fs::path(__FILE__).parent_path().parent_path() / "examples/kws/model.json");
  ASSERT_TRUE(trained);
  if (documented) EXPECT_EQ(json::parse(trained), json::parse(documented));
  // 10 clips per label: 8 train, 1 val, 1 test (docs/kws_data.md).
  EXPECT_EQ(j["data"]["train"], 96);
  EXPECT_EQ(j["data"]["val"], 12);
  EXPECT_EQ(j["data"]["test"], 12);
  EXPECT_EQ(j["training"]["epochs_run"], 2);
  for (const char* kind : {"float", "int8"}) {
    const auto& m = j[kind]["confusion"];
    ASSERT_EQ(m.size(), 12u);
    int diag = 0, total = 0;
    for (int r = 0; r < 12; ++r) {
      int row = 0;
      for (int c = 0; c < 12; ++c) row += m[r][c].get<int>();
      EXPECT_EQ(row, 1) << kind << " row " << r;  // one test clip per label
      diag += m[r][r].get<int>();
      total += row;
    }
    EXPECT_DOUBLE_EQ(j[std::string(kind) + "_accuracy"].get<double>(), static_cast<double>(diag) / total);
  }
  EXPECT_GT(j["tflite_bytes"].get<int>(), 10000);
  EXPECT_GT(j["arena_bytes"].get<int>(), 0);

  // classify every test clip listed in the dataset's index.
  std::ifstream index(dir / "data" / "index.csv");
  ASSERT_TRUE(index);
  std::string line, files;
  std::vector<std::string> truth;
  std::getline(index, line);
  while (std::getline(index, line)) {
    std::stringstream ss(line);
    std::string path, label, split;
    std::getline(ss, path, ',');
    std::getline(ss, label, ',');
    std::getline(ss, split, ',');
    if (split != "test") continue;
    files += " " + (dir / "data" / path).string();
    truth.push_back(label);
  }
  ASSERT_EQ(truth.size(), 12u);
  std::string cls;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " classify " + (dir / "kws_int8.tflite").string() + files +
                           " --json",
                       &cls),
            0)
      << cls;
  const json c = json::parse(cls);
  ASSERT_EQ(c.size(), truth.size());
  int correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) correct += c[i]["label"] == truth[i];
  EXPECT_DOUBLE_EQ(static_cast<double>(correct) / truth.size(), j["int8_accuracy"].get<double>()) << cls;
  fs::remove_all(dir);
}

// --more-voices reaches the generated data: its summary and the report say so,
// and a rerun without the flag does not reuse those clips. With --data it is
// refused (the data is already made).
TEST(KwsDemoCli, MoreVoicesMakeTheDataWithTheLongerSpeakerList) {
  std::string tools_err;
  if (!data::CheckTools(&tools_err)) GTEST_SKIP() << tools_err;
  const fs::path dir = mote::testing::ProcessTempDir("mote_kws_demo_voices");
  fs::remove_all(dir);
  const std::string demo = std::string(MOTE_CLI) + " demo kws --out " + dir.string() +
                           " --per-class 3 --epochs 1 --seed 2 -q --json";
  std::string out;
  ASSERT_EQ(RunCommand(demo + " --more-voices", &out), 0) << out;
  EXPECT_TRUE(json::parse(out)["data"]["more_voices"].get<bool>());
  std::ifstream f(dir / "data" / "summary.json");
  ASSERT_TRUE(f);
  EXPECT_TRUE(json::parse(f)["more_voices"].get<bool>());
  out.clear();
  ASSERT_EQ(RunCommand(demo, &out), 0) << out;
  const json j = json::parse(out);
  EXPECT_TRUE(j["data"]["generated"].get<bool>()) << "made again with the default voices";
  EXPECT_FALSE(j["data"]["more_voices"].get<bool>());
  out.clear();
  EXPECT_EQ(mote::testing::RunCommand(std::string(MOTE_CLI) + " demo kws --data " + (dir / "data").string() +
                                          " --more-voices",
                                      &out, true),
            1);
  EXPECT_NE(out.find("--more-voices chooses the voices of generated data"), std::string::npos) << out;
}

// An option of another example is refused by name before any work, not ignored.
TEST(KwsDemoCli, RefusesAnotherExamplesOptions) {
  const std::string mote = MOTE_CLI;
  const std::string dir = ::testing::TempDir() + "/other_example_options";
  struct Case {
    std::string args, message;
  } cases[] = {
      {"kws --ema 0.99", "--ema is used by wakeword only; `mote demo kws` does not use it"},
      {"kws --mine-positives 3", "--mine-positives is used by wakeword only"},
      {"kws --lr 0.1", "--lr is used by anomaly only; `mote demo kws` does not use it"},
      {"wakeword --seeds 2", "--seeds is used by anomaly only; `mote demo wakeword`"},
      {"anomaly --per-class 5", "--per-class is used by kws, wakeword only; `mote demo anomaly`"},
      {"anomaly --data x", "--data is used by kws, wakeword only"},
  };
  for (const Case& c : cases) {
    std::string out;
    EXPECT_EQ(mote::testing::RunCommand(mote + " demo " + c.args + " --out " + dir, &out, true), 1) << c.args;
    EXPECT_NE(out.find(c.message), std::string::npos) << c.args << ": " << out;
    EXPECT_FALSE(std::filesystem::exists(dir)) << c.args << ": nothing is made";
  }
}

}  // namespace
}  // namespace mote
