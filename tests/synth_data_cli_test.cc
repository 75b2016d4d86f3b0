// mote data synth-kws / synth-stream from the command line: the voice list is
// valid JSON with disjoint splits, a tiny run reports its clips, bad options
// and missing tools give one-line errors naming the problem.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/run_command.h"

namespace {

using mote::testing::RunCommand;

bool HaveTools() {
  std::string out;
  return RunCommand("command -v espeak-ng && command -v sox", &out) == 0;
}

const std::string kMote = MOTE_CLI;

nlohmann::json ListVoices(const std::string& flags) {
  std::string out;
  EXPECT_EQ(RunCommand(kMote + " data synth-kws --list-voices --json" + flags + " 2>/dev/null", &out), 0) << out;
  return nlohmann::json::parse(out, nullptr, false);
}

TEST(SynthDataCli, ListVoicesJsonHasDisjointSplits) {
  const auto j = ListVoices("");
  std::set<std::string> seen;
  size_t total = 0;
  for (const char* split : {"train", "val", "test"}) {
    ASSERT_TRUE(j.contains(split)) << split;
    for (const auto& id : j[split]) {
      EXPECT_TRUE(seen.insert(id.get<std::string>()).second) << id << " is in two splits";
      ++total;
    }
  }
  EXPECT_EQ(total, 192u);
  EXPECT_GT(j["test"].size(), 0u);
}

// --more-voices adds train speakers only: val and test stay as they were, and
// every default train speaker is still a train speaker.
TEST(SynthDataCli, MoreVoicesAddTrainSpeakersOnly) {
  const auto base = ListVoices(""), more = ListVoices(" --more-voices");
  ASSERT_TRUE(more.contains("train"));
  EXPECT_EQ(more["val"], base["val"]);
  EXPECT_EQ(more["test"], base["test"]);
  EXPECT_EQ(more["train"].size(), 617u);
  std::set<std::string> train;
  for (const auto& id : more["train"]) EXPECT_TRUE(train.insert(id.get<std::string>()).second) << id;
  for (const auto& id : base["train"]) EXPECT_EQ(train.count(id.get<std::string>()), 1u) << id;
  EXPECT_EQ(train.count("en-us+Alicia"), 1u);
}

TEST(SynthDataCli, TinyRunReportsClips) {
  if (!HaveTools()) GTEST_SKIP() << "espeak-ng or sox not installed";
  const auto dir = std::filesystem::path(::testing::TempDir()) / "synth_cli_kws";
  std::filesystem::remove_all(dir);
  std::string out;
  ASSERT_EQ(RunCommand(kMote + " data synth-kws -o " + dir.string() + " --per-class 1 --json -q 2>/dev/null", &out), 0)
      << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["clips"].get<int>(), 12);
  EXPECT_TRUE(std::filesystem::exists(dir / "index.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "summary.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "train" / "seven"));
}

TEST(SynthDataCli, BadOptionsGetOneLineErrors) {
  std::string out;
  EXPECT_NE(RunCommand(kMote + " data synth-kws", &out), 0);
  EXPECT_NE(out.find("-o DIR is required"), std::string::npos) << out;
  out.clear();
  EXPECT_NE(RunCommand(kMote + " data synth-kws -o /tmp/x --per-class 0", &out), 0);
  EXPECT_NE(out.find("--per-class"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(kMote + " data synth-stream -o /tmp/never.wav --minutes 1 --keywords 40", &out), 1);
  EXPECT_NE(out.find("at least 3 s"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(kMote + " data synth-stream -o /tmp/never.wav --split dev", &out), 1);
  EXPECT_NE(out.find("--split 'dev': expected train, val or test"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCommand(kMote + " data synth-stream -o /tmp/never.wav --more-voices", &out), 1);
  EXPECT_NE(out.find("--more-voices adds train speakers only"), std::string::npos) << out;
  if (HaveTools()) {
    out.clear();
    EXPECT_EQ(RunCommand(kMote + " data synth-kws -o /tmp/never --voices nowhere-land", &out), 1);
    EXPECT_NE(out.find("'nowhere-land'"), std::string::npos) << out;
  }
}

TEST(SynthDataCli, MissingToolsAreNamed) {
  std::string out;
  EXPECT_EQ(RunCommand("env PATH=/nonexistent " + kMote + " data synth-kws -o /tmp/never_kws", &out), 1);
  EXPECT_NE(out.find("espeak-ng not found in PATH"), std::string::npos) << out;
}

}  // namespace
