#include "host/plan/timing.h"

#include <algorithm>
#include <chrono>

namespace mote::host {

std::vector<double> TimeInvokes(micro::Interpreter& interp, int runs, int warmup) {
  for (int i = 0; i < warmup; ++i) interp.Invoke();
  std::vector<double> us;
  us.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    interp.Invoke();
    const auto t1 = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(us.begin(), us.end());
  return us;
}

}  // namespace mote::host
