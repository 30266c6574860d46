// The function registry's builders, one per family of functions (one .cc
// each). A builder receives the bound call (sql/plan.h conventions: name,
// argument and result types) and its compiled arguments, checks the argument
// types, inserts the casts the kernel needs, and returns the kernel or
// "unsupported function NAME(TYPES)".
#pragma once

#include <vector>

#include "engine/expr/kernel.h"
#include "sql/plan.h"

namespace kappa::engine {

using KernelFactory = Result<KernelPtr> (*)(const sql::Expr& expr, std::vector<KernelPtr> args);

// "+", "-", "*", "/", "%", "MOD", "NEGATE" on numbers, and timestamp/date/
// interval arithmetic.
Result<KernelPtr> MakeArithmetic(const sql::Expr& expr, std::vector<KernelPtr> args);
// "=", "<>", "<", "<=", ">", ">=".
Result<KernelPtr> MakeComparison(const sql::Expr& expr, std::vector<KernelPtr> args);
// "IN".
Result<KernelPtr> MakeIn(const sql::Expr& expr, std::vector<KernelPtr> args);
// "AND", "OR", "NOT".
Result<KernelPtr> MakeLogic(const sql::Expr& expr, std::vector<KernelPtr> args);
// "IS NULL", "IS NOT NULL", "IS TRUE", "IS FALSE", "IS NOT TRUE", "IS NOT FALSE".
Result<KernelPtr> MakeNullTest(const sql::Expr& expr, std::vector<KernelPtr> args);
// "CASE", "COALESCE".
Result<KernelPtr> MakeCase(const sql::Expr& expr, std::vector<KernelPtr> args);
Result<KernelPtr> MakeCoalesce(const sql::Expr& expr, std::vector<KernelPtr> args);
// "CAST".
Result<KernelPtr> MakeCast(const sql::Expr& expr, std::vector<KernelPtr> args);
// "UPPER", "LOWER", "SUBSTRING", "CONCAT", "TRIM", "CHAR_LENGTH".
Result<KernelPtr> MakeStringFunction(const sql::Expr& expr, std::vector<KernelPtr> args);
// "LIKE".
Result<KernelPtr> MakeLike(const sql::Expr& expr, std::vector<KernelPtr> args);
// "DATE_FORMAT", "EXTRACT", "FLOOR_TO", "CEIL_TO", "TO_TIMESTAMP",
// "UNIX_TIMESTAMP", "CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP", "CURRENT_DATE".
Result<KernelPtr> MakeTimeFunction(const sql::Expr& expr, std::vector<KernelPtr> args);
// "ABS", "ROUND", "FLOOR", "CEIL", "POWER", "SQRT", "LN", "LOG10", "EXP".
Result<KernelPtr> MakeMathFunction(const sql::Expr& expr, std::vector<KernelPtr> args);

// `arg` converted to `to` with CAST semantics (itself when already of that
// type; a literal when `arg` is constant and the cast succeeds).
Result<KernelPtr> CastTo(KernelPtr arg, const DataType& to);
// The type two operands are compared or merged in: numbers widen (INT <
// BIGINT < DECIMAL < DOUBLE), DATE widens to TIMESTAMP, a NULL type takes the
// other's, a STRING compared with a number or time is cast to it.
Result<DataType> CommonType(const DataType& a, const DataType& b);

// The value of a constant STRING argument (units, TRIM modes, patterns), or
// an error naming what was expected.
Result<std::string> ConstantString(const Kernel& arg, std::string_view what);

}  // namespace kappa::engine
