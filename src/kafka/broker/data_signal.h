// DataSignal wakes long-polling Fetch requests when records become readable.
// A waiting Fetch arms its own timer (its deadline, or a short re-check
// interval) and registers it; Notify() cancels every registered timer, so
// each waiter wakes and re-reads the high watermarks. Produce calls Notify
// (through NotifyFromAnyThread) once its appended records are durable; the
// re-check interval covers appends from elsewhere (the HTTP API).
//
// Thread rules: Wait/Notify on the io_context's thread only;
// NotifyFromAnyThread may be called from any thread (the log's flusher).
#pragma once

#include <chrono>
#include <memory>
#include <set>

#include "base/asio.h"

namespace kappa::kafka {

class DataSignal : public std::enable_shared_from_this<DataSignal> {
 public:
  explicit DataSignal(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  // Suspends until Notify() or until `until`, whichever comes first.
  Awaitable<void> Wait(std::chrono::steady_clock::time_point until);
  void Notify();
  void NotifyFromAnyThread();

 private:
  asio::any_io_executor executor_;
  std::set<asio::steady_timer*> waiting_;
};

}  // namespace kappa::kafka
