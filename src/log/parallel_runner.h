// A fixed set of threads that run one batch of tasks at a time in parallel
// and wait for all of them: the group-commit flusher fsyncs its dirty
// partitions through it, so N partitions cost about one fsync's latency
// instead of N (the file system batches concurrent journal commits).
// ForEach is called from one thread at a time (the flusher).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kappa::log {

class ParallelRunner {
 public:
  // Starts `threads` workers; the caller of ForEach works too.
  explicit ParallelRunner(int threads);
  ~ParallelRunner();
  ParallelRunner(const ParallelRunner&) = delete;
  ParallelRunner& operator=(const ParallelRunner&) = delete;

  // Runs fn(i) for every i in [0, n) and returns when all calls returned.
  void ForEach(size_t n, const std::function<void(size_t)>& fn);

 private:
  void WorkerLoop();
  void Work();

  std::mutex mu_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  bool stop_ = false;
  uint64_t generation_ = 0;  // bumped per ForEach
  size_t busy_ = 0;          // workers not yet done with this generation
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t n_ = 0;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> workers_;  // last: started once the rest exists
};

}  // namespace kappa::log
