// Activation memory planner: tensor lifetimes in, arena offsets out.
//
// Contract: every item is live over operator indices [first, last]; two items
// whose lifetimes overlap never share bytes, except an op's output and its
// dying input when the op allows it (see PlanItem::overlap_with). PlanGreedy()
// places items in one order at the lowest offset that fits; PlanBest() tries
// several orders and keeps the smallest. No heap: the caller passes scratch.
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
  uint32_t offset = 0;     // output
  // In-place: this item (an op's output) may overlap item `overlap_with`
  // (that op's input, dead afterwards) when offset + gap <= its offset.
  int32_t overlap_with = -1;
  uint32_t gap = 0;
};

enum class PlanOrder : uint8_t {
  kSizeDesc,       // largest first (TFLM's greedy)
  kFirstUse,       // in execution order
  kReverseUse,     // last op first: in-place outputs land below their inputs
  kArea,           // size x lifetime, largest first
  kConflictDegree, // most simultaneously-live neighbours first
  kCount
};

// Whether placing item `ia` at `offset` collides with placed item `ib`
// (lifetimes and bytes overlap and the in-place rule does not allow it); if
// so, *next is the end of the interval of offsets that collide with ib.
bool PlanCollides(const PlanItem* items, int ia, int ib, uint32_t offset, uint32_t* next);
// Lower bound without in-place sharing: the largest total size of items
// live at one operator.
uint32_t PlanLowerBound(const PlanItem* items, int n);
// Places items in `how` order, each at the lowest aligned offset free of
// conflicts; returns the bytes needed. `order` is scratch of n entries.
uint32_t PlanGreedy(PlanItem* items, int n, uint16_t* order, uint32_t align,
                    PlanOrder how = PlanOrder::kSizeDesc);
// Tries every PlanOrder and keeps the smallest plan (ties: the earlier
// order). `order` and `best` are scratch of n entries each.
// Checks a given plan (e.g. an offline one): false if two items that are
// live together overlap in a way the in-place rules do not allow; *a, *b
// name them.
bool PlanValid(const PlanItem* items, int n, int* a, int* b);
uint32_t PlanBest(PlanItem* items, int n, uint16_t* order, uint32_t* best,
                  uint32_t align);

}  // namespace mote::micro

#endif  // MOTE_MICRO_RUNTIME_PLANNER_H_
