// The SQL front end's entry points. CompilePipeline binds a pipeline file
// (CREATE TABLE / CREATE VIEW / SET / INSERT INTO statements) in streaming
// mode; CompileQuery binds one bounded SELECT (optionally after CREATE TABLE
// / VIEW statements, and optionally under EXPLAIN). Errors name the line and
// column with a caret (source_error.h). Stateless; thread-safe as long as
// the catalogs are.
//
// Time travel in a bounded query is carried by the scan's TableDef copy:
// FOR VERSION AS OF n sets option "snapshot-id" = n; FOR SYSTEM_TIME AS OF
// TIMESTAMP '...' sets "as-of-timestamp" = epoch milliseconds (the literal
// read as UTC). The table module reads them when it opens the scan.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "sql/catalog.h"
#include "sql/plan.h"

namespace kappa::sql {

struct BoundQuery {
  PlanPtr plan;
  columnar::Schema schema;   // result columns, named as Flink names them (EXPR$0 ...)
  bool explain = false;      // EXPLAIN: return `explain_text` instead of running
  std::string explain_text;
};

// `outer` (may be null) answers names the file does not define; it must
// outlive the call only.
Result<Pipeline> CompilePipeline(std::string_view sql, const Catalog* outer);

Result<BoundQuery> CompileQuery(std::string_view sql, const Catalog& catalog);

// EXPLAIN text of a plan: the plan tree, then the result schema.
std::string ExplainPlan(const Plan& plan);
// EXPLAIN text of a pipeline: each INSERT's target and plan.
std::string ExplainPipeline(const Pipeline& pipeline);

}  // namespace kappa::sql
