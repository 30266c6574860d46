// The one place Kappa includes Boost.Asio and Beast. Debian 12's Boost 1.74
// uses std::exchange in asio/awaitable.hpp without including <utility>, so
// <utility> comes first. Also the awaitable helpers used by kafka/ and serve/.
// Only serve/ opens sockets; kafka/ uses timers and executors.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/redirect_error.hpp>

#include <functional>
#include <memory>

namespace kappa {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

template <typename T>
using Awaitable = asio::awaitable<T>;

// Runs `start(done)` where start registers `done` with some other thread's
// callback mechanism (e.g. Partition::OnDurable); resumes the coroutine on
// its executor with the value passed to done.
template <typename T, typename Start>
Awaitable<T> AwaitCallback(Start start) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(T)>(
      [ex, start = std::move(start)](auto handler) mutable {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        start([ex, shared](T value) {
          asio::post(ex, [shared, value = std::move(value)]() mutable {
            (*shared)(std::move(value));
          });
        });
      },
      asio::use_awaitable);
}

}  // namespace kappa
