// Running blocking work (fsyncs, pipeline stops that wait for a checkpoint,
// query execution) off the I/O thread: the coroutine suspends, `fn` runs on
// `pool`, and the coroutine resumes on its own executor with fn's result.
// `pool` must outlive the call.
//
// `fn` stays in this coroutine's frame, which stays put until it resumes;
// the lambdas in the co_await expression capture only pointers, because
// g++ 12 may destroy temporaries of a co_await expression twice. Callers
// likewise pass a named `fn`, not a temporary lambda.
#pragma once

#include <type_traits>
#include <utility>

#include "base/asio.h"

namespace kappa::serve {

template <typename Fn>
Awaitable<std::invoke_result_t<Fn>> RunBlocking(asio::thread_pool& pool, Fn fn) {
  using T = std::invoke_result_t<Fn>;
  Fn* job = &fn;
  auto start = [&pool, job](auto done) {
    asio::post(pool, [job, done = std::move(done)]() mutable { done((*job)()); });
  };
  co_return co_await AwaitCallback<T>(start);
}

}  // namespace kappa::serve
