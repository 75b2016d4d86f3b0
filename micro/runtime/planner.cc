#include "micro/runtime/planner.h"

namespace mote::micro {
namespace {

bool LifetimesOverlap(const PlanItem& a, const PlanItem& b) {
  return !(a.last < b.first || b.last < a.first);
}

}  // namespace

bool PlanCollides(const PlanItem* items, int ia, int ib, uint32_t offset, uint32_t* next) {
  const PlanItem& a = items[ia];
  const PlanItem& b = items[ib];
  if (!LifetimesOverlap(a, b)) return false;
  if (!(offset < b.offset + b.size && b.offset < offset + a.size)) return false;
  if (a.overlap_with == ib) {  // a writes over its input b
    if (offset + a.gap <= b.offset) return false;
    *next = b.offset + b.size;
    return true;
  }
  if (b.overlap_with == ia) {  // b writes over a, its input
    if (b.offset + b.gap <= offset) return false;
    *next = b.offset + (b.gap < b.size ? b.gap : b.size);
    return true;
  }
  *next = b.offset + b.size;
  return true;
}

namespace {

uint32_t Degree(const PlanItem* items, int n, int i) {
  uint32_t d = 0;
  for (int j = 0; j < n; ++j)
    if (j != i && LifetimesOverlap(items[i], items[j])) ++d;
  return d;
}

// True if item x goes before item y in order `how`.
bool Before(const PlanItem& x, const PlanItem& y, uint32_t dx, uint32_t dy, PlanOrder how) {
  const uint64_t ax = uint64_t{x.size} * static_cast<uint32_t>(x.last - x.first + 1);
  const uint64_t ay = uint64_t{y.size} * static_cast<uint32_t>(y.last - y.first + 1);
  switch (how) {
    case PlanOrder::kFirstUse:
      if (x.first != y.first) return x.first < y.first;
      break;
    case PlanOrder::kReverseUse:
      if (x.last != y.last) return x.last > y.last;
      if (x.first != y.first) return x.first > y.first;
      break;
    case PlanOrder::kArea:
      if (ax != ay) return ax > ay;
      break;
    case PlanOrder::kConflictDegree:
      if (dx != dy) return dx > dy;
      break;
    default:
      break;
  }
  if (x.size != y.size) return x.size > y.size;
  return x.first < y.first;
}

}  // namespace

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

uint32_t PlanGreedy(PlanItem* items, int n, uint16_t* order, uint32_t align, PlanOrder how) {
  // Conflict degrees are parked in `offset` while sorting (offset is output).
  for (int i = 0; i < n; ++i)
    items[i].offset = how == PlanOrder::kConflictDegree ? Degree(items, n, i) : 0;
  for (int i = 0; i < n; ++i) {  // insertion sort of indices
    int j = i;
    while (j > 0 && Before(items[i], items[order[j - 1]], items[i].offset,
                           items[order[j - 1]].offset, how)) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = static_cast<uint16_t>(i);
  }
  uint32_t total = 0;
  for (int k = 0; k < n; ++k) {
    const int ia = order[k];
    uint32_t offset = 0;
    // Move past each collision; the scan only rises, and every skipped
    // offset collides with the item that caused the jump.
    bool moved = true;
    while (moved) {
      moved = false;
      for (int m = 0; m < k; ++m) {
        uint32_t next;
        if (PlanCollides(items, ia, order[m], offset, &next)) {
          offset = (next + align - 1) / align * align;
          moved = true;
        }
      }
    }
    items[ia].offset = offset;
    if (offset + items[ia].size > total) total = offset + items[ia].size;
  }
  return total;
}

bool PlanValid(const PlanItem* items, int n, int* a, int* b) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      uint32_t next;
      if (i != j && PlanCollides(items, i, j, items[i].offset, &next)) {
        *a = i;
        *b = j;
        return false;
      }
    }
  return true;
}

uint32_t PlanBest(PlanItem* items, int n, uint16_t* order, uint32_t* best, uint32_t align) {
  uint32_t best_total = 0;
  for (int h = 0; h < static_cast<int>(PlanOrder::kCount); ++h) {
    const uint32_t total = PlanGreedy(items, n, order, align, static_cast<PlanOrder>(h));
    if (h == 0 || total < best_total) {
      best_total = total;
      for (int i = 0; i < n; ++i) best[i] = items[i].offset;
    }
  }
  for (int i = 0; i < n; ++i) items[i].offset = best[i];
  return best_total;
}

}  // namespace mote::micro
