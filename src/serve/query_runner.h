// QueryRunner: how the I/O thread's coroutines call a QueryService. Every
// call runs on a small pool of worker threads (execution blocks), and the
// awaiting coroutine resumes on its own executor with the result. With no
// service, Execute answers kUnimplemented "queries are not available" and
// ListCatalog an empty catalog.
//
// Thread rules: Execute/ListCatalog may be awaited from any coroutine. The
// destructor waits for the calls in flight; destroy the runner before the
// io_context their coroutines resume on.
#pragma once

#include <memory>
#include <string>

#include "base/asio.h"
#include "base/status.h"
#include "serve/query_service.h"

namespace kappa::serve {

class QueryRunner {
 public:
  // `service` may be null; otherwise it must outlive the runner.
  QueryRunner(QueryService* service, size_t threads);
  ~QueryRunner();
  QueryRunner(const QueryRunner&) = delete;
  QueryRunner& operator=(const QueryRunner&) = delete;

  bool available() const { return service_ != nullptr; }
  Awaitable<Result<QueryResult>> Execute(std::string sql, QueryOptions options);
  Awaitable<Result<CatalogListing>> ListCatalog();

 private:
  QueryService* service_;
  asio::thread_pool pool_;
};

// The error a front door gives when the server has no query engine.
Status QueriesUnavailable();

}  // namespace kappa::serve
