#include "micro/runtime/planner.h"

#include <gtest/gtest.h>

namespace mote::micro {
namespace {

bool Overlaps(const PlanItem& a, const PlanItem& b) {
  const bool time = !(a.last < b.first || b.last < a.first);
  const bool space = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
  return time && space;
}

TEST(Planner, ChainReusesMemory) {
  // a -> b -> c -> d: only neighbours are live together.
  PlanItem items[4] = {{100, 0, 1}, {200, 1, 2}, {100, 2, 3}, {40, 3, 4}};
  uint16_t order[4];
  const uint32_t total = PlanGreedy(items, 4, order, 4);
  EXPECT_EQ(PlanLowerBound(items, 4), 300u);
  EXPECT_EQ(total, 300u);
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) EXPECT_FALSE(Overlaps(items[i], items[j])) << i << "," << j;
}

TEST(Planner, AlignsOffsets) {
  PlanItem items[2] = {{5, 0, 1}, {7, 0, 1}};
  uint16_t order[2];
  EXPECT_EQ(PlanGreedy(items, 2, order, 4), 13u);  // 7 at 0, 5 at 8
  EXPECT_EQ(items[0].offset, 8u);
  EXPECT_EQ(items[1].offset, 0u);
}

TEST(Planner, RandomPlansNeverOverlap) {
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (int trial = 0; trial < 200; ++trial) {
    PlanItem items[24];
    uint16_t order[24];
    const int n = 1 + next() % 24;
    for (int i = 0; i < n; ++i) {
      const int32_t first = next() % 20;
      items[i] = {1 + next() % 500, first, first + static_cast<int32_t>(next() % 6)};
    }
    const uint32_t total = PlanGreedy(items, n, order, 4);
    EXPECT_GE(total, PlanLowerBound(items, n));
    for (int i = 0; i < n; ++i) {
      EXPECT_LE(items[i].offset + items[i].size, total);
      EXPECT_EQ(items[i].offset % 4, 0u);
      for (int j = i + 1; j < n; ++j) EXPECT_FALSE(Overlaps(items[i], items[j]));
    }
  }
}

}  // namespace
}  // namespace mote::micro
