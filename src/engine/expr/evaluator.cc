#include "engine/expr/evaluator.h"

#include <string_view>
#include <unordered_map>

#include "engine/expr/functions.h"
#include "engine/expr/kernel.h"

namespace kappa::engine {
namespace {

// A column of the input batch, passed through without a copy.
class ColumnKernel final : public Kernel {
 public:
  ColumnKernel(int index, DataType type) : Kernel(std::move(type)), index_(index) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet) const override {
    if (index_ < 0 || static_cast<size_t>(index_) >= batch.columns.size()) {
      return Internal("expression {} reads column {} of a batch of {} columns", text(), index_,
                      batch.columns.size());
    }
    return Datum::Of(batch.columns[static_cast<size_t>(index_)]);
  }

 private:
  int index_;
};

// Field `index` of a ROW value (a.b); NULL where the row is NULL.
class FieldKernel final : public Kernel {
 public:
  FieldKernel(DataType type, KernelPtr row, int index)
      : Kernel(std::move(type)), row_(std::move(row)), index_(static_cast<size_t>(index)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum row, row_->Evaluate(batch, rows));
    if (row.is_constant()) {
      if (row.scalar.is_null()) return Datum::Constant(Value::Null(type()));
      return Datum::Constant(row.scalar.row()[index_]);
    }
    ColumnPtr child = row.column->children()[index_];
    if (!row.column->has_nulls()) return Datum::Of(child);
    // Copy the child with the parent's NULLs added.
    std::vector<uint32_t> all(batch.num_rows);
    for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    auto copy = std::const_pointer_cast<Column>(child->Take(all));
    std::vector<uint8_t>& nulls = copy->mutable_nulls();
    const std::vector<uint8_t>& parent = row.column->nulls();
    for (size_t i = 0; i < nulls.size(); ++i) nulls[i] |= parent[i];
    return Datum::Of(std::move(copy));
  }

 private:
  KernelPtr row_;
  size_t index_;
};

Result<KernelPtr> MakeField(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 1 || args[0]->type().id() != TypeId::kRow || expr.column < 0 ||
      static_cast<size_t>(expr.column) >= args[0]->type().fields().size()) {
    return Unsupported(expr);
  }
  return KernelPtr(std::make_unique<FieldKernel>(expr.type, std::move(args[0]), expr.column));
}

const std::unordered_map<std::string_view, KernelFactory>& Registry() {
  static const auto* registry = new std::unordered_map<std::string_view, KernelFactory>{
      {"+", MakeArithmetic},
      {"-", MakeArithmetic},
      {"*", MakeArithmetic},
      {"/", MakeArithmetic},
      {"%", MakeArithmetic},
      {"MOD", MakeArithmetic},
      {"NEGATE", MakeArithmetic},
      {"=", MakeComparison},
      {"<>", MakeComparison},
      {"<", MakeComparison},
      {"<=", MakeComparison},
      {">", MakeComparison},
      {">=", MakeComparison},
      {"IN", MakeIn},
      {"AND", MakeLogic},
      {"OR", MakeLogic},
      {"NOT", MakeLogic},
      {"IS NULL", MakeNullTest},
      {"IS NOT NULL", MakeNullTest},
      {"IS TRUE", MakeNullTest},
      {"IS FALSE", MakeNullTest},
      {"IS NOT TRUE", MakeNullTest},
      {"IS NOT FALSE", MakeNullTest},
      {"CASE", MakeCase},
      {"COALESCE", MakeCoalesce},
      {"CAST", MakeCast},
      {"UPPER", MakeStringFunction},
      {"LOWER", MakeStringFunction},
      {"SUBSTRING", MakeStringFunction},
      {"CONCAT", MakeStringFunction},
      {"TRIM", MakeStringFunction},
      {"CHAR_LENGTH", MakeStringFunction},
      {"LIKE", MakeLike},
      {"DATE_FORMAT", MakeTimeFunction},
      {"EXTRACT", MakeTimeFunction},
      {"FLOOR_TO", MakeTimeFunction},
      {"CEIL_TO", MakeTimeFunction},
      {"TO_TIMESTAMP", MakeTimeFunction},
      {"UNIX_TIMESTAMP", MakeTimeFunction},
      {"CURRENT_TIMESTAMP", MakeTimeFunction},
      {"NOW", MakeTimeFunction},
      {"LOCALTIMESTAMP", MakeTimeFunction},
      {"CURRENT_DATE", MakeTimeFunction},
      {"ABS", MakeMathFunction},
      {"ROUND", MakeMathFunction},
      {"FLOOR", MakeMathFunction},
      {"CEIL", MakeMathFunction},
      {"POWER", MakeMathFunction},
      {"SQRT", MakeMathFunction},
      {"LN", MakeMathFunction},
      {"LOG10", MakeMathFunction},
      {"EXP", MakeMathFunction},
      {"FIELD", MakeField},
  };
  return *registry;
}

Result<KernelPtr> CompileNode(const sql::Expr& expr) {
  KernelPtr k;
  switch (expr.kind) {
    case sql::ExprKind::kColumn:
      k = std::make_unique<ColumnKernel>(expr.column, expr.type);
      break;
    case sql::ExprKind::kLiteral: {
      const DataType& t = expr.literal.is_null() ? expr.type : expr.literal.type();
      k = MakeLiteral(Value(t, expr.literal.payload()));
      break;
    }
    case sql::ExprKind::kCall: {
      auto it = Registry().find(expr.function);
      if (it == Registry().end()) return Unsupported(expr);
      std::vector<KernelPtr> args;
      for (const sql::ExprPtr& a : expr.args) {
        if (a == nullptr) return Invalid("{}: missing argument", expr.function);
        ASSIGN_OR_RETURN(KernelPtr arg, CompileNode(*a));
        args.push_back(std::move(arg));
      }
      bool constant_args = AllConstant(args);
      ASSIGN_OR_RETURN(k, it->second(expr, std::move(args)));
      k->set_text(expr.text);
      if (constant_args) k = FoldConstant(std::move(k));
      break;
    }
  }
  if (k->text().empty()) k->set_text(expr.text);
  return k;
}

}  // namespace

Result<std::unique_ptr<CompiledExpr>> CompiledExpr::Compile(const sql::ExprPtr& expr) {
  if (expr == nullptr) return Invalid("no expression to compile");
  ASSIGN_OR_RETURN(KernelPtr k, CompileNode(*expr));
  return std::unique_ptr<CompiledExpr>(std::move(k));
}

Result<std::vector<uint32_t>> EvalFilter(const CompiledExpr& predicate,
                                         const columnar::Batch& batch) {
  if (predicate.type().id() != TypeId::kBoolean) {
    return Invalid("filter predicate is {}, not BOOLEAN", predicate.type().ToString());
  }
  if (const auto* k = dynamic_cast<const Kernel*>(&predicate)) {
    return k->Select(batch, BatchRows(batch));
  }
  ASSIGN_OR_RETURN(ColumnPtr c, predicate.Eval(batch));
  return SelectTrue(Datum::Of(c), BatchRows(batch));
}

Result<std::string> ConstantString(const Kernel& arg, std::string_view what) {
  const Value* v = arg.constant();
  if (v == nullptr || v->is_null() || v->type().id() != TypeId::kString) {
    return Invalid("{} must be a constant string, not {}", what, arg.text());
  }
  return v->string();
}

}  // namespace kappa::engine
