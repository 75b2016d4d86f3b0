#include "host/train/parallel.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace mote::train {
namespace {

// A fixed pool: worker t runs chunks t+1, t+1+T, ...; the caller runs chunks
// 0, T, 2T, ... Which thread runs a chunk never changes a result.
class Pool {
 public:
  ~Pool() { Resize(1); }
  void Resize(int n) {
    if (n < 1) n = 1;
    if (n == threads_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      ++generation_;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_ = false;
    threads_ = n;
    const uint64_t start = generation_;  // workers wait for the next Run
    for (int t = 1; t < n; ++t) workers_.emplace_back([this, t, start] { Worker(t, start); });
  }
  int threads() const { return threads_; }

  void Run(int chunks, const std::function<void(int)>& fn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      chunks_ = chunks;
      pending_ = threads_ - 1;
      ++generation_;
    }
    cv_.notify_all();
    for (int c = 0; c < chunks; c += threads_) fn(c);
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_ == 0; });
    fn_ = nullptr;
  }

 private:
  void Worker(int t, uint64_t seen) {
    for (;;) {
      const std::function<void(int)>* fn;
      int chunks;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stop_) return;
        fn = fn_;
        chunks = chunks_;
      }
      for (int c = t; c < chunks; c += threads_) (*fn)(c);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --pending_;
      }
      done_cv_.notify_one();
    }
  }

  int threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  uint64_t generation_ = 0;
  bool stop_ = false;
  const std::function<void(int)>* fn_ = nullptr;
  int chunks_ = 0;
  int pending_ = 0;
};

Pool& GetPool() {
  static Pool pool;
  return pool;
}

}  // namespace

void SetThreads(int n) { GetPool().Resize(n); }
int Threads() { return GetPool().threads(); }

namespace {
size_t min_parallel_work = 20000;
}  // namespace

void SetParallelThreshold(size_t work) { min_parallel_work = work; }

void ParallelFor(int chunks, size_t work, const std::function<void(int)>& fn) {
  Pool& pool = GetPool();
  if (pool.threads() == 1 || chunks < 2 || work < min_parallel_work) {
    for (int c = 0; c < chunks; ++c) fn(c);
    return;
  }
  pool.Run(chunks, fn);
}

}  // namespace mote::train
