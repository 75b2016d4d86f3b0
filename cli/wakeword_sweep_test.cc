// ChooseOperatingPoint: the lowest FRR within the FA budget, else the fewest
// false accepts at the FRR limit.
#include "cli/wakeword_sweep.h"

#include <gtest/gtest.h>

namespace mote::cli {
namespace {

// 100 keywords, 10 hours without keywords: FA/h = false accepts / 10.
SweepRow Row(int units, int false_accepts, int false_rejects, double inferences_per_s = 2.0) {
  SweepRow r;
  r.hop_ms = 500;
  r.window = 4;
  r.units = units;
  r.inferences_per_s = inferences_per_s;
  r.score.keywords = 100;
  r.score.false_accepts = false_accepts;
  r.score.false_rejects = false_rejects;
  r.score.non_keyword_hours = 10.0;
  r.score.fa_per_hour = false_accepts / 10.0;
  r.score.frr = false_rejects / 100.0;
  return r;
}

TEST(WakewordSweep, LowestFrrWithinTheFaBudget) {
  const std::vector<SweepRow> rows = {Row(250, 0, 9), Row(240, 2, 6), Row(230, 5, 5), Row(220, 9, 3),
                                      Row(235, 5, 4)};
  // Budget 0.5 FA/h: 250, 240, 230 and 235 qualify; 235 has the fewest misses.
  OperatingPoint op = ChooseOperatingPoint(rows, 0.10, 0.5);
  ASSERT_TRUE(op.found);
  EXPECT_EQ(op.row.units, 235);
  // No budget: the fewest false accepts at FRR <= 10 %.
  op = ChooseOperatingPoint(rows, 0.10);
  ASSERT_TRUE(op.found);
  EXPECT_EQ(op.row.units, 250);
  // A tighter FRR limit than the budget's rows reach: the fallback takes the
  // fewest false accepts at FRR <= 3 %, here 9 of them.
  op = ChooseOperatingPoint(rows, 0.03, 0.5);
  ASSERT_TRUE(op.found);
  EXPECT_EQ(op.row.units, 220);
  EXPECT_FALSE(ChooseOperatingPoint(rows, 0.02, 0.5).found);
}

TEST(WakewordSweep, TiesGoToFewerFalseAcceptsThenLessWork) {
  const std::vector<SweepRow> rows = {Row(240, 3, 5, 2.5), Row(230, 2, 5, 2.6), Row(225, 2, 5, 2.4)};
  const OperatingPoint op = ChooseOperatingPoint(rows, 0.10, 0.5);
  ASSERT_TRUE(op.found);
  EXPECT_EQ(op.row.units, 225);  // 5 misses each: 2 false accepts, then fewer inferences
}

}  // namespace
}  // namespace mote::cli
