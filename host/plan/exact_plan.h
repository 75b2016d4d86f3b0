// Exact activation placement for small graphs: branch and bound.
//
// Any plan can be compacted downwards until every item rests on offset 0, on
// the end of an item live at the same time, or (an in-place input) at its
// output's offset + gap; so some optimal plan places items in non-decreasing
// offset order, each at one of those candidate offsets. The search walks
// those placements depth first, cheapest candidate first, and prunes any
// branch whose peak reaches the best plan so far. It starts from a known plan
// (the device planner's) and stops after `node_limit` search nodes; `proven`
// says whether it finished (then the result is optimal for these items).
//
//   std::vector<micro::PlanItem> items = ...;      // offsets of a valid plan
//   ExactPlan r = PlanExact(items, 2'000'000);
//   if (r.bytes < heuristic) use items[i].offset (updated in place)
#ifndef MOTE_HOST_PLAN_EXACT_PLAN_H_
#define MOTE_HOST_PLAN_EXACT_PLAN_H_

#include <cstdint>
#include <vector>

#include "micro/runtime/planner.h"

namespace mote::host {

struct ExactPlan {
  uint32_t bytes = 0;      // peak of the best plan found (max offset + size)
  bool improved = false;   // items' offsets were replaced by a smaller plan
  bool proven = false;     // the search finished: no smaller plan exists
  uint64_t nodes = 0;      // search nodes visited
};

// REQUIRES: items hold a valid plan (PlanValid) whose sizes are multiples of
// the alignment; candidate offsets are ends of items, so they stay aligned.
ExactPlan PlanExact(std::vector<micro::PlanItem>& items, uint64_t node_limit);

}  // namespace mote::host

#endif  // MOTE_HOST_PLAN_EXACT_PLAN_H_
