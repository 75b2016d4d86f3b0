#include "host/plan/timeline.h"

namespace mote::host {

std::vector<TensorSpan> MemoryTimeline(micro::Interpreter& interp) {
  std::vector<TensorSpan> spans;
  for (uint32_t t = 0; t < interp.num_tensors(); ++t) {
    const micro::Tensor& tr = interp.tensor(t);
    if (tr.is_const || tr.bytes == 0) continue;
    TensorSpan s;
    s.tensor = t;
    s.bytes = tr.bytes;
    interp.Lifetime(t, &s.first, &s.last);
    if (s.first < 0) continue;
    s.offset = interp.ArenaOffset(tr);
    spans.push_back(s);
  }
  return spans;
}

std::vector<uint64_t> LiveBytesPerOp(const std::vector<TensorSpan>& spans, size_t num_ops) {
  std::vector<uint64_t> live(num_ops + 1, 0);
  for (const auto& s : spans)
    for (int32_t k = s.first; k <= s.last && k <= static_cast<int32_t>(num_ops); ++k)
      live[k] += s.bytes;
  return live;
}

}  // namespace mote::host
