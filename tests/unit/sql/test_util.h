// Helpers for the SQL front end's unit tests: compile a query over a fixed
// table `t` with one column of every type, and return its type, plan or error.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sql/compile.h"

namespace kappa::sql::testing {

inline constexpr const char* kTableT =
    "CREATE TABLE t (i INT, b BIGINT, d DECIMAL(10, 2), e DECIMAL(18, 4), x DOUBLE, s STRING, "
    "ts TIMESTAMP(3), lts TIMESTAMP_LTZ(3), dt DATE, ok BOOLEAN, "
    "r ROW<a INT, n ROW<c STRING>>) WITH ('connector' = 'kafka', 'topic' = 't');\n";

inline const Catalog& EmptyCatalog() {
  static const MemoryCatalog* catalog = new MemoryCatalog();
  return *catalog;
}

// "TYPE" (with " NOT NULL" when not nullable) of `expr` selected from t.
inline std::string TypeOf(const std::string& expr) {
  auto q = CompileQuery(std::string(kTableT) + "SELECT " + expr + " FROM t", EmptyCatalog());
  if (!q.ok()) return "error: " + std::string(q.status().message());
  const columnar::Field& f = q->schema.field(0);
  return f.type.ToString() + (f.nullable ? "" : " NOT NULL");
}

// The plan of a bounded query (after kTableT), or the error.
inline std::string QueryPlan(const std::string& sql) {
  auto q = CompileQuery(std::string(kTableT) + sql, EmptyCatalog());
  if (!q.ok()) return "error: " + std::string(q.status().message());
  return q->plan->ToString();
}

// The error message of a bounded query whose text is exactly `sql`.
inline std::string QueryError(const std::string& sql) {
  auto q = CompileQuery(sql, EmptyCatalog());
  if (q.ok()) return "no error; plan:\n" + q->plan->ToString();
  return std::string(q.status().message());
}

inline std::string PipelinePlan(const std::string& sql) {
  auto p = CompilePipeline(sql, nullptr);
  if (!p.ok()) return "error: " + std::string(p.status().message());
  return ExplainPipeline(*p);
}

inline std::string PipelineError(const std::string& sql) {
  auto p = CompilePipeline(sql, nullptr);
  if (p.ok()) return "no error; plan:\n" + ExplainPipeline(*p);
  return std::string(p.status().message());
}

}  // namespace kappa::sql::testing
