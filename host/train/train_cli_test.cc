// The training CLI end to end: `mote demo anomaly`, `mote data`, `mote train`,
// `mote quantize`, `mote export`, and one-line errors on bad input.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include <gtest/gtest.h>

#include "host/compress/ptq.h"
#include "host/io/loaded_model.h"
#include "host/train/model.h"
#include "micro/kernels/ref/logistic.h"
#include "tests/run_command.h"

namespace mote {
namespace {

using Result = mote::testing::CliResult;
using mote::testing::RunCli;

std::string Tmp(const std::string& name) { return ::testing::TempDir() + "/mote_train_" + name; }

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(TrainCli, DemoAnomalyDefaultRecipe) {
  const std::string out = Tmp("demo");
  const Result r = RunCli("demo anomaly --out " + out + " --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["float_accuracy"].get<double>(), 0.98);
  EXPECT_GE(j["float_anomaly_recall"].get<double>(), 0.95);
  EXPECT_LE(std::abs(j["int8_minus_float_points"].get<double>()), 1.0);
  EXPECT_TRUE(j["warnings"].empty());
  std::string err;
  auto m = host::LoadedModel::Open(out + "/anomaly_int8.tflite", &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->interpreter().arena_used_bytes(), j["arena_bytes"].get<size_t>());
  for (const char* f : {"anomaly_int8.h", "anomaly_int8.cc", "report.json"})
    EXPECT_TRUE(std::ifstream(out + "/" + f).good()) << f;
}

TEST(TrainCli, SeedRecipeIsDegenerateAndWarned) {
  const Result r = RunCli("demo anomaly --recipe seed --out " + Tmp("demo_seed"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: seed 1: float: degenerate classifier: class anomaly never predicted"),
            std::string::npos) << r.out;
}

TEST(TrainCli, TrainQuantizeExportPipeline) {
  const std::string d = Tmp("pipe");
  ASSERT_EQ(RunCli("data synth-anomaly --n 400 --length 64 --seed 4 -o " + d + ".npy").code, 0);
  const Result t = RunCli("train --model " MOTE_SOURCE_DIR "/examples/anomaly/model.json --data " + d +
                       ".npy --labels " + d + "_labels.npy --epochs 3 -o " + d + ".bin --json");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("{\"accuracy\""), std::string::npos) << t.out;  // one JSON line per epoch
  const Result q = RunCli("quantize " + d + ".bin --data " + d + ".npy -o " + d + ".tflite");
  ASSERT_EQ(q.code, 0) << q.out;
  const Result e = RunCli("export " + d + ".tflite -o " + d + "_c/model_int8");
  ASSERT_EQ(e.code, 0) << e.out;
  std::ifstream cc(d + "_c/model_int8.cc");
  std::string text((std::istreambuf_iterator<char>(cc)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("alignas(16) const unsigned char model_int8[]"), std::string::npos);
  EXPECT_NE(text.find("sha256 "), std::string::npos);
}

TEST(TrainCli, SynthIsDeterministic) {
  ASSERT_EQ(RunCli("data synth-anomaly --n 50 --seed 9 -o " + Tmp("a.npy")).code, 0);
  ASSERT_EQ(RunCli("data synth-anomaly --n 50 --seed 9 -o " + Tmp("b.npy")).code, 0);
  std::ifstream a(Tmp("a.npy"), std::ios::binary), b(Tmp("b.npy"), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
}

// Bad input: exit code 1 and exactly one line "mote: ..." naming the problem.
void ExpectOneLineError(const std::string& args, const std::string& needle) {
  const Result r = RunCli(args);
  EXPECT_EQ(r.code, 1) << args << "\n" << r.out;
  EXPECT_EQ(r.out.rfind("mote: ", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << r.out;
}

TEST(TrainCli, BadInputGivesOneClearError) {
  const std::string d = Tmp("bad");
  ASSERT_EQ(RunCli("data synth-anomaly --n 20 --length 64 --seed 1 -o " + d + ".npy").code, 0);
  const std::string model = MOTE_SOURCE_DIR "/examples/anomaly/model.json";
  WriteText(d + "_lstm.json", R"({"input_shape": [64, 1], "loss": "bce", "layers": [{"type": "LSTM"}]})");
  ExpectOneLineError("train --model " + d + "_lstm.json --data " + d + ".npy --labels " + d +
                         "_labels.npy -o " + d + ".bin",
                     "unknown layer type \"LSTM\"");
  WriteText(d + "_nan.csv", "1,2,nan\n");
  ExpectOneLineError("train --model " + model + " --data " + d + "_nan.csv --labels " + d +
                         "_labels.npy -o " + d + ".bin",
                     "not finite");
  ASSERT_EQ(RunCli("data synth-anomaly --n 30 --length 64 --seed 1 -o " + d + "30.npy").code, 0);
  ExpectOneLineError("train --model " + model + " --data " + d + ".npy --labels " + d +
                         "30_labels.npy -o " + d + ".bin",
                     "30 labels for 20 rows");
  ASSERT_EQ(RunCli("data synth-anomaly --n 20 --length 32 --seed 1 -o " + d + "32.npy").code, 0);
  ExpectOneLineError("train --model " + model + " --data " + d + "32.npy --labels " + d +
                         "_labels.npy -o " + d + ".bin",
                     "does not fit the model input [N,64,1]");
  WriteText(d + "_mse.json", R"({"input_shape": [64, 1], "loss": "mse",
    "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 1}], "fit": {"label_smoothing": 0.1}})");
  ExpectOneLineError("train --model " + d + "_mse.json --data " + d + ".npy --labels " + d +
                         "_labels.npy -o " + d + ".bin",
                     "label_smoothing needs a cross-entropy loss");
  WriteText(d + "_ls.json", R"({"input_shape": [64, 1], "loss": "bce",
    "layers": [{"type": "Flatten"}, {"type": "Dense", "units": 1}], "fit": {"label_smoothing": 1.5}})");
  ExpectOneLineError("train --model " + d + "_ls.json --data " + d + ".npy --labels " + d +
                         "_labels.npy -o " + d + ".bin",
                     "label_smoothing must be in [0, 1) (got 1.5");
}

std::string FileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// --init replaces the seed's initialisation: without shuffling, training from
// seed 5's initial weights with --seed 1 gives seed 5's result byte for byte,
// and without --init seed 1 gives other bytes.
TEST(TrainCli, InitStartsFromTheGivenWeights) {
  const std::string d = Tmp("init");
  ASSERT_EQ(RunCli("data synth-anomaly --n 96 --length 64 --seed 3 -o " + d + ".npy").code, 0);
  const nlohmann::json spec = {
      {"input_shape", {64, 1}},
      {"layers", {{{"type", "Conv1D"}, {"filters", 4}, {"kernel_size", 3}, {"activation", "relu"}},
                  {{"type", "GlobalAveragePooling1D"}},
                  {{"type", "Dense"}, {"units", 1}, {"activation", "sigmoid"}}}},
      {"loss", "binary_crossentropy"},
      {"fit", {{"epochs", 2}, {"batch_size", 16}, {"shuffle", false}}}};
  WriteText(d + ".json", spec.dump());
  std::string err;
  auto init = train::Sequential::FromJson(spec, 5, &err);
  ASSERT_TRUE(init) << err;
  ASSERT_TRUE(init->Save(d + "_init5.bin", &err)) << err;
  const std::string base = "train -m " + d + ".json -d " + d + ".npy -l " + d + "_labels.npy ";
  ASSERT_EQ(RunCli(base + "--seed 5 -o " + d + "_seed5.bin").code, 0);
  const Result r = RunCli(base + "--seed 1 --init " + d + "_init5.bin -o " + d + "_from5.bin");
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_EQ(RunCli(base + "--seed 1 -o " + d + "_seed1.bin").code, 0);
  const std::string seed5 = FileBytes(d + "_seed5.bin");
  ASSERT_GT(seed5.size(), 100u);
  EXPECT_EQ(FileBytes(d + "_from5.bin"), seed5);
  EXPECT_NE(FileBytes(d + "_seed1.bin"), seed5);
  EXPECT_NE(FileBytes(d + "_init5.bin"), seed5);  // training moved the weights

  // A file of another architecture, or with a NaN, is refused by name.
  WriteText(d + "_other.json", R"({"input_shape": [64, 1], "loss": "bce",
      "layers": [{"type": "Conv1D", "filters": 3, "kernel_size": 3}, {"type": "Flatten"},
                 {"type": "Dense", "units": 1, "activation": "sigmoid"}]})");
  auto other = train::Sequential::FromJson(nlohmann::json::parse(FileBytes(d + "_other.json")), 1, &err);
  ASSERT_TRUE(other) << err;
  ASSERT_TRUE(other->Save(d + "_other.bin", &err)) << err;
  ExpectOneLineError(base + "--init " + d + "_other.bin -o " + d + "_x.bin",
                     "parameter 0 is kernel [3,1,3], the model in " + d + ".json expects kernel [3,1,4]");
  init->layers()[0]->params()[1].value[2] = NAN;
  ASSERT_TRUE(init->Save(d + "_nan.bin", &err)) << err;
  ExpectOneLineError(base + "--init " + d + "_nan.bin -o " + d + "_x.bin",
                     "parameter 1 (bias) value 2 is not finite");
  ExpectOneLineError(base + "--init " + d + "_missing.bin -o " + d + "_x.bin",
                     d + "_missing.bin: cannot open");
}

TEST(Ptq, LogisticInputParamsMakeTfliteAndTflmAgree) {
  int8_t in[256], out[256];
  for (int v = 0; v < 256; ++v) in[v] = static_cast<int8_t>(v - 128);
  for (float range : {3.0f, 7.3f, 12.9f, 25.0f}) {
    const compress::QuantParams q = compress::ChooseLogisticInputParams(-range, range * 0.4f);
    micro::ref::LogisticParamsS8 p;
    micro::ref::LogisticPrepareS8(q.scale, q.zero_point, &p);
    micro::ref::LogisticS8(p, 256, in, out);
    for (int v = 0; v < 256; ++v) {
      const float y = 1.0f / (1.0f + std::exp(-q.scale * static_cast<float>(in[v] - q.zero_point)));
      ASSERT_EQ(out[v], static_cast<int8_t>(std::clamp(std::round(y * 256.0f) - 128.0f, -128.0f, 127.0f)))
          << "range " << range << " input " << v - 128;
    }
  }
}

}  // namespace
}  // namespace mote
