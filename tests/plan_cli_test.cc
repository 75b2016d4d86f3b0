// mote plan: the exact search beats the device planner on kws_dscnn_int8 and
// proves its plan optimal; -o stores that plan, which mote's runtime then
// follows with the golden outputs.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/run_command.h"

namespace {

using mote::testing::RunCommand;

const std::string kCli = MOTE_CLI;
const std::string kShared = MOTE_SHARED_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

TEST(PlanCli, ExactSearchStoresASmallerProvenPlan) {
  const std::string model = kShared + "/models/kws_dscnn_int8.tflite";
  const std::string planned = ::testing::TempDir() + "kws_exact_planned.tflite";
  std::string out;
  ASSERT_EQ(RunCommand(kCli + " plan " + model + " --json -o " + planned, &out), 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_TRUE(j["exact_search"]["improved"]) << out;
  EXPECT_TRUE(j["exact_search"]["proven_optimal"]) << out;
  const size_t device = j["exact_search"]["device_planner_arena_bytes"];
  const size_t arena = j["arena_bytes"];
  EXPECT_LT(arena, device);
  // The stored plan: followed by the runtime, nothing smaller left to find.
  ASSERT_EQ(RunCommand(kCli + " plan " + planned + " --json", &out), 0) << out;
  const auto k = nlohmann::json::parse(out);
  EXPECT_TRUE(k["offline_plan_in_input"]);
  EXPECT_FALSE(k["exact_search"]["improved"]);
  EXPECT_EQ(k["arena_bytes"], arena);
  const std::string got = ::testing::TempDir() + "kws_exact_out.bin";
  const std::string golden = kShared + "/golden/kws_dscnn_int8/";
  ASSERT_EQ(RunCommand(kCli + " run " + planned + " --input " + golden + "input_0.bin --output " + got,
                       &out), 0) << out;
  EXPECT_EQ(ReadAll(got), ReadAll(golden + "output_0.bin"));
}

TEST(PlanCli, NodeLimitIsReportedAsNotProven) {
  std::string out;
  ASSERT_EQ(RunCommand(kCli + " plan " + kShared + "/models/kws_dscnn_int8.tflite --json --exact-limit 10",
                       &out), 0) << out;
  EXPECT_FALSE(nlohmann::json::parse(out)["exact_search"]["proven_optimal"]) << out;
}

}  // namespace
