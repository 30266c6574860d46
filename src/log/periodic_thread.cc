#include "log/periodic_thread.h"

namespace kappa::log {

PeriodicThread::PeriodicThread(std::chrono::milliseconds interval, std::function<void()> fn)
    : interval_(interval), fn_(std::move(fn)), thread_([this] { Loop(); }) {}

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PeriodicThread::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto next = std::chrono::steady_clock::now() + interval_;
    lock.unlock();
    fn_();
    lock.lock();
    cv_.wait_until(lock, next, [this] { return stop_; });
  }
}

}  // namespace kappa::log
