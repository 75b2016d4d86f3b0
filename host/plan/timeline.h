// The memory timeline of a prepared model: where each activation tensor
// lives in the arena and during which operators.
//
//   auto spans = MemoryTimeline(interp);
//   for (auto& s : spans) printf("%u: [%d,%d] @%zu\n", s.tensor, s.first, s.last, s.offset);
#ifndef MOTE_HOST_PLAN_TIMELINE_H_
#define MOTE_HOST_PLAN_TIMELINE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "micro/runtime/interpreter.h"

namespace mote::host {

struct TensorSpan {
  uint32_t tensor = 0;
  uint32_t bytes = 0;
  int32_t first = 0;  // first operator that needs it
  int32_t last = 0;   // last operator that needs it (num_ops: a model output)
  size_t offset = 0;  // in the arena
};

// Every non-constant tensor with data, in tensor order.
std::vector<TensorSpan> MemoryTimeline(micro::Interpreter& interp);

// Bytes of activations live during each operator (sum of spans).
std::vector<uint64_t> LiveBytesPerOp(const std::vector<TensorSpan>& spans, size_t num_ops);

}  // namespace mote::host

#endif  // MOTE_HOST_PLAN_TIMELINE_H_
