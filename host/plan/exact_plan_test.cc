#include "host/plan/exact_plan.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

namespace mote::host {
namespace {

using micro::PlanItem;

uint32_t Peak(const std::vector<PlanItem>& items) {
  uint32_t p = 0;
  for (const auto& it : items) p = std::max(p, it.offset + it.size);
  return p;
}

// Brute force over every order with greedy lowest-fit placement: the best of
// these is an upper bound the exact search must match or beat.
uint32_t BruteForce(std::vector<PlanItem> items) {
  std::vector<uint16_t> perm(items.size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<uint16_t>(i);
  uint32_t best = UINT32_MAX;
  do {
    std::vector<bool> placed(items.size(), false);
    for (uint16_t i : perm) {
      uint32_t off = 0;
      for (bool moved = true; moved;) {
        moved = false;
        for (size_t j = 0; j < items.size(); ++j) {
          uint32_t next;
          if (placed[j] && micro::PlanCollides(items.data(), i, static_cast<int>(j), off, &next)) {
            off = next;
            moved = true;
          }
        }
      }
      items[i].offset = off;
      placed[i] = true;
    }
    best = std::min(best, Peak(items));
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

std::vector<PlanItem> RandomItems(std::mt19937& rng, int n, int ops) {
  std::vector<PlanItem> items(n);
  for (auto& it : items) {
    it.size = 4 * (1 + rng() % 16);
    it.first = static_cast<int32_t>(rng() % ops);
    it.last = it.first + static_cast<int32_t>(rng() % 3);
  }
  // One in-place pair when an item starts where another ends.
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (a != b && items[b].first == items[a].last && items[a].overlap_with < 0 &&
          items[b].overlap_with < 0 && rng() % 2 == 0) {
        items[b].overlap_with = a;
        items[b].gap = 4 * (rng() % 2);
      }
  return items;
}

TEST(ExactPlanTest, MatchesBruteForceOnRandomSmallGraphs) {
  std::mt19937 rng(7);
  int improved = 0, equal = 0;
  for (int trial = 0; trial < 300; ++trial) {
    auto items = RandomItems(rng, 2 + static_cast<int>(rng() % 5), 6);
    // Start from a deliberately poor valid plan: everything stacked.
    uint32_t off = 0;
    for (auto& it : items) {
      it.offset = off;
      off += it.size;
    }
    const uint32_t want = BruteForce(items);
    ExactPlan r = PlanExact(items, 10'000'000);
    ASSERT_TRUE(r.proven) << trial;
    EXPECT_LE(r.bytes, want) << trial;
    equal += r.bytes == want;
    EXPECT_EQ(Peak(items), r.bytes) << trial;
    int a = 0, b = 0;
    EXPECT_TRUE(micro::PlanValid(items.data(), static_cast<int>(items.size()), &a, &b))
        << trial << ": items " << a << " and " << b;
    improved += r.improved;
  }
  EXPECT_GT(improved, 100);  // the stacked start is rarely optimal
  EXPECT_GT(equal, 250);     // and the best greedy order usually is
}

TEST(ExactPlanTest, NodeLimitKeepsAValidPlanAndSaysNotProven) {
  std::mt19937 rng(3);
  auto items = RandomItems(rng, 40, 20);
  uint32_t off = 0;
  for (auto& it : items) {
    it.offset = off;
    off += it.size;
  }
  ExactPlan r = PlanExact(items, 1000);
  EXPECT_FALSE(r.proven);
  EXPECT_LE(r.bytes, off);
  int a = 0, b = 0;
  EXPECT_TRUE(micro::PlanValid(items.data(), static_cast<int>(items.size()), &a, &b));
}

}  // namespace
}  // namespace mote::host
