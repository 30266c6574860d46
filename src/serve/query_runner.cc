#include "serve/query_runner.h"

#include <exception>
#include <type_traits>

namespace kappa::serve {
namespace {

// Runs fn() on `pool`; the awaiting coroutine resumes on its executor.
template <typename Fn>
Awaitable<std::invoke_result_t<Fn>> OnPool(asio::thread_pool& pool, Fn fn) {
  using T = std::invoke_result_t<Fn>;
  co_return co_await AwaitCallback<T>([&pool, fn = std::move(fn)](auto done) mutable {
    asio::post(pool, [fn = std::move(fn), done = std::move(done)]() mutable { done(fn()); });
  });
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
  co_return co_await OnPool(pool_, [service, sql = std::move(sql), options = std::move(options)] {
    return Guarded<QueryResult>([&] { return service->Execute(sql, options); });
  });
}

Awaitable<Result<CatalogListing>> QueryRunner::ListCatalog() {
  if (service_ == nullptr) co_return CatalogListing{};
  QueryService* service = service_;
  co_return co_await OnPool(pool_, [service] {
    return Guarded<CatalogListing>([&] { return service->ListCatalog(); });
  });
}

}  // namespace kappa::serve
