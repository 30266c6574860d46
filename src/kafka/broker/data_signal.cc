#include "kafka/broker/data_signal.h"

namespace kappa::kafka {

Awaitable<void> DataSignal::Wait(std::chrono::steady_clock::time_point until) {
  asio::steady_timer timer(executor_, until);
  waiting_.insert(&timer);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  waiting_.erase(&timer);
}

void DataSignal::Notify() {
  for (asio::steady_timer* t : waiting_) t->cancel();
}

void DataSignal::NotifyFromAnyThread() {
  asio::post(executor_, [self = shared_from_this()] { self->Notify(); });
}

}  // namespace kappa::kafka
