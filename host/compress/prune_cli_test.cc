// `mote prune` and `mote accuracy` end to end on the anomaly data: exact
// sparsity, smaller structured models that quantize, export and run, and
// one-line errors on bad input.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include <gtest/gtest.h>
#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace mote {
namespace {

using Result = mote::testing::CliResult;
using mote::testing::RunCli;

// A directory per process: each process's SetUpTestSuite writes the data and
// the base model.
std::string Dir() { return mote::testing::ProcessTempDir("mote_prune").string(); }
std::string Tmp(const std::string& name) { return Dir() + "/" + name; }

class PruneCli : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { std::filesystem::remove_all(Dir()); }
  static void SetUpTestSuite() {
    std::filesystem::create_directories(Dir());
    const Result d = RunCli("data synth-anomaly --n 600 --length 64 --seed 3 -o " + Tmp("a.npy"));
    ASSERT_EQ(d.code, 0) << d.out;
    const Result t = RunCli("train --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json --data " +
                            Tmp("a.npy") + " --labels " + Tmp("a_labels.npy") + " --epochs 20 -o " +
                            Tmp("base.bin") + " --json");
    ASSERT_EQ(t.code, 0) << t.out;
  }
  static std::string DataArgs() {
    return " --data " + Tmp("a.npy") + " --labels " + Tmp("a_labels.npy");
  }
};

TEST_F(PruneCli, UnstructuredReachesExactSparsity) {
  const Result r = RunCli("prune " + Tmp("base.bin") + DataArgs() +
                              " --sparsity 0.75 --epochs 6 --lr 0.01 -o " + Tmp("u.bin") + " --json",
                          false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  // Kernels of examples/anomaly/model.json: 3*1*8, 3*8*8, 8*1 weights; a
  // quarter of each survives: 24-6 + 192-48 + 8-2 zeros.
  EXPECT_EQ(j["kernel_weights"].get<int>(), 224);
  EXPECT_EQ(j["kernel_zeros"].get<int>(), 18 + 144 + 6);
  EXPECT_EQ(j["params_after"], j["params_before"]);
  const Result q = RunCli("quantize " + Tmp("u.bin") + " --data " + Tmp("a.npy") + " -o " + Tmp("u.tflite"));
  ASSERT_EQ(q.code, 0) << q.out;
  const Result a = RunCli("accuracy " + Tmp("u.tflite") + DataArgs() + " --json", false);
  ASSERT_EQ(a.code, 0) << a.out;
  EXPECT_GE(nlohmann::json::parse(a.out)["accuracy"].get<double>(), 0.8);
}

TEST_F(PruneCli, StructuredIsSmallerAndExports) {
  const Result r = RunCli("prune " + Tmp("base.bin") + DataArgs() +
                              " --sparsity 0.5 --structured --norm l2 --epochs 4 -o " + Tmp("s.bin") +
                              " --json",
                          false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["layers"].size(), 2u);
  EXPECT_EQ(j["layers"][0]["after"].get<int>(), 4);
  EXPECT_LT(j["params_after"].get<int>(), j["params_before"].get<int>());
  for (const char* f : {"base", "s"}) {
    const Result q = RunCli(std::string("quantize ") + Tmp(f) + ".bin --data " + Tmp("a.npy") + " -o " +
                            Tmp(f) + ".tflite");
    ASSERT_EQ(q.code, 0) << q.out;
  }
  const Result ab = RunCli("accuracy " + Tmp("base.tflite") + DataArgs() + " --json", false);
  const Result as = RunCli("accuracy " + Tmp("s.tflite") + DataArgs() + " --json", false);
  ASSERT_EQ(ab.code, 0) << ab.out;
  ASSERT_EQ(as.code, 0) << as.out;
  const auto jb = nlohmann::json::parse(ab.out), js = nlohmann::json::parse(as.out);
  EXPECT_LT(js["arena_bytes"].get<int>(), jb["arena_bytes"].get<int>());
  EXPECT_LT(js["model_bytes"].get<int>(), jb["model_bytes"].get<int>());
  EXPECT_GE(js["accuracy"].get<double>(), 0.8);
  const Result e = RunCli("export " + Tmp("s.tflite") + " -o " + Tmp("gen/pruned"));
  EXPECT_EQ(e.code, 0) << e.out;
}

TEST_F(PruneCli, BadInputGivesOneLineErrors) {
  Result r = RunCli("prune " + Tmp("base.bin") + DataArgs() + " --sparsity 1.0 --epochs 1 -o " + Tmp("x.bin"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("--sparsity must be in [0, 1)"), std::string::npos) << r.out;
  {
    std::ifstream in(Tmp("base.bin"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(Tmp("cut.bin"), std::ios::binary) << bytes.substr(0, bytes.size() - 10);
    bytes.replace(bytes.size() - 4, 4, std::string("\x00\x00\xc0\x7f", 4));  // last bias: NaN
    std::ofstream(Tmp("nan.bin"), std::ios::binary) << bytes;
  }
  r = RunCli("prune " + Tmp("nan.bin") + DataArgs() + " --sparsity 0.5 --epochs 1 -o " + Tmp("x.bin"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("bias has a non-finite value"), std::string::npos) << r.out;
  r = RunCli("prune " + Tmp("cut.bin") + DataArgs() + " --sparsity 0.5 --epochs 1 -o " + Tmp("x.bin"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("truncated"), std::string::npos) << r.out;
  r = RunCli("prune " + Tmp("base.bin") + DataArgs() +
             " --sparsity 0.5 --epochs 2 --end-step 0 --begin-step 5 -o " + Tmp("x.bin"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("end step"), std::string::npos) << r.out;
  r = RunCli("accuracy " + Tmp("base.bin") + DataArgs());
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.out.find("Segmentation"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mote
