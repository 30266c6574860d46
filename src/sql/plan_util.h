// Helpers over bound expressions and plans used by the binder: node
// constructors that fill in the output schema and the streaming properties
// (updates, unique_key), and analyses that the binder needs but the plan does
// not store (which columns are time attributes or window bounds).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sql/plan.h"

namespace kappa::sql {

// A canonical string of an expression's structure: equal fingerprints mean
// equal expressions (used to match SELECT expressions with GROUP BY keys).
std::string Fingerprint(const Expr& e);
// Whether `e` reads any input column.
bool ReadsColumns(const Expr& e);
// Appends the input columns `e` reads to `out`.
void CollectColumns(const Expr& e, std::vector<int>* out);
// `e` with every column index i replaced by mapping[i] (REQUIRES: >= 0).
ExprPtr RemapColumns(const ExprPtr& e, const std::vector<int>& mapping);
// The conjuncts of an AND tree, and their conjunction (null when empty).
std::vector<ExprPtr> SplitConjuncts(const ExprPtr& e);
ExprPtr Conjunction(const std::vector<ExprPtr>& conjuncts);

// Per output column: kNone, or a rowtime (event time with a watermark) or
// proctime attribute, derived by walking the plan as Flink propagates them.
enum class TimeAttribute : uint8_t { kNone, kRowtime, kProctime };
std::vector<TimeAttribute> TimeAttributes(const Plan& plan);

// Per output column: whether it is window_start / window_end / window_time of
// a window TVF below, reached through projections and filters only, or the
// window bounds a window aggregate below grouped by (kCascaded*: a GROUP BY
// of both makes a cascaded window aggregate, as in Flink).
enum class WindowRole : uint8_t { kNone, kStart, kEnd, kTime, kCascadedStart, kCascadedEnd };
std::vector<WindowRole> WindowRoles(const Plan& plan);

// Node constructors. Schemas are derived; `updates` is inherited from the
// inputs (the binder sets it for aggregates, joins and ranks).
PlanPtr MakeProject(const PlanPtr& input, std::vector<ExprPtr> exprs,
                    const std::vector<std::string>& names);
PlanPtr MakeFilter(const PlanPtr& input, ExprPtr predicate);
// A projection that keeps the first `count` columns of `input`.
PlanPtr MakeTrim(const PlanPtr& input, size_t count);

// Flink's names for unnamed select items.
std::string DefaultName(size_t index);
// `names` made unique as Calcite does: a repeated "id" becomes "id0", "id1".
std::vector<std::string> UniqueNames(std::vector<std::string> names);

}  // namespace kappa::sql
