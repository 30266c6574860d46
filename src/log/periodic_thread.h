// A thread that runs a function every interval until stopped: the Log's
// group-commit flusher and its retention checker. Stop() (or destruction)
// wakes it, waits for a running call to finish and joins. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kappa::log {

class PeriodicThread {
 public:
  // Starts the thread; the first call runs at once.
  PeriodicThread(std::chrono::milliseconds interval, std::function<void()> fn);
  ~PeriodicThread();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Stop();

 private:
  void Loop();

  const std::chrono::milliseconds interval_;
  const std::function<void()> fn_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace kappa::log
