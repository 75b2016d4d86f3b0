// Activation memory planner: tensor lifetimes in, arena offsets out.
//
// Contract: every item is live over operator indices [first, last]; two items
// whose lifetimes overlap never share bytes. PlanGreedy() places items in
// decreasing size order at the lowest offset that fits (the strategy TFLM's
// greedy planner uses) and returns the bytes needed. No heap: the caller
// passes the items and an index scratch array of the same length.
//
//   PlanItem items[n] = {...};
//   uint16_t order[n];
//   uint32_t bytes = PlanGreedy(items, n, order, 4);
#ifndef MOTE_MICRO_RUNTIME_PLANNER_H_
#define MOTE_MICRO_RUNTIME_PLANNER_H_

#include <stdint.h>

namespace mote::micro {

struct PlanItem {
  uint32_t size = 0;
  int32_t first = 0;
  int32_t last = 0;
  uint32_t offset = 0;  // output
};

// Lower bound: the largest total size of items live at one operator.
uint32_t PlanLowerBound(const PlanItem* items, int n);
uint32_t PlanGreedy(PlanItem* items, int n, uint16_t* order, uint32_t align);

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_PLANNER_H_
