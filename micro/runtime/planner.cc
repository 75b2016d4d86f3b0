#include "micro/runtime/planner.h"

namespace mote::micro {

uint32_t PlanLowerBound(const PlanItem* items, int n) {
  uint32_t best = 0;
  for (int i = 0; i < n; ++i) {
    // The peak is reached at the start of some item's lifetime.
    const int32_t t = items[i].first;
    uint32_t live = 0;
    for (int j = 0; j < n; ++j)
      if (items[j].first <= t && t <= items[j].last) live += items[j].size;
    if (live > best) best = live;
  }
  return best;
}

uint32_t PlanGreedy(PlanItem* items, int n, uint16_t* order, uint32_t align) {
  // Insertion sort of indices: size descending, then first use ascending.
  for (int i = 0; i < n; ++i) {
    int j = i;
    while (j > 0) {
      const PlanItem& a = items[order[j - 1]];
      const PlanItem& b = items[i];
      if (a.size > b.size || (a.size == b.size && a.first <= b.first)) break;
      order[j] = order[j - 1];
      --j;
    }
    order[j] = static_cast<uint16_t>(i);
  }
  uint32_t total = 0;
  for (int k = 0; k < n; ++k) {
    PlanItem& it = items[order[k]];
    uint32_t offset = 0;
    // Restart the scan whenever a placed, overlapping item collides.
    bool moved = true;
    while (moved) {
      moved = false;
      for (int m = 0; m < k; ++m) {
        const PlanItem& other = items[order[m]];
        if (other.last < it.first || it.last < other.first) continue;
        if (offset < other.offset + other.size && other.offset < offset + it.size) {
          offset = other.offset + other.size;
          offset = (offset + align - 1) / align * align;
          moved = true;
        }
      }
    }
    it.offset = offset;
    if (offset + it.size > total) total = offset + it.size;
  }
  return total;
}

}  // namespace mote::micro
