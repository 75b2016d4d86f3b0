// Golden models: outputs equal to TFLM's (int8 byte for byte, float within
// tolerance), arena no larger than TFLM's, through the library and the CLI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "host/io/file.h"
#include "host/io/golden.h"
#include "host/io/loaded_model.h"

namespace mote::host {
namespace {

namespace fs = std::filesystem;
const std::string kShared = MOTE_SHARED_DIR;

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, LibraryMatchesTflm) {
  const GoldenResult r = RunGolden(kShared, GetParam(), 0);
  if (!r.tflm_supported) {
    EXPECT_FALSE(r.error.empty()) << "TFLM refuses this model; mote must too";
    return;
  }
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_GT(r.cases, 0);
  EXPECT_EQ(r.cases_equal, r.cases) << r.first_failure;
  std::printf("%-20s arena mote %zu B, TFLM %zu B\n", GetParam().c_str(), r.arena_bytes,
              r.tflm_arena_bytes);
  EXPECT_LE(r.arena_bytes, r.tflm_arena_bytes);
}

TEST_P(GoldenTest, CliMatchesTflm) {
  const fs::path dir = fs::path(kShared) / "golden" / GetParam();
  if (!fs::exists(dir / "input_0.bin")) GTEST_SKIP() << "no golden pairs (refused model)";
  const fs::path model = fs::path(kShared) / "models" / (GetParam() + ".tflite");
  const fs::path out = fs::temp_directory_path() / ("mote_cli_" + GetParam() + ".bin");
  std::string err;
  auto m = LoadedModel::Open(model.string(), &err);
  ASSERT_NE(m, nullptr) << err;
  const micro::DType type = m->interpreter().output(0)->type;
  for (int k = 0; fs::exists(dir / ("input_" + std::to_string(k) + ".bin")); ++k) {
    const std::string cmd = std::string(MOTE_CLI) + " run " + model.string() + " --input " +
                            (dir / ("input_" + std::to_string(k) + ".bin")).string() +
                            " --output " + out.string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    auto got = ReadFile(out.string(), &err);
    auto want = ReadFile((dir / ("output_" + std::to_string(k) + ".bin")).string(), &err);
    ASSERT_TRUE(got && want) << err;
    ASSERT_EQ(got->size(), want->size());
    EXPECT_EQ(FirstMismatch(type, got->data(), want->data(), got->size()), -1) << "case " << k;
  }
  fs::remove(out);
}

TEST(GoldenHybrid, RefusedWithClearMessage) {
  std::string err;
  auto m = LoadedModel::Open(kShared + "/models/kws_dscnn_hybrid.tflite", &err);
  EXPECT_EQ(m, nullptr);
  EXPECT_NE(err.find("hybrid"), std::string::npos) << err;
  EXPECT_NE(err.find("CONV_2D"), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(All, GoldenTest, ::testing::ValuesIn(GoldenNames(kShared)));

TEST(GoldenCompare, FloatToleranceIsTheStatedOne) {
  const float want[2] = {1000.0f, 0.0f};
  float ok[2] = {1000.0f + 0.09f, 9e-6f};
  float bad[2] = {1000.0f + 0.12f, 0.0f};
  auto bytes = [](const float* f) { return reinterpret_cast<const uint8_t*>(f); };
  EXPECT_EQ(FirstMismatch(micro::DType::kFloat32, bytes(ok), bytes(want), 8), -1);
  EXPECT_EQ(FirstMismatch(micro::DType::kFloat32, bytes(bad), bytes(want), 8), 0);
  const uint8_t a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
  EXPECT_EQ(FirstMismatch(micro::DType::kInt8, a, b, 3), 2);
}

}  // namespace
}  // namespace mote::host
