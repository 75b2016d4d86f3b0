// Host wall-clock timing of whole invokes (benchmarks, `mote run --bench`).
//
//   auto us = TimeInvokes(interp, /*runs=*/50, /*warmup=*/5);  // sorted
//   double median = us[us.size() / 2];
#ifndef MOTE_HOST_PLAN_TIMING_H_
#define MOTE_HOST_PLAN_TIMING_H_

#include <vector>

#include "micro/runtime/interpreter.h"

namespace mote::host {

// `warmup` untimed invokes, then `runs` timed ones; microseconds, ascending.
std::vector<double> TimeInvokes(micro::Interpreter& interp, int runs, int warmup);

}  // namespace mote::host

#endif  // MOTE_HOST_PLAN_TIMING_H_
