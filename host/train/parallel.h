// Deterministic data parallelism for training.
//
// Work is cut into a number of chunks that depends only on the problem
// (ChunkCount(batch)), never on the thread count; each chunk writes its own
// partial results (e.g. its own gradient buffer) and the caller reduces the
// partials in chunk order. So 1, 2 or N threads give the same bytes.
//
//   SetThreads(2);
//   ParallelFor(ChunkCount(n), work_estimate, [&](int chunk) { ... });
#ifndef MOTE_HOST_TRAIN_PARALLEL_H_
#define MOTE_HOST_TRAIN_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace mote::train {

// Threads used by ParallelFor (>= 1). Default: 1. Not thread-safe to change
// while a ParallelFor is running.
void SetThreads(int n);
int Threads();

// Chunks for a batch of n items: min(n, 8). Fixed, thread-count independent.
inline int ChunkCount(int n) { return n < 8 ? (n < 1 ? 1 : n) : 8; }
// Items [begin, end) of chunk c out of `chunks` for n items.
inline void ChunkRange(int n, int chunks, int c, int* begin, int* end) {
  *begin = static_cast<int>(static_cast<long long>(n) * c / chunks);
  *end = static_cast<int>(static_cast<long long>(n) * (c + 1) / chunks);
}

// Runs fn(0..chunks-1), on up to Threads() threads when `work` (a rough
// count of multiply-adds) is large enough to pay for the hand-off; else inline.
// Smallest `work` that ParallelFor spreads over threads (default 20000);
// tests lower it to 0 to exercise the pool on small problems.
void SetParallelThreshold(size_t work);

void ParallelFor(int chunks, size_t work, const std::function<void(int)>& fn);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_PARALLEL_H_
