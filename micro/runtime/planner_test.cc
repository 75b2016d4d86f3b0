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

namespace mote::micro {
namespace {

TEST(Planner, InPlaceOutputSitsGapBelowItsInput) {
  // A chain a -> b -> c -> d of 100-byte tensors; op k reads x_k, writes
  // x_k+1 and allows its output to start 16 bytes below its input.
  PlanItem items[4] = {{100, 0, 0}, {100, 0, 1}, {100, 1, 2}, {100, 2, 3}};
  for (int i = 1; i < 4; ++i) {
    items[i].overlap_with = i - 1;
    items[i].gap = 16;
  }
  uint16_t order[4];
  uint32_t best[4];
  EXPECT_EQ(PlanBest(items, 4, order, best, 4), 148u);  // 100 + 3 * 16
  for (int i = 1; i < 4; ++i) EXPECT_LE(items[i].offset + 16, items[i - 1].offset);
  // Without the allowance two neighbours never share bytes.
  for (int i = 1; i < 4; ++i) items[i].overlap_with = -1;
  EXPECT_EQ(PlanBest(items, 4, order, best, 4), 200u);
}

TEST(Planner, InPlaceNeverOverlapsOtherLiveTensors) {
  uint32_t seed = 99;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (int trial = 0; trial < 200; ++trial) {
    PlanItem items[16];
    uint16_t order[16];
    uint32_t best[16];
    const int n = 2 + next() % 15;
    for (int i = 0; i < n; ++i) {  // a chain with some side branches
      items[i] = {4 + next() % 300, i, i + 1 + static_cast<int32_t>(next() % 2)};
      if (i > 0 && items[i - 1].last == i && next() % 2) {
        items[i].overlap_with = i - 1;
        items[i].gap = next() % 64;
      }
    }
    PlanBest(items, n, order, best, 4);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i >= j || !Overlaps(items[i], items[j])) continue;
        // The only allowed overlap: one writes over the other (its input),
        // starting at least `gap` bytes below it.
        const bool i_over_j = items[i].overlap_with == j &&
                              items[i].offset + items[i].gap <= items[j].offset;
        const bool j_over_i = items[j].overlap_with == i &&
                              items[j].offset + items[j].gap <= items[i].offset;
        EXPECT_TRUE(i_over_j || j_over_i) << "trial " << trial << " items " << i << "," << j;
      }
  }
}

}  // namespace
}  // namespace mote::micro
