// Helpers for the expression evaluator tests: batches from Values, bound
// expressions, and evaluation to the text of each active row.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "columnar/batch.h"
#include "engine/expr/evaluator.h"
#include "gtest/gtest.h"
#include "sql/plan.h"

namespace kappa::engine::testing {
// An inline namespace of its own: engine_test_util.h (linked into the same
// kappa_engine_tests binary) has `Value Str(std::string)` in this namespace
// too; with the same name and parameters both inline functions would mangle
// alike (the return type is not part of the name) and the linker would keep
// one of them, so Str("a") here returned a Value read as an ExprPtr (crash in
// ExprArithmetic.UnsupportedTypesAreRefusedByName).
inline namespace expr_helpers {

using columnar::Batch;
using columnar::Column;
using columnar::DataType;
using columnar::Value;

inline Batch MakeBatch(const std::vector<std::pair<DataType, std::vector<Value>>>& cols) {
  Batch b;
  b.num_rows = cols.empty() ? 0 : cols[0].second.size();
  for (const auto& [type, values] : cols) {
    auto c = std::make_shared<Column>(type);
    for (const Value& v : values) c->AppendValue(v);
    b.columns.push_back(c);
  }
  return b;
}

inline sql::ExprPtr Col(int i, DataType t) { return sql::ColumnRef(i, std::move(t), "c" + std::to_string(i)); }
inline sql::ExprPtr Lit(Value v) { return sql::Literal(std::move(v)); }
inline sql::ExprPtr Str(std::string s) { return sql::Literal(Value::String(std::move(s))); }
inline sql::ExprPtr Int(int32_t v) { return sql::Literal(Value::Int32(v)); }
inline sql::ExprPtr Dec(const char* text, int p, int s) {
  columnar::Int128 v = 0;
  EXPECT_TRUE(columnar::ParseDecimal(text, s, &v)) << text;
  return sql::Literal(Value::Decimal(v, p, s));
}
inline sql::ExprPtr Fn(std::string name, std::vector<sql::ExprPtr> args, DataType t) {
  std::string text = name;
  return sql::Call(std::move(name), std::move(args), std::move(t), std::move(text));
}
inline Value DecVal(const char* text, int p, int s) {
  columnar::Int128 v = 0;
  EXPECT_TRUE(columnar::ParseDecimal(text, s, &v)) << text;
  return Value::Decimal(v, p, s);
}
inline Value Ts(const char* text) { return Value::Timestamp(*ParseTimestampMillis(text)); }
inline Value Day(const char* text) {
  int32_t d = 0;
  EXPECT_TRUE(columnar::ParseDate(text, &d)) << text;
  return Value::Date(d);
}

// The text of each active row of expr over batch, or the error.
inline Result<std::vector<std::string>> TryEval(const sql::ExprPtr& expr, const Batch& batch) {
  ASSIGN_OR_RETURN(auto compiled, CompiledExpr::Compile(expr));
  ASSIGN_OR_RETURN(columnar::ColumnPtr col, compiled->Eval(batch));
  EXPECT_EQ(col->type(), expr->type) << expr->text;
  EXPECT_EQ(col->size(), batch.num_rows) << expr->text;
  std::vector<std::string> out;
  for (size_t i = 0; i < batch.active_rows(); ++i) out.push_back(col->Get(batch.row(i)).ToString());
  return out;
}

inline std::vector<std::string> Eval(const sql::ExprPtr& expr, const Batch& batch) {
  auto r = TryEval(expr, batch);
  if (!r.ok()) {
    ADD_FAILURE() << expr->text << ": " << r.status();
    return {};
  }
  return *r;
}

// The value of an expression without column references, evaluated over a
// one-row batch.
inline std::string Eval1(const sql::ExprPtr& expr) {
  Batch one;
  one.num_rows = 1;
  std::vector<std::string> r = Eval(expr, one);
  return r.empty() ? "<error>" : r[0];
}

using Texts = std::vector<std::string>;

}  // namespace expr_helpers
}  // namespace kappa::engine::testing
