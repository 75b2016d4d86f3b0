#include "host/plan/exact_plan.h"

#include <algorithm>

namespace mote::host {
namespace {

using micro::PlanItem;

class Search {
 public:
  Search(std::vector<PlanItem>& items, uint64_t limit)
      : items_(items), limit_(limit), placed_(items.size(), false) {}

  ExactPlan Run() {
    ExactPlan r;
    for (const auto& it : items_) best_ = std::max(best_, it.offset + it.size);
    best_offsets_.resize(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) best_offsets_[i] = items_[i].offset;
    r.bytes = best_;
    Dfs(0, 0, -1, 0);
    for (size_t i = 0; i < items_.size(); ++i) items_[i].offset = best_offsets_[i];
    r.improved = best_ < r.bytes;
    r.bytes = best_;
    r.proven = nodes_ <= limit_;
    r.nodes = nodes_;
    return r;
  }

 private:
  bool Fits(int i, uint32_t offset) const {
    uint32_t next;
    for (size_t j = 0; j < items_.size(); ++j)
      if (placed_[j] && micro::PlanCollides(items_.data(), i, static_cast<int>(j), offset, &next))
        return false;
    return true;
  }

  bool RestsOnOutput(int i, uint32_t offset) const {
    for (size_t j = 0; j < items_.size(); ++j)
      if (placed_[j] && items_[j].overlap_with == i && items_[j].offset + items_[j].gap == offset)
        return true;
    return false;
  }

  // Offsets item i may rest on, given the placed items, ascending.
  std::vector<uint32_t> Candidates(int i, uint32_t from) const {
    std::vector<uint32_t> c = {0};
    const PlanItem& a = items_[i];
    for (size_t j = 0; j < items_.size(); ++j) {
      if (!placed_[j]) continue;
      const PlanItem& b = items_[j];
      if (a.last < b.first || b.last < a.first) continue;
      c.push_back(b.offset + b.size);
      if (b.overlap_with == i) c.push_back(b.offset + b.gap);
    }
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    c.erase(c.begin(), std::lower_bound(c.begin(), c.end(), from));
    return c;
  }

  void Dfs(size_t depth, uint32_t last_offset, int last_index, uint32_t peak) {
    if (++nodes_ > limit_) return;
    if (depth == items_.size()) {
      best_ = peak;  // strictly smaller, or the branch was pruned
      for (size_t i = 0; i < items_.size(); ++i) best_offsets_[i] = items_[i].offset;
      return;
    }
    for (size_t i = 0; i < items_.size() && nodes_ <= limit_; ++i) {
      if (placed_[i]) continue;
      const int ii = static_cast<int>(i);
      for (uint32_t c : Candidates(ii, last_offset)) {
        const uint32_t top = std::max(peak, c + items_[i].size);
        if (top >= best_) break;  // later candidates are higher still
        // Items at one offset are placed in index order, except an in-place
        // input resting on its output (gap 0), which follows the output.
        if (c == last_offset && ii < last_index && !RestsOnOutput(ii, c)) continue;
        if (!Fits(ii, c)) continue;
        items_[i].offset = c;
        placed_[i] = true;
        Dfs(depth + 1, c, ii, top);
        placed_[i] = false;
      }
    }
  }

  std::vector<PlanItem>& items_;
  uint64_t limit_;
  std::vector<bool> placed_;
  std::vector<uint32_t> best_offsets_;
  uint32_t best_ = 0;
  uint64_t nodes_ = 0;
};

}  // namespace

ExactPlan PlanExact(std::vector<micro::PlanItem>& items, uint64_t node_limit) {
  return Search(items, node_limit).Run();
}

}  // namespace mote::host
