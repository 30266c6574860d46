#include "sql/binder_expr.h"

#include <cstdlib>

#include "sql/functions.h"
#include "sql/operators.h"
#include "sql/type_rules.h"

namespace kappa::sql {

using columnar::TypeId;
using columnar::Value;

ExprBinder::ExprBinder(const Binder& binder, const Relation& scope, std::string clause)
    : binder_(binder), scope_(scope), clause_(std::move(clause)) {}

Result<ExprPtr> ExprBinder::Bind(const ast::Expr& e) {
  if (hook_) {
    ASSIGN_OR_RETURN(ExprPtr replaced, hook_(e));
    if (replaced) return replaced;
  }
  return BindNode(e);
}

Result<ExprPtr> ExprBinder::BindPredicate(const ast::Expr& e) {
  ASSIGN_OR_RETURN(ExprPtr bound, Bind(e));
  if (bound->type.id() == TypeId::kNull) return CastTo(bound, DataType::Boolean());
  if (bound->type.id() != TypeId::kBoolean) {
    return binder_.Error(e.pos, fmt::format("{} must be a BOOLEAN expression, found {}", clause_,
                                            bound->type.ToString()));
  }
  return bound;
}

Result<std::vector<ExprPtr>> ExprBinder::BindAll(const std::vector<ast::ExprPtr>& args) {
  std::vector<ExprPtr> out;
  for (const ast::ExprPtr& a : args) {
    ASSIGN_OR_RETURN(ExprPtr bound, Bind(*a));
    out.push_back(std::move(bound));
  }
  return out;
}

Result<ExprPtr> ExprBinder::BindNode(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kLiteral: return BindLiteral(e);
    case ast::ExprKind::kInterval: return Literal(Value::Interval(e.interval_ms), binder_.Text(e));
    case ast::ExprKind::kColumn: return BindColumn(e);
    case ast::ExprKind::kUnary: return BindUnary(e);
    case ast::ExprKind::kBinary: return BindBinary(e);
    case ast::ExprKind::kCall: return BindCall(e);
    case ast::ExprKind::kCase: return BindCase(e);
    case ast::ExprKind::kCast: return BindCast(e);
    case ast::ExprKind::kIn: return BindIn(e);
    case ast::ExprKind::kBetween: return BindBetween(e);
    case ast::ExprKind::kLike: return BindLike(e);
    case ast::ExprKind::kIsTest: return BindIsTest(e);
    case ast::ExprKind::kStar:
      return binder_.Error(e.pos, "* is only allowed in a select list or in COUNT(*)");
    case ast::ExprKind::kRowNumber:
      return binder_.Error(e.pos,
                           "ROW_NUMBER() OVER is only allowed in the select list of a subquery "
                           "whose row number the enclosing query filters (WHERE rownum <= N)");
  }
  return binder_.Error(e.pos, "unknown expression");
}

Result<ExprPtr> ExprBinder::BindLiteral(const ast::Expr& e) {
  std::string text = binder_.Text(e);
  switch (e.literal) {
    case ast::LiteralKind::kNull: return Literal(Value(), "NULL");
    case ast::LiteralKind::kBoolean: return Literal(Value::Boolean(e.value == "TRUE"), text);
    case ast::LiteralKind::kInteger:
    case ast::LiteralKind::kDecimal: {
      auto v = ParseExactNumber(e.value);
      if (!v) return binder_.Error(e.pos, "numeric literal out of range (at most 38 digits)");
      return Literal(*v, text);
    }
    case ast::LiteralKind::kFloat:
      return Literal(Value::Double(std::strtod(e.value.c_str(), nullptr)), text);
    case ast::LiteralKind::kString: return Literal(Value::String(e.value), text);
    case ast::LiteralKind::kDate:
    case ast::LiteralKind::kTimestamp:
    case ast::LiteralKind::kTimestampLtz: {
      DataType t = e.literal == ast::LiteralKind::kDate        ? DataType::Date()
                   : e.literal == ast::LiteralKind::kTimestamp ? DataType::Timestamp()
                                                               : DataType::TimestampLtz();
      auto v = ParseTemporal(e.value, t);
      if (!v) {
        return binder_.Error(e.pos, fmt::format("invalid {} literal '{}'", t.ToString(), e.value));
      }
      return Literal(*v, text);
    }
  }
  return binder_.Error(e.pos, "unknown literal");
}

std::string ExprBinder::AvailableColumns() const {
  std::string out;
  size_t shown = 0;
  for (const ColumnName& c : scope_.columns) {
    if (shown == 12) return out + ", ...";
    out += (shown++ ? ", " : "") + (c.qualifier.empty() ? "" : c.qualifier + ".") + c.name;
  }
  return out.empty() ? "none" : out;
}

Result<ExprPtr> ExprBinder::BindColumn(const ast::Expr& e) {
  const std::vector<std::string>& names = e.names;
  auto find = [&](bool qualified) {
    std::vector<int> out;
    for (size_t i = 0; i < scope_.columns.size(); ++i) {
      const ColumnName& c = scope_.columns[i];
      if (qualified ? (c.qualifier == names[0] && c.name == names[1]) : c.name == names[0]) {
        out.push_back(static_cast<int>(i));
      }
    }
    return out;
  };
  std::vector<int> matches;
  size_t used = 1;
  if (names.size() >= 2) {
    matches = find(true);
    used = 2;
  }
  if (matches.empty()) {
    matches = find(false);
    used = 1;
  }
  std::string shown = names[0] + (used == 2 ? "." + names[1] : "");
  if (matches.size() > 1) {
    return binder_.Error(e.pos, fmt::format("column '{}' is ambiguous (qualify it with a table "
                                            "name)", shown));
  }
  if (matches.empty()) {
    for (const ColumnName& c : scope_.columns) {
      if (names.size() >= 2 && c.qualifier == names[0]) {
        return binder_.Error(e.pos, fmt::format("column '{}' not found in '{}'", names[1],
                                                names[0]));
      }
    }
    return binder_.Error(e.pos, fmt::format("column '{}' not found (available: {})",
                                            names.size() >= 2 ? names[0] + "." + names[1]
                                                              : names[0],
                                            AvailableColumns()));
  }
  const columnar::Field& f = scope_.plan->schema.field(matches[0]);
  ExprPtr out = ColumnRef(matches[0], f.type, shown, f.nullable);
  for (size_t i = used; i < names.size(); ++i) {
    ASSIGN_OR_RETURN(out, BindField(out, names[i], e));
  }
  return out;
}

Result<ExprPtr> ExprBinder::BindField(ExprPtr row, const std::string& field, const ast::Expr& e) {
  if (row->type.id() != TypeId::kRow) {
    return binder_.Error(e.pos, fmt::format("'{}' is {}, not a ROW: it has no field '{}'",
                                            row->text, row->type.ToString(), field));
  }
  const auto& fields = row->type.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != field) continue;
    bool nullable = row->nullable || fields[i].nullable;
    std::string text = row->text + "." + field;
    auto call = std::make_shared<Expr>(*Call("FIELD", {row}, fields[i].type, text, nullable));
    call->column = static_cast<int>(i);
    return ExprPtr(call);
  }
  return binder_.Error(e.pos, fmt::format("'{}' has no field '{}' ({})", row->text, field,
                                          row->type.ToString()));
}

Result<ExprPtr> ExprBinder::BindUnary(const ast::Expr& e) {
  ASSIGN_OR_RETURN(ExprPtr inner, Bind(*e.args[0]));
  std::string text = binder_.Text(e);
  Result<ExprPtr> out = Status(StatusCode::kInternal, "unary");
  if (e.op == "NOT") {
    out = MakeLogical("NOT", inner, nullptr, text);
  } else if (e.op == "-") {
    out = MakeNegate(inner, text);
  } else {
    if (!inner->type.IsNumeric() && inner->type.id() != TypeId::kInterval) {
      return binder_.Error(e.pos, fmt::format("operator + cannot be applied to {}",
                                              inner->type.ToString()));
    }
    return inner;
  }
  if (!out.ok()) return binder_.ErrorFrom(e.pos, out.status());
  return out;
}

Result<ExprPtr> ExprBinder::BindBinary(const ast::Expr& e) {
  ASSIGN_OR_RETURN(ExprPtr a, Bind(*e.args[0]));
  ASSIGN_OR_RETURN(ExprPtr b, Bind(*e.args[1]));
  std::string text = binder_.Text(e);
  const std::string& op = e.op;
  Result<ExprPtr> out = Status(StatusCode::kInternal, "binary");
  if (op == "AND" || op == "OR") {
    out = MakeLogical(op, a, b, text);
  } else if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    out = MakeComparison(op, a, b, text);
  } else if (op == "||") {
    auto call = ResolveFunction("CONCAT", {a, b});
    if (!call.ok()) {
      return binder_.Error(e.pos, fmt::format("operator || expects STRING operands, found {} and "
                                              "{}", a->type.ToString(), b->type.ToString()));
    }
    out = Call(call->function, call->args, call->type, text, call->nullable);
  } else {
    out = MakeArithmetic(op, a, b, text);
  }
  if (!out.ok()) return binder_.ErrorFrom(e.pos, out.status());
  return out;
}

Result<ExprPtr> ExprBinder::BindCall(const ast::Expr& e) {
  if (IsAggregateFunction(e.op)) {
    return binder_.Error(e.pos, fmt::format("aggregate function {} is not allowed in {}", e.op,
                                            clause_));
  }
  if (e.distinct || e.star || e.filter) {
    return binder_.Error(e.pos, fmt::format("{} is not an aggregate function: DISTINCT, * and "
                                            "FILTER are not allowed", e.op));
  }
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindAll(e.args));
  auto call = ResolveFunction(e.op, std::move(args));
  if (!call.ok()) return binder_.ErrorFrom(e.pos, call.status());
  return Call(call->function, call->args, call->type, binder_.Text(e), call->nullable);
}

Result<ExprPtr> ExprBinder::BindCase(const ast::Expr& e) {
  ExprPtr operand;
  if (e.operand) {
    ASSIGN_OR_RETURN(operand, Bind(*e.operand));
  }
  std::vector<ExprPtr> conditions, values;
  for (const auto& [when, then] : e.whens) {
    if (operand) {
      ASSIGN_OR_RETURN(ExprPtr w, Bind(*when));
      auto eq = MakeComparison("=", operand, w, binder_.Text(*when));
      if (!eq.ok()) return binder_.ErrorFrom(when->pos, eq.status());
      conditions.push_back(*eq);
    } else {
      ExprBinder predicate(binder_, scope_, "a CASE WHEN condition");
      predicate.set_hook(hook_);
      ASSIGN_OR_RETURN(ExprPtr c, predicate.BindPredicate(*when));
      conditions.push_back(c);
    }
    ASSIGN_OR_RETURN(ExprPtr v, Bind(*then));
    values.push_back(v);
  }
  if (e.else_expr) {
    ASSIGN_OR_RETURN(ExprPtr v, Bind(*e.else_expr));
    values.push_back(v);
  }
  std::vector<ExprPtr*> ptrs;
  for (ExprPtr& v : values) ptrs.push_back(&v);
  Status st = Unify(ptrs, "the branches of CASE");
  if (!st.ok()) return binder_.ErrorFrom(e.pos, st);
  std::vector<ExprPtr> args;
  bool nullable = !e.else_expr;
  for (size_t i = 0; i < conditions.size(); ++i) {
    args.push_back(conditions[i]);
    args.push_back(values[i]);
  }
  if (e.else_expr) args.push_back(values.back());
  for (const ExprPtr& v : values) nullable = nullable || v->nullable;
  DataType type = values[0]->type;
  if (type.id() == TypeId::kNull) {
    return binder_.Error(e.pos, "CASE needs at least one branch that is not NULL");
  }
  return Call("CASE", std::move(args), type, binder_.Text(e), nullable);
}

Result<ExprPtr> ExprBinder::BindCast(const ast::Expr& e) {
  ASSIGN_OR_RETURN(ExprPtr value, Bind(*e.args[0]));
  std::string text = binder_.Text(e);
  if (!CanCast(value->type, e.type)) {
    std::string hint;
    if (value->type.IsIntegral() && e.type.IsTemporal()) {
      hint = " (use TO_TIMESTAMP_LTZ(x, 3) for epoch milliseconds)";
    }
    return binder_.Error(e.pos, fmt::format("cannot cast {} to {}{}", value->type.ToString(),
                                            e.type.ToString(), hint));
  }
  if (value->kind == ExprKind::kLiteral && value->type.id() == TypeId::kString &&
      e.type.IsTemporal() && !e.try_cast) {
    auto v = ParseTemporal(value->literal.string(), e.type);
    if (!v) {
      return binder_.Error(e.pos, fmt::format("cannot parse '{}' as {}", value->literal.string(),
                                              e.type.ToString()));
    }
    return Literal(*v, text);
  }
  if (value->kind == ExprKind::kLiteral && value->literal.is_null()) {
    return Literal(Value::Null(e.type), text);
  }
  if (value->type == e.type) return value;
  bool nullable = value->nullable || e.try_cast;
  return Call(e.try_cast ? "TRY_CAST" : "CAST", {value}, e.type, text, nullable);
}

Result<ExprPtr> ExprBinder::BindIn(const ast::Expr& e) {
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindAll(e.args));
  std::vector<ExprPtr*> ptrs;
  for (size_t i = 1; i < args.size(); ++i) {
    // Reuse the comparison rules for STRING literals next to temporal values.
    auto eq = MakeComparison("=", args[0], args[i], "");
    if (!eq.ok()) return binder_.ErrorFrom(e.args[i]->pos, eq.status());
    if (args[i]->kind == ExprKind::kLiteral && (*eq)->args[1]->kind == ExprKind::kLiteral) {
      args[i] = (*eq)->args[1];
    }
  }
  for (ExprPtr& a : args) ptrs.push_back(&a);
  Status st = Unify(ptrs, "the values of IN");
  if (!st.ok()) return binder_.ErrorFrom(e.pos, st);
  bool nullable = false;
  for (const ExprPtr& a : args) nullable = nullable || a->nullable;
  ExprPtr in = Call("IN", std::move(args), DataType::Boolean(), binder_.Text(e), nullable);
  return e.negated ? Negate(in, e) : in;
}

Result<ExprPtr> ExprBinder::Negate(ExprPtr inner, const ast::Expr& e) {
  bool nullable = inner->nullable;
  return Call("NOT", {std::move(inner)}, DataType::Boolean(), binder_.Text(e), nullable);
}

Result<ExprPtr> ExprBinder::BindBetween(const ast::Expr& e) {
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindAll(e.args));
  std::string text = binder_.Text(e);
  auto low = MakeComparison(e.negated ? "<" : ">=", args[0], args[1],
                            fmt::format("{} {} {}", args[0]->text, e.negated ? "<" : ">=",
                                        args[1]->text));
  if (!low.ok()) return binder_.ErrorFrom(e.pos, low.status());
  auto high = MakeComparison(e.negated ? ">" : "<=", args[0], args[2],
                             fmt::format("{} {} {}", args[0]->text, e.negated ? ">" : "<=",
                                         args[2]->text));
  if (!high.ok()) return binder_.ErrorFrom(e.pos, high.status());
  auto out = MakeLogical(e.negated ? "OR" : "AND", *low, *high, text);
  if (!out.ok()) return binder_.ErrorFrom(e.pos, out.status());
  return out;
}

Result<ExprPtr> ExprBinder::BindLike(const ast::Expr& e) {
  ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindAll(e.args));
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->type.id() == TypeId::kNull) args[i] = CastTo(args[i], DataType::String());
    if (args[i]->type.id() != TypeId::kString) {
      return binder_.Error(e.args[i]->pos, fmt::format("LIKE expects STRING operands, found {}",
                                                       args[i]->type.ToString()));
    }
  }
  if (args.size() == 3) {
    const Expr& esc = *args[2];
    if (esc.kind != ExprKind::kLiteral || esc.literal.is_null() ||
        esc.literal.string().size() != 1) {
      return binder_.Error(e.args[2]->pos, "ESCAPE must be a string literal of one character");
    }
  }
  bool nullable = false;
  for (const ExprPtr& a : args) nullable = nullable || a->nullable;
  ExprPtr like = Call("LIKE", std::move(args), DataType::Boolean(), binder_.Text(e), nullable);
  return e.negated ? Negate(like, e) : like;
}

Result<ExprPtr> ExprBinder::BindIsTest(const ast::Expr& e) {
  ASSIGN_OR_RETURN(ExprPtr value, Bind(*e.args[0]));
  std::string text = binder_.Text(e);
  if (e.op == "NULL") {
    return Call(e.negated ? "IS NOT NULL" : "IS NULL", {value}, DataType::Boolean(), text, false);
  }
  if (value->type.id() == TypeId::kNull) value = CastTo(value, DataType::Boolean());
  if (value->type.id() != TypeId::kBoolean) {
    return binder_.Error(e.pos, fmt::format("IS {} expects a BOOLEAN operand, found {}", e.op,
                                            value->type.ToString()));
  }
  ExprPtr test = Call("IS " + e.op, {value}, DataType::Boolean(), text, false);
  if (!e.negated) return test;
  return Call("NOT", {test}, DataType::Boolean(), text, false);
}

}  // namespace kappa::sql
