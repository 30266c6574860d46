#include "sql/operators.h"

#include "sql/type_rules.h"

namespace kappa::sql {

using columnar::TypeId;

namespace {

bool IsStringLiteral(const Expr& e) {
  return e.kind == ExprKind::kLiteral && e.type.id() == TypeId::kString && !e.literal.is_null();
}

// A STRING literal next to a temporal value becomes a temporal literal.
Status CoerceTemporalLiteral(ExprPtr* literal, const DataType& temporal) {
  if (!IsStringLiteral(**literal) || !temporal.IsTemporal()) return OkStatus();
  auto value = ParseTemporal((*literal)->literal.string(), temporal);
  if (!value) {
    return Invalid("cannot parse '{}' as {}", (*literal)->literal.string(), temporal.ToString());
  }
  *literal = Literal(*value, (*literal)->text);
  return OkStatus();
}

}  // namespace

Status Unify(std::vector<ExprPtr*> exprs, const std::string& what) {
  std::optional<DataType> common;
  for (ExprPtr* e : exprs) {
    if (!common) {
      common = (*e)->type;
      continue;
    }
    auto next = CommonType(*common, (*e)->type);
    if (!next) {
      return Invalid("{} have incompatible types {} and {}", what, common->ToString(),
                     (*e)->type.ToString());
    }
    common = next;
  }
  if (!common) return OkStatus();
  for (ExprPtr* e : exprs) *e = CastTo(*e, *common);
  return OkStatus();
}

Result<ExprPtr> MakeComparison(const std::string& op, ExprPtr a, ExprPtr b, std::string text) {
  RETURN_IF_ERROR(CoerceTemporalLiteral(&a, b->type));
  RETURN_IF_ERROR(CoerceTemporalLiteral(&b, a->type));
  auto common = CommonType(a->type, b->type);
  bool ordered = op != "=" && op != "<>";
  if (!common || common->id() == TypeId::kInterval ||
      (ordered && common->id() == TypeId::kRow)) {
    return Invalid("cannot compare {} and {}", a->type.ToString(), b->type.ToString());
  }
  bool nullable = a->nullable || b->nullable;
  return Call(op, {CastTo(a, *common), CastTo(b, *common)}, DataType::Boolean(), std::move(text),
              nullable);
}

Result<ExprPtr> MakeArithmetic(const std::string& op, ExprPtr a, ExprPtr b, std::string text) {
  bool nullable = a->nullable || b->nullable;
  if (auto types = NumericArithmetic(op, a->type, b->type)) {
    if (types->left) a = CastTo(a, *types->left);
    if (types->right) b = CastTo(b, *types->right);
    return Call(op, {a, b}, types->result, std::move(text), nullable);
  }
  TypeId ta = a->type.id(), tb = b->type.id();
  bool additive = op == "+" || op == "-";
  if (additive && a->type.IsTemporal() && tb == TypeId::kInterval) {
    return Call(op, {a, b}, a->type, std::move(text), nullable);
  }
  if (op == "+" && ta == TypeId::kInterval && b->type.IsTemporal()) {
    return Call(op, {b, a}, b->type, std::move(text), nullable);
  }
  if (additive && ta == TypeId::kInterval && tb == TypeId::kInterval) {
    return Call(op, {a, b}, DataType::Interval(), std::move(text), nullable);
  }
  if (a->type.IsTemporal() && b->type.IsTemporal() && op == "-") {
    return Invalid("cannot subtract {} from {} (use TIMESTAMPDIFF or compare the values)",
                   b->type.ToString(), a->type.ToString());
  }
  return Invalid("operator {} cannot be applied to {} and {}", op, a->type.ToString(),
                 b->type.ToString());
}

Result<ExprPtr> MakeNegate(ExprPtr a, std::string text) {
  if (!a->type.IsNumeric() && a->type.id() != TypeId::kInterval) {
    return Invalid("operator - cannot be applied to {}", a->type.ToString());
  }
  if (a->kind == ExprKind::kLiteral && !a->literal.is_null()) {
    const columnar::Value& v = a->literal;
    switch (v.type().id()) {
      case TypeId::kInt32:
        if (v.int32() != INT32_MIN) return Literal(columnar::Value::Int32(-v.int32()), text);
        break;
      case TypeId::kInt64:
        if (v.int64() != INT64_MIN) return Literal(columnar::Value::Int64(-v.int64()), text);
        break;
      case TypeId::kDouble: return Literal(columnar::Value::Double(-v.float64()), text);
      case TypeId::kDecimal:
        return Literal(columnar::Value::Decimal(-v.decimal(), v.type().precision(),
                                                v.type().scale()), text);
      case TypeId::kInterval: return Literal(columnar::Value::Interval(-v.int64()), text);
      default: break;
    }
  }
  DataType type = a->type;
  bool nullable = a->nullable;
  return Call("NEGATE", {std::move(a)}, type, std::move(text), nullable);
}

Result<ExprPtr> MakeLogical(const std::string& op, ExprPtr a, ExprPtr b, std::string text) {
  for (ExprPtr* e : {&a, &b}) {
    if (!*e) continue;
    if ((*e)->type.id() == TypeId::kNull) *e = CastTo(*e, DataType::Boolean());
    if ((*e)->type.id() != TypeId::kBoolean) {
      return Invalid("{} expects BOOLEAN operands, found {}", op, (*e)->type.ToString());
    }
  }
  bool nullable = a->nullable || (b && b->nullable);
  std::vector<ExprPtr> args = {std::move(a)};
  if (b) args.push_back(std::move(b));
  return Call(op, std::move(args), DataType::Boolean(), std::move(text), nullable);
}

}  // namespace kappa::sql
