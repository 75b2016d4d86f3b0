// Arena bytes per golden model are budgets: recorded in tests/budgets/arena.json,
// a test fails if one grows. Also the targets against TFLM's figures.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "host/io/golden.h"

namespace mote::host {
namespace {

const std::string kShared = MOTE_SHARED_DIR;

nlohmann::json Budgets() {
  std::ifstream f(std::string(MOTE_SOURCE_DIR) + "/tests/budgets/arena.json");
  return nlohmann::json::parse(f)["arena_bytes"];
}

TEST(ArenaBudget, NoGoldenModelGrows) {
  const auto budgets = Budgets();
  uint64_t int8_mote = 0, int8_tflm = 0;
  for (const auto& name : GoldenNames(kShared)) {
    const GoldenResult r = RunGolden(kShared, name, 0);
    if (!r.error.empty()) continue;  // refused models have no arena
    ASSERT_TRUE(budgets.contains(name)) << name << " has no recorded arena budget";
    const uint64_t budget = budgets[name];
    std::printf("%-20s arena %7zu B  budget %7llu B  TFLM %7zu B  (%.3fx TFLM)\n", name.c_str(),
                r.arena_bytes, static_cast<unsigned long long>(budget), r.tflm_arena_bytes,
                static_cast<double>(r.arena_bytes) / r.tflm_arena_bytes);
    EXPECT_LE(r.arena_bytes, budget) << name << " arena grew";
    EXPECT_LT(r.arena_bytes, r.tflm_arena_bytes) << name;
    if (name.find("int8") != std::string::npos) {
      int8_mote += r.arena_bytes;
      int8_tflm += r.tflm_arena_bytes;
    }
  }
  std::printf("int8 models: %llu B vs TFLM %llu B (%.3fx)\n",
              static_cast<unsigned long long>(int8_mote),
              static_cast<unsigned long long>(int8_tflm),
              static_cast<double>(int8_mote) / int8_tflm);
  EXPECT_LE(int8_mote * 10, int8_tflm * 7) << "int8 arena sum above 0.7x TFLM's";
}

}  // namespace
}  // namespace mote::host
