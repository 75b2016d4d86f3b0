// `mote quantize --qat --report --html --test` and `mote train --qat --int8`
// end to end, and one-line errors for wrong flag combinations.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/io/loaded_model.h"
#include "tests/run_command.h"

namespace mote {
namespace {

using Result = mote::testing::CliResult;
Result Cli(const std::string& args) { return mote::testing::RunCli(args); }

std::string Tmp(const std::string& name) { return ::testing::TempDir() + "/mote_qat_" + name; }

TEST(QatCli, QuantizeQatWithReportAndTest) {
  const std::string d = Tmp("a");
  ASSERT_EQ(Cli("data synth-anomaly --n 300 --length 64 --seed 2 -o " + d + ".npy").code, 0);
  const std::string xy = " --data " + d + ".npy --labels " + d + "_labels.npy";
  ASSERT_EQ(Cli("train --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json" + xy +
                " --epochs 3 -o " + d + ".bin").code, 0);
  const Result q = Cli("quantize " + d + ".bin" + xy + " --qat --epochs 1 --report " + d +
                       ".json --html " + d + ".html --test " + d + ".npy --test-labels " + d +
                       "_labels.npy --json -o " + d + ".tflite");
  ASSERT_EQ(q.code, 0) << q.out;
  const auto last = q.out.substr(q.out.rfind('{'));
  const auto j = nlohmann::json::parse(last);
  EXPECT_TRUE(j["qat"].get<bool>());
  EXPECT_GE(j["int8_accuracy"].get<double>(), 0.0);
  EXPECT_LE(j["int8_accuracy"].get<double>(), 1.0);
  std::string err;
  EXPECT_TRUE(host::LoadedModel::Open(d + ".tflite", &err)) << err;
  std::ifstream rf(d + ".json");
  const auto report = nlohmann::json::parse(rf, nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_GE(report["layers"].size(), 3u);
  EXPECT_TRUE(std::ifstream(d + ".html").good());

  const Result t = Cli("train --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json" + xy +
                       " --epochs 3 --qat --qat-after 2 -o " + d + "_t.bin --int8 " + d + "_t.tflite");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_TRUE(host::LoadedModel::Open(d + "_t.tflite", &err)) << err;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// --seed drives the QAT shuffling (default 1); --qat-ranges tfmot and
// --qat-ema-decay change the learned ranges, --label-smoothing the targets,
// and so the exported bytes.
TEST(QatCli, SeedAndRangeOptionsReachTheTrainer) {
  const std::string d = Tmp("s");
  ASSERT_EQ(Cli("data synth-anomaly --n 200 --length 64 --seed 4 -o " + d + ".npy").code, 0);
  const std::string xy = " --data " + d + ".npy --labels " + d + "_labels.npy";
  ASSERT_EQ(Cli("train --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json" + xy +
                " --epochs 2 -o " + d + ".bin").code, 0);
  const std::string q = "quantize " + d + ".bin" + xy + " --qat --epochs 1";
  const std::string variants[] = {"", " --seed 1", " --seed 2", " --qat-ranges tfmot", " --qat-ema-decay 0.5",
                                  " --label-smoothing 0.2"};
  std::string bytes[6];
  for (int i = 0; i < 6; ++i) {
    const std::string out = d + "_" + std::to_string(i) + ".tflite";
    const Result r = Cli(q + variants[i] + " -o " + out);
    ASSERT_EQ(r.code, 0) << variants[i] << "\n" << r.out;
    bytes[i] = ReadAll(out);
    ASSERT_FALSE(bytes[i].empty());
  }
  EXPECT_EQ(bytes[0], bytes[1]) << "the default seed is 1";
  EXPECT_NE(bytes[0], bytes[2]) << "--seed 2 shuffles differently";
  EXPECT_NE(bytes[0], bytes[3]) << "TFMOT's range start";
  EXPECT_NE(bytes[0], bytes[4]) << "another decay";
  EXPECT_NE(bytes[0], bytes[5]) << "smoothed targets";
}

TEST(QatCli, FlagMistakesGiveOneLineErrors) {
  const std::string d = Tmp("b");
  ASSERT_EQ(Cli("data synth-anomaly --n 40 --length 64 --seed 2 -o " + d + ".npy").code, 0);
  const std::string model = " --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json";
  const std::string xy = " --data " + d + ".npy --labels " + d + "_labels.npy";
  ASSERT_EQ(Cli("train" + model + xy + " --epochs 1 -o " + d + ".bin").code, 0);
  {
    std::ofstream mse(d + "_mse.json");
    mse << R"({"input_shape": [64, 1], "loss": "mse", "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 1}]})";
  }
  ASSERT_EQ(Cli("train --model " + d + "_mse.json" + xy + " --epochs 1 -o " + d + "_mse.bin").code, 0);
  const struct {
    std::string args, needle;
  } cases[] = {
      {"quantize " + d + ".bin --data " + d + ".npy --qat -o " + d + ".tflite", "--qat needs --labels"},
      {"quantize " + d + ".bin --data " + d + ".npy --html x.html -o " + d + ".tflite", "--html needs --report"},
      {"train" + model + xy + " --epochs 2 --qat --qat-after 2 -o " + d + ".bin", "leaves no QAT epoch"},
      {"train" + model + xy + " --epochs 2 --int8 x.tflite -o " + d + ".bin", "need --qat"},
      {"train" + model + xy + " --epochs 2 --qat-bn batch -o " + d + ".bin", "--qat-bn batch needs --qat"},
      {"quantize " + d + ".bin --data " + d + ".npy --qat-bn batch -o " + d + ".tflite", "needs --qat"},
      {"quantize " + d + ".bin --data " + d + ".npy --qat-ranges tfmot -o " + d + ".tflite",
       "--qat-ranges tfmot needs --qat"},
      {"quantize " + d + ".bin --data " + d + ".npy --qat-ema-decay 0.9 -o " + d + ".tflite",
       "--qat-ema-decay needs --qat"},
      {"train" + model + xy + " --epochs 2 --qat-ranges tfmot -o " + d + ".bin", "--qat-ranges tfmot needs --qat"},
      {"quantize " + d + ".bin" + xy + " --label-smoothing 0.1 -o " + d + ".tflite", "--label-smoothing needs --qat"},
      {"quantize " + d + "_mse.bin" + xy + " --qat --label-smoothing 0.1 -o " + d + ".tflite",
       "--label-smoothing needs a cross-entropy loss"},
  };
  for (const auto& c : cases) {
    const Result r = Cli(c.args);
    EXPECT_EQ(r.code, 1) << c.args << "\n" << r.out;
    EXPECT_EQ(r.out.rfind("mote: ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find(c.needle), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace mote
