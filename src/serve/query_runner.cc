#include "serve/query_runner.h"

#include <exception>
#include <type_traits>

namespace kappa::serve {
namespace {

// Runs fn() on `pool`; the awaiting coroutine resumes on its executor.
// Everything the posted work touches lives in this coroutine's frame, which
// stays put until it resumes; lambdas that take part in a co_await
// expression capture only pointers, because g++ 12 may destroy such
// temporaries twice.
template <typename Fn>
Awaitable<std::invoke_result_t<Fn>> OnPool(asio::thread_pool& pool, Fn fn) {
  using T = std::invoke_result_t<Fn>;
  Fn* job = &fn;
  auto start = [&pool, job](auto done) {
    asio::post(pool, [job, done = std::move(done)]() mutable { done((*job)()); });
  };
  co_return co_await AwaitCallback<T>(start);
}

// A service must not throw; if it does, the query fails instead of the server.
template <typename T, typename Fn>
Result<T> Guarded(Fn fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Internal("query service failed: {}", e.what());
  }
}

}  // namespace

Status QueriesUnavailable() {
  return Unimplemented("queries are not available: this server has no query engine yet");
}

QueryRunner::QueryRunner(QueryService* service, size_t threads)
    : service_(service), pool_(threads) {}

QueryRunner::~QueryRunner() { pool_.join(); }

Awaitable<Result<QueryResult>> QueryRunner::Execute(std::string sql, QueryOptions options) {
  if (service_ == nullptr) co_return QueriesUnavailable();
  QueryService* service = service_;
  auto job = [service, &sql, &options] {
    return Guarded<QueryResult>([&] { return service->Execute(sql, options); });
  };
  co_return co_await OnPool(pool_, job);
}

Awaitable<Result<CatalogListing>> QueryRunner::ListCatalog() {
  if (service_ == nullptr) co_return CatalogListing{};
  QueryService* service = service_;
  auto job = [service] { return Guarded<CatalogListing>([&] { return service->ListCatalog(); }); };
  co_return co_await OnPool(pool_, job);
}

}  // namespace kappa::serve
