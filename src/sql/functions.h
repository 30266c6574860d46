// The binder's function signature table: which scalar and aggregate
// functions Kappa's SQL accepts, the argument types they take, and their
// result types. Resolution canonicalizes spellings into the names listed in
// plan.h (CHARACTER_LENGTH -> CHAR_LENGTH, SUBSTR -> SUBSTRING, LTRIM -> TRIM,
// HOUR(x) -> EXTRACT('HOUR', x), IFNULL -> COALESCE, NOW -> CURRENT_TIMESTAMP,
// CEILING -> CEIL, MOD -> "%") so the engine implements one name per
// function. Errors are plain messages; the binder adds the position.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/plan.h"

namespace kappa::sql {

// A resolved scalar call. `args` may differ from the input (implicit casts,
// unit literals); `type` and `nullable` describe the result.
struct ResolvedCall {
  std::string function;
  std::vector<ExprPtr> args;
  columnar::DataType type;
  bool nullable = true;
};

// Resolves `name` (upper-case, as written) applied to bound `args`.
// Errors: "unsupported function NAME", "function UPPER expects STRING for
// argument 1, found INT", "function SUBSTRING takes 2 to 3 arguments, found 1".
Result<ResolvedCall> ResolveFunction(const std::string& name, std::vector<ExprPtr> args);

// Whether `name` (upper-case) is an aggregate function: COUNT, SUM, AVG, MIN, MAX.
bool IsAggregateFunction(std::string_view name);

// The result type of an aggregate over `args` (COUNT(*) has none), as Flink
// types it: COUNT -> BIGINT NOT NULL; SUM(INT) -> INT, SUM(DECIMAL(p, s)) ->
// DECIMAL(38, s); AVG keeps integer and DOUBLE types, AVG(DECIMAL(p, s)) ->
// DECIMAL(38, max(s, 6)); MIN/MAX keep the type.
Result<AggregateCall> ResolveAggregate(const std::string& name, std::vector<ExprPtr> args,
                                       bool distinct);

}  // namespace kappa::sql
