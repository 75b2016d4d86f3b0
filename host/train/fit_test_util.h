// Test helper for thread-count independence: fits a model with every loop
// split over `threads` threads (parallel threshold 0), puts the defaults back
// (1 thread, threshold 20000) and returns all parameter values, layer by
// layer, for a byte comparison between thread counts.
#ifndef MOTE_HOST_TRAIN_FIT_TEST_UTIL_H_
#define MOTE_HOST_TRAIN_FIT_TEST_UTIL_H_

#include <vector>

#include "host/train/model.h"
#include "host/train/parallel.h"

namespace mote::train {

inline std::vector<float> FitOnThreads(Sequential& m, const Tensor& x, const Tensor& y,
                                       const FitOptions& o, int threads) {
  SetThreads(threads);
  SetParallelThreshold(0);
  m.Fit(x, y, o);
  SetThreads(1);
  SetParallelThreshold(20000);
  std::vector<float> w;
  for (auto& l : m.layers())
    for (Param& p : l->params()) w.insert(w.end(), p.value.begin(), p.value.end());
  return w;
}

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_FIT_TEST_UTIL_H_
