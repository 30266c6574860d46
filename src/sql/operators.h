// Typing of SQL operators over bound expressions: comparisons, arithmetic
// (with Flink's DECIMAL rules), logic, and the implicit casts they insert so
// that both operands of a comparison have one type and arithmetic operands
// are both DOUBLE, both the same integer type, or both DECIMAL. Errors are
// plain messages ("cannot compare STRING and INT"); the binder adds the
// position. Thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "sql/plan.h"

namespace kappa::sql {

// op: "=", "<>", "<", "<=", ">", ">=". A STRING literal compared with a
// DATE/TIMESTAMP is parsed as one.
Result<ExprPtr> MakeComparison(const std::string& op, ExprPtr a, ExprPtr b, std::string text);
// op: "+", "-", "*", "/", "%"; also TIMESTAMP/DATE +- INTERVAL.
Result<ExprPtr> MakeArithmetic(const std::string& op, ExprPtr a, ExprPtr b, std::string text);
Result<ExprPtr> MakeNegate(ExprPtr a, std::string text);
// op: "AND", "OR" (both BOOLEAN), "NOT" (b null).
Result<ExprPtr> MakeLogical(const std::string& op, ExprPtr a, ExprPtr b, std::string text);
// Casts every expression to their common type; `what` names them in the
// error ("CASE branches have incompatible types STRING and INT").
Status Unify(std::vector<ExprPtr*> exprs, const std::string& what);

}  // namespace kappa::sql
