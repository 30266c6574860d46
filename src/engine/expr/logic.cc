// Three-valued logic (AND, OR, NOT), the null tests (IS [NOT] NULL/TRUE/
// FALSE), CASE and COALESCE. AND/OR evaluate their right side only on rows
// the left side does not decide, and as filters they narrow the selection
// (AND) or select the rest (OR); CASE evaluates each branch only on the rows
// that reach it and COALESCE each argument only on rows still NULL, so a
// guarded expression (CASE WHEN b <> 0 THEN a / b END) raises no error, as in
// Flink's generated code.
#include <algorithm>

#include "engine/expr/functions.h"
#include "engine/expr/unary.h"

namespace kappa::engine {
namespace {

uint8_t BoolAt(const Datum& d, uint32_t i) {
  return d.column ? d.column->values<uint8_t>()[i] : (d.scalar.boolean() ? 1 : 0);
}

// AND (dominant FALSE) and OR (dominant TRUE).
class LogicKernel final : public Kernel {
 public:
  LogicKernel(bool is_and, KernelPtr a, KernelPtr b)
      : Kernel(DataType::Boolean()), dom_(is_and ? 0 : 1), a_(std::move(a)), b_(std::move(b)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum a, a_->Evaluate(batch, rows));
    if (a.is_constant()) {
      if (!a.scalar.is_null() && BoolAt(a, 0) == dom_) return Datum::Constant(Value::Boolean(dom_));
      ASSIGN_OR_RETURN(Datum b, b_->Evaluate(batch, rows));
      if (!a.scalar.is_null()) return b;  // the identity element
      if (b.is_constant()) return Combine(a, b, RowSet::All(1), 1, true);
      return Combine(a, b, rows, batch.num_rows, false);
    }
    // Rows the left side does not decide.
    std::vector<uint32_t> need;
    need.reserve(rows.size);
    ForEachRow(rows, [&](uint32_t i) {
      if (a.IsNull(i) || BoolAt(a, i) != dom_) need.push_back(i);
    });
    Datum b = Datum::Constant(Value::Boolean(dom_));
    if (!need.empty()) {
      RowSet brows = need.size() == rows.size ? rows : RowSet::Of(need);
      ASSIGN_OR_RETURN(b, b_->Evaluate(batch, brows));
    }
    return Combine(a, b, rows, batch.num_rows, false);
  }

  Result<std::vector<uint32_t>> Select(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(std::vector<uint32_t> left, a_->Select(batch, rows));
    if (dom_ == 0) {  // AND: the right side filters what the left kept
      if (left.empty()) return left;
      return b_->Select(batch, left.size() == rows.size ? rows : RowSet::Of(left));
    }
    if (left.size() == rows.size) return left;  // OR: the right side sees the rest
    std::vector<uint32_t> rest = Difference(rows, left);
    ASSIGN_OR_RETURN(std::vector<uint32_t> right, b_->Select(batch, RowSet::Of(rest)));
    std::vector<uint32_t> out(left.size() + right.size());
    std::merge(left.begin(), left.end(), right.begin(), right.end(), out.begin());
    return out;
  }

 private:
  Datum Combine(const Datum& a, const Datum& b, RowSet rows, size_t n, bool constant) const {
    auto out = NewColumn<uint8_t>(type(), n);
    uint8_t* dst = out->mutable_values<uint8_t>().data();
    std::vector<uint8_t> nulls;
    ForEachRow(rows, [&](uint32_t i) {
      bool an = a.IsNull(i);
      if (!an && BoolAt(a, i) == dom_) {
        dst[i] = dom_;
        return;
      }
      bool bn = b.IsNull(i);
      if (!bn && BoolAt(b, i) == dom_) {
        dst[i] = dom_;
      } else if (an || bn) {
        if (nulls.empty()) nulls.assign(n, 0);
        nulls[i] = 1;
        dst[i] = 0;
      } else {
        dst[i] = dom_ ^ 1;
      }
    });
    SetNulls(*out, std::move(nulls));
    if (constant) return Datum::Constant(out->Get(0));
    return Datum::Of(std::move(out));
  }

  uint8_t dom_;
  KernelPtr a_, b_;
};

struct NotOp {
  uint8_t operator()(uint8_t v) const { return v ^ 1; }
};

enum class Test { kNull, kNotNull, kTrue, kFalse, kNotTrue, kNotFalse };

class NullTestKernel final : public Kernel {
 public:
  NullTestKernel(Test test, KernelPtr arg) : Kernel(DataType::Boolean()), test_(test), arg_(std::move(arg)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum d, arg_->Evaluate(batch, rows));
    if (d.is_constant()) {
      bool is_null = d.scalar.is_null();
      return Datum::Constant(Value::Boolean(Apply(is_null, is_null ? 0 : Payload(d, 0))));
    }
    size_t n = batch.num_rows;
    auto out = NewColumn<uint8_t>(type(), n);
    uint8_t* dst = out->mutable_values<uint8_t>().data();
    const uint8_t* nulls = d.nulls();
    ForEachRow(rows, [&](uint32_t i) {
      bool is_null = nulls != nullptr && nulls[i];
      dst[i] = Apply(is_null, is_null ? 0 : Payload(d, i)) ? 1 : 0;
    });
    return Datum::Of(std::move(out));
  }

 private:
  uint8_t Payload(const Datum& d, uint32_t i) const {
    if (test_ == Test::kNull || test_ == Test::kNotNull) return 0;
    return BoolAt(d, i);
  }
  bool Apply(bool is_null, uint8_t v) const {
    switch (test_) {
      case Test::kNull: return is_null;
      case Test::kNotNull: return !is_null;
      case Test::kTrue: return !is_null && v;
      case Test::kFalse: return !is_null && !v;
      case Test::kNotTrue: return is_null || !v;
      default: return is_null || v;
    }
  }

  Test test_;
  KernelPtr arg_;
};

// The result of CASE/COALESCE: row i comes from sources[source[i]] (-1: NULL).
Result<Datum> Gather(const DataType& type, const std::vector<Datum>& sources,
                     const std::vector<int16_t>& source, RowSet rows, size_t n) {
  // One column source for every row: pass it through.
  if (sources.size() == 1 && !sources[0].is_constant() && sources[0].column->type() == type) {
    bool all = true;
    ForEachRow(rows, [&](uint32_t i) { all &= source[i] == 0; });
    if (all) return sources[0];
  }
  if (type.id() == TypeId::kString) {
    StringBuilder out(type, n);
    ForEachRow(rows, [&](uint32_t i) {
      int s = source[i];
      if (s < 0 || sources[s].IsNull(i)) return out.SetNull(i);
      const Datum& d = sources[s];
      out.Set(i, d.column ? d.column->GetString(i) : std::string_view(d.scalar.string()));
    });
    return Datum::Of(out.Finish());
  }
  if (!IsFixedWidth(type.id())) return Unimplemented("CASE over {}", type.ToString());
  return DispatchFixed(type.id(), [&](auto tag) -> Result<Datum> {
    using T = decltype(tag);
    auto out = NewColumn<T>(type, n);
    T* dst = out->template mutable_values<T>().data();
    std::vector<uint8_t> nulls;
    std::vector<const T*> data(sources.size(), nullptr);
    std::vector<T> constants(sources.size());
    for (size_t s = 0; s < sources.size(); ++s) {
      if (sources[s].column) {
        data[s] = sources[s].column->template values<T>().data();
      } else if (!sources[s].scalar.is_null()) {
        constants[s] = ScalarAs<T>(sources[s].scalar);
      }
    }
    ForEachRow(rows, [&](uint32_t i) {
      int s = source[i];
      if (s < 0 || sources[s].IsNull(i)) {
        if (nulls.empty()) nulls.assign(n, 0);
        nulls[i] = 1;
        return;
      }
      dst[i] = data[s] ? data[s][i] : constants[s];
    });
    SetNulls(*out, std::move(nulls));
    return Datum::Of(std::move(out));
  });
}

class CaseKernel final : public Kernel {
 public:
  CaseKernel(DataType type, std::vector<KernelPtr> conds, std::vector<KernelPtr> values, KernelPtr otherwise)
      : Kernel(std::move(type)), conds_(std::move(conds)), values_(std::move(values)), else_(std::move(otherwise)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    size_t n = batch.num_rows;
    std::vector<Datum> sources;
    std::vector<int16_t> source(n, -1);
    std::vector<uint32_t> rest;
    RowSet remaining = rows;
    for (size_t k = 0; k < conds_.size() && remaining.size > 0; ++k) {
      ASSIGN_OR_RETURN(std::vector<uint32_t> hit, conds_[k]->Select(batch, remaining));
      if (hit.empty()) continue;
      ASSIGN_OR_RETURN(Datum v, values_[k]->Evaluate(batch, RowSet::Of(hit)));
      for (uint32_t i : hit) source[i] = static_cast<int16_t>(sources.size());
      sources.push_back(std::move(v));
      rest = Difference(remaining, hit);
      remaining = RowSet::Of(rest);
    }
    if (else_ != nullptr && remaining.size > 0) {
      ASSIGN_OR_RETURN(Datum v, else_->Evaluate(batch, remaining));
      ForEachRow(remaining, [&](uint32_t i) { source[i] = static_cast<int16_t>(sources.size()); });
      sources.push_back(std::move(v));
    }
    return Gather(type(), sources, source, rows, n);
  }

 private:
  std::vector<KernelPtr> conds_, values_;
  KernelPtr else_;
};

class CoalesceKernel final : public Kernel {
 public:
  CoalesceKernel(DataType type, std::vector<KernelPtr> args) : Kernel(std::move(type)), args_(std::move(args)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    size_t n = batch.num_rows;
    std::vector<Datum> sources;
    std::vector<int16_t> source(n, -1);
    std::vector<uint32_t> rest;
    RowSet remaining = rows;
    for (const KernelPtr& arg : args_) {
      if (remaining.size == 0) break;
      ASSIGN_OR_RETURN(Datum v, arg->Evaluate(batch, remaining));
      if (v.is_null_constant()) continue;
      int16_t idx = static_cast<int16_t>(sources.size());
      std::vector<uint32_t> still_null;
      ForEachRow(remaining, [&](uint32_t i) {
        if (v.IsNull(i)) {
          still_null.push_back(i);
        } else {
          source[i] = idx;
        }
      });
      sources.push_back(std::move(v));
      rest = std::move(still_null);
      remaining = RowSet::Of(rest);
    }
    return Gather(type(), sources, source, rows, n);
  }

 private:
  std::vector<KernelPtr> args_;
};

}  // namespace

Result<KernelPtr> MakeLogic(const sql::Expr& expr, std::vector<KernelPtr> args) {
  for (KernelPtr& a : args) {
    if (a->type().id() == TypeId::kNull) a = MakeLiteral(Value::Null(DataType::Boolean()));
    if (a->type().id() != TypeId::kBoolean) return Unsupported(expr);
  }
  if (expr.function == "NOT") {
    if (args.size() != 1) return Unsupported(expr);
    return MakeUnary<uint8_t, uint8_t>(DataType::Boolean(), std::move(args[0]), NotOp{});
  }
  if (args.size() < 2) return Unsupported(expr);
  // A chain of more than two operands folds left: ((a AND b) AND c).
  bool is_and = expr.function == "AND";
  KernelPtr k = std::move(args[0]);
  for (size_t i = 1; i < args.size(); ++i) {
    k = std::make_unique<LogicKernel>(is_and, std::move(k), std::move(args[i]));
    k->set_text(expr.text);
  }
  return k;
}

Result<KernelPtr> MakeNullTest(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 1) return Unsupported(expr);
  const std::string& f = expr.function;
  Test test = f == "IS NULL"        ? Test::kNull
              : f == "IS NOT NULL"  ? Test::kNotNull
              : f == "IS TRUE"      ? Test::kTrue
              : f == "IS FALSE"     ? Test::kFalse
              : f == "IS NOT TRUE"  ? Test::kNotTrue
                                    : Test::kNotFalse;
  if (test != Test::kNull && test != Test::kNotNull) {
    if (args[0]->type().id() == TypeId::kNull) args[0] = MakeLiteral(Value::Null(DataType::Boolean()));
    if (args[0]->type().id() != TypeId::kBoolean) return Unsupported(expr);
  }
  return KernelPtr(std::make_unique<NullTestKernel>(test, std::move(args[0])));
}

Result<KernelPtr> MakeCase(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() < 2 || !(IsFixedWidth(expr.type.id()) || expr.type.id() == TypeId::kString)) {
    return Unsupported(expr);
  }
  std::vector<KernelPtr> conds, values;
  KernelPtr otherwise;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    KernelPtr c = std::move(args[i]);
    if (c->type().id() == TypeId::kNull) c = MakeLiteral(Value::Null(DataType::Boolean()));
    if (c->type().id() != TypeId::kBoolean) return Unsupported(expr);
    conds.push_back(std::move(c));
    ASSIGN_OR_RETURN(KernelPtr v, CastTo(std::move(args[i + 1]), expr.type));
    values.push_back(std::move(v));
  }
  if (args.size() % 2 == 1) {
    ASSIGN_OR_RETURN(otherwise, CastTo(std::move(args.back()), expr.type));
  }
  return KernelPtr(std::make_unique<CaseKernel>(expr.type, std::move(conds), std::move(values),
                                                std::move(otherwise)));
}

Result<KernelPtr> MakeCoalesce(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.empty() || !(IsFixedWidth(expr.type.id()) || expr.type.id() == TypeId::kString)) {
    return Unsupported(expr);
  }
  for (KernelPtr& a : args) {
    ASSIGN_OR_RETURN(a, CastTo(std::move(a), expr.type));
  }
  return KernelPtr(std::make_unique<CoalesceKernel>(expr.type, std::move(args)));
}

}  // namespace kappa::engine
