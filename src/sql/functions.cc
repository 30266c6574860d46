#include "sql/functions.h"

#include <functional>
#include <map>

#include "sql/operators.h"
#include "sql/type_rules.h"

namespace kappa::sql {

using columnar::DataType;
using columnar::TypeId;

namespace {

using Args = std::vector<ExprPtr>;
using Resolver = std::function<Result<ResolvedCall>(const std::string& name, Args args)>;

enum class Kind { kAny, kString, kNumeric, kIntegral, kTemporal, kTimestamp, kBoolean };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kString: return "STRING";
    case Kind::kNumeric: return "a numeric type";
    case Kind::kIntegral: return "INT or BIGINT";
    case Kind::kTemporal: return "DATE, TIMESTAMP or TIMESTAMP_LTZ";
    case Kind::kTimestamp: return "TIMESTAMP or TIMESTAMP_LTZ";
    case Kind::kBoolean: return "BOOLEAN";
    case Kind::kAny: return "any type";
  }
  return "?";
}

bool Matches(const DataType& t, Kind k) {
  switch (k) {
    case Kind::kAny: return true;
    case Kind::kString: return t.id() == TypeId::kString;
    case Kind::kNumeric: return t.IsNumeric();
    case Kind::kIntegral: return t.IsIntegral();
    case Kind::kTemporal: return t.IsTemporal();
    case Kind::kTimestamp: return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz;
    case Kind::kBoolean: return t.id() == TypeId::kBoolean;
  }
  return false;
}

DataType DefaultOf(Kind k) {
  switch (k) {
    case Kind::kNumeric:
    case Kind::kIntegral: return DataType::Int32();
    case Kind::kTemporal:
    case Kind::kTimestamp: return DataType::Timestamp();
    case Kind::kBoolean: return DataType::Boolean();
    default: return DataType::String();
  }
}

Status Arity(const std::string& name, const Args& args, size_t min, size_t max) {
  if (args.size() >= min && args.size() <= max) return OkStatus();
  std::string expected = min == max ? std::to_string(min)
                         : max == SIZE_MAX ? fmt::format("at least {}", min)
                                           : fmt::format("{} to {}", min, max);
  return Invalid("function {} takes {} argument{}, found {}", name, expected,
                 (min == max && min == 1) ? "" : "s", args.size());
}

// Checks args[i] against `k`; a NULL literal is cast to a default of the kind.
Status Expect(const std::string& name, Args& args, size_t i, Kind k) {
  if (i >= args.size()) return OkStatus();
  if (args[i]->type.id() == TypeId::kNull) {
    args[i] = CastTo(args[i], DefaultOf(k));
    return OkStatus();
  }
  if (Matches(args[i]->type, k)) return OkStatus();
  return Invalid("function {} expects {} for argument {}, found {}", name, KindName(k), i + 1,
                 args[i]->type.ToString());
}

bool AnyNullable(const Args& args) {
  for (const ExprPtr& a : args) {
    if (a->nullable) return true;
  }
  return false;
}

ResolvedCall Make(std::string function, Args args, DataType type) {
  bool nullable = AnyNullable(args);
  return ResolvedCall{std::move(function), std::move(args), std::move(type), nullable};
}

ExprPtr StringLiteral(const std::string& s) { return Literal(columnar::Value::String(s), s); }

// f(kinds...) -> result, with a fixed canonical name.
Resolver Simple(std::string canonical, std::vector<Kind> kinds, size_t min_args,
                std::function<DataType(const Args&)> result) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, min_args, kinds.size()));
    for (size_t i = 0; i < args.size(); ++i) RETURN_IF_ERROR(Expect(name, args, i, kinds[i]));
    DataType type = result(args);
    return Make(canonical, std::move(args), type);
  };
}

std::function<DataType(const Args&)> Fixed(DataType t) {
  return [t](const Args&) { return t; };
}

DataType SameAsFirst(const Args& args) { return args[0]->type; }

// Variadic f(kind, kind, ...).
Resolver Variadic(std::string canonical, Kind kind, size_t min_args, DataType result) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, min_args, SIZE_MAX));
    for (size_t i = 0; i < args.size(); ++i) RETURN_IF_ERROR(Expect(name, args, i, kind));
    return Make(canonical, std::move(args), result);
  };
}

// COALESCE, GREATEST, LEAST: one common type.
Resolver Unifying(std::string canonical, bool coalesce) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, coalesce ? 1 : 2, SIZE_MAX));
    std::vector<ExprPtr*> ptrs;
    for (ExprPtr& a : args) ptrs.push_back(&a);
    RETURN_IF_ERROR(Unify(ptrs, fmt::format("the arguments of {}", name)));
    DataType type = args[0]->type;
    ResolvedCall call = Make(canonical, std::move(args), type);
    if (coalesce) {
      call.nullable = true;
      for (const ExprPtr& a : call.args) call.nullable = call.nullable && a->nullable;
    }
    return call;
  };
}

Resolver ExtractAlias(std::string unit) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Expect(name, args, 0, Kind::kTemporal));
    return Make("EXTRACT", {StringLiteral(unit), args[0]}, DataType::Int64());
  };
}

Resolver TrimAlias(std::string mode) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, 1, 2));
    RETURN_IF_ERROR(Expect(name, args, 0, Kind::kString));
    RETURN_IF_ERROR(Expect(name, args, 1, Kind::kString));
    Args out = {args[0], StringLiteral(mode)};
    if (args.size() == 2) out.push_back(args[1]);
    return Make("TRIM", std::move(out), DataType::String());
  };
}

Result<ResolvedCall> ResolveTrim(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 2, 3));
  RETURN_IF_ERROR(Expect(name, args, 0, Kind::kString));
  RETURN_IF_ERROR(Expect(name, args, 2, Kind::kString));
  return Make("TRIM", std::move(args), DataType::String());
}

Result<ResolvedCall> ResolveExtract(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 2, 2));
  RETURN_IF_ERROR(Expect(name, args, 1, Kind::kTemporal));
  return Make("EXTRACT", std::move(args), DataType::Int64());
}

Resolver FloorCeilTo(std::string canonical) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Expect(name, args, 0, Kind::kTemporal));
    DataType type = args[0]->type;
    return Make(canonical, std::move(args), type);
  };
}

Resolver FloorCeil(std::string canonical) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Expect(name, args, 0, Kind::kNumeric));
    DataType t = args[0]->type;
    if (t.id() == TypeId::kDecimal && t.scale() > 0) {
      t = DataType::Decimal(std::min(38, t.precision() - t.scale() + 1), 0);
    }
    return Make(canonical, std::move(args), t);
  };
}

Result<ResolvedCall> ResolveRound(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 1, 2));
  RETURN_IF_ERROR(Expect(name, args, 0, Kind::kNumeric));
  RETURN_IF_ERROR(Expect(name, args, 1, Kind::kIntegral));
  DataType t = args[0]->type;
  if (t.id() == TypeId::kDecimal) {
    int digits = 0;
    if (args.size() == 2) {
      const Expr& d = *args[1];
      if (d.kind != ExprKind::kLiteral || d.literal.is_null() || d.type.id() != TypeId::kInt32) {
        return Invalid("function ROUND of a DECIMAL needs an integer literal for argument 2");
      }
      digits = d.literal.int32();
    }
    int p = t.precision(), s = t.scale();
    if (digits < s) {
      t = digits < 0 ? DataType::Decimal(std::min(38, 1 + p - s), 0)
                     : DataType::Decimal(std::min(38, 1 + p - s + digits), digits);
    }
  }
  return Make("ROUND", std::move(args), t);
}

Result<ResolvedCall> ResolveMod(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 2, 2));
  RETURN_IF_ERROR(Expect(name, args, 0, Kind::kNumeric));
  RETURN_IF_ERROR(Expect(name, args, 1, Kind::kNumeric));
  std::string text = args[0]->text + " % " + args[1]->text;
  ASSIGN_OR_RETURN(ExprPtr e, MakeArithmetic("%", args[0], args[1], text));
  return ResolvedCall{e->function, e->args, e->type, e->nullable};
}

Result<ResolvedCall> ResolveNullIf(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 2, 2));
  ASSIGN_OR_RETURN(ExprPtr eq, MakeComparison("=", args[0], args[1], "NULLIF"));
  DataType t = args[0]->type;
  return ResolvedCall{"CASE", {eq, Literal(columnar::Value::Null(t), "NULL"), args[0]}, t, true};
}

Result<ResolvedCall> ResolveIf(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 3, 3));
  RETURN_IF_ERROR(Expect(name, args, 0, Kind::kBoolean));
  RETURN_IF_ERROR(Unify({&args[1], &args[2]}, "the branches of IF"));
  bool nullable = args[1]->nullable || args[2]->nullable;
  DataType t = args[1]->type;
  return ResolvedCall{"CASE", std::move(args), t, nullable};
}

Resolver NoArgs(std::string canonical, DataType type) {
  return [=](const std::string& name, Args args) -> Result<ResolvedCall> {
    RETURN_IF_ERROR(Arity(name, args, 0, 0));
    return ResolvedCall{canonical, {}, type, false};
  };
}

Result<ResolvedCall> ResolveToTimestampLtz(const std::string& name, Args args) {
  RETURN_IF_ERROR(Arity(name, args, 1, 2));
  RETURN_IF_ERROR(Expect(name, args, 0, Kind::kNumeric));
  RETURN_IF_ERROR(Expect(name, args, 1, Kind::kIntegral));
  if (args.size() == 2) {
    const Expr& p = *args[1];
    if (p.kind != ExprKind::kLiteral || p.literal.is_null() || p.type.id() != TypeId::kInt32 ||
        (p.literal.int32() != 0 && p.literal.int32() != 3)) {
      return Invalid("function TO_TIMESTAMP_LTZ expects precision 0 (seconds) or 3 "
                     "(milliseconds) for argument 2");
    }
  }
  return Make("TO_TIMESTAMP_LTZ", std::move(args), DataType::TimestampLtz());
}

const std::map<std::string, Resolver, std::less<>>& Table() {
  using K = Kind;
  static const auto* table = new std::map<std::string, Resolver, std::less<>>{
      {"COALESCE", Unifying("COALESCE", true)},
      {"IFNULL", Unifying("COALESCE", true)},
      {"GREATEST", Unifying("GREATEST", false)},
      {"LEAST", Unifying("LEAST", false)},
      {"NULLIF", ResolveNullIf},
      {"IF", ResolveIf},
      {"UPPER", Simple("UPPER", {K::kString}, 1, Fixed(DataType::String()))},
      {"LOWER", Simple("LOWER", {K::kString}, 1, Fixed(DataType::String()))},
      {"INITCAP", Simple("INITCAP", {K::kString}, 1, Fixed(DataType::String()))},
      {"REVERSE", Simple("REVERSE", {K::kString}, 1, Fixed(DataType::String()))},
      {"CHAR_LENGTH", Simple("CHAR_LENGTH", {K::kString}, 1, Fixed(DataType::Int32()))},
      {"CHARACTER_LENGTH", Simple("CHAR_LENGTH", {K::kString}, 1, Fixed(DataType::Int32()))},
      {"SUBSTRING", Simple("SUBSTRING", {K::kString, K::kIntegral, K::kIntegral}, 2,
                           Fixed(DataType::String()))},
      {"SUBSTR", Simple("SUBSTRING", {K::kString, K::kIntegral, K::kIntegral}, 2,
                        Fixed(DataType::String()))},
      {"CONCAT", Variadic("CONCAT", K::kString, 1, DataType::String())},
      {"CONCAT_WS", Variadic("CONCAT_WS", K::kString, 2, DataType::String())},
      {"TRIM", ResolveTrim},
      {"LTRIM", TrimAlias("LEADING")},
      {"RTRIM", TrimAlias("TRAILING")},
      {"REPLACE", Simple("REPLACE", {K::kString, K::kString, K::kString}, 3,
                         Fixed(DataType::String()))},
      {"REGEXP_REPLACE", Simple("REGEXP_REPLACE", {K::kString, K::kString, K::kString}, 3,
                                Fixed(DataType::String()))},
      {"REGEXP_EXTRACT", Simple("REGEXP_EXTRACT", {K::kString, K::kString, K::kIntegral}, 2,
                                Fixed(DataType::String()))},
      {"SPLIT_INDEX", Simple("SPLIT_INDEX", {K::kString, K::kString, K::kIntegral}, 3,
                             Fixed(DataType::String()))},
      {"LPAD", Simple("LPAD", {K::kString, K::kIntegral, K::kString}, 3,
                      Fixed(DataType::String()))},
      {"RPAD", Simple("RPAD", {K::kString, K::kIntegral, K::kString}, 3,
                      Fixed(DataType::String()))},
      {"REPEAT", Simple("REPEAT", {K::kString, K::kIntegral}, 2, Fixed(DataType::String()))},
      {"LEFT", Simple("LEFT", {K::kString, K::kIntegral}, 2, Fixed(DataType::String()))},
      {"RIGHT", Simple("RIGHT", {K::kString, K::kIntegral}, 2, Fixed(DataType::String()))},
      {"POSITION", Simple("POSITION", {K::kString, K::kString}, 2, Fixed(DataType::Int32()))},
      {"DATE_FORMAT", Simple("DATE_FORMAT", {K::kAny, K::kString}, 2, Fixed(DataType::String()))},
      {"EXTRACT", ResolveExtract},
      {"YEAR", ExtractAlias("YEAR")},
      {"QUARTER", ExtractAlias("QUARTER")},
      {"MONTH", ExtractAlias("MONTH")},
      {"WEEK", ExtractAlias("WEEK")},
      {"DAYOFYEAR", ExtractAlias("DOY")},
      {"DAYOFMONTH", ExtractAlias("DAY")},
      {"DAYOFWEEK", ExtractAlias("DOW")},
      {"HOUR", ExtractAlias("HOUR")},
      {"MINUTE", ExtractAlias("MINUTE")},
      {"SECOND", ExtractAlias("SECOND")},
      {"FLOOR_TO", FloorCeilTo("FLOOR_TO")},
      {"CEIL_TO", FloorCeilTo("CEIL_TO")},
      {"FLOOR", FloorCeil("FLOOR")},
      {"CEIL", FloorCeil("CEIL")},
      {"CEILING", FloorCeil("CEIL")},
      {"TO_TIMESTAMP", Simple("TO_TIMESTAMP", {K::kString, K::kString}, 1,
                              Fixed(DataType::Timestamp()))},
      {"TO_TIMESTAMP_LTZ", ResolveToTimestampLtz},
      {"TO_DATE", Simple("TO_DATE", {K::kString, K::kString}, 1, Fixed(DataType::Date()))},
      {"UNIX_TIMESTAMP", Simple("UNIX_TIMESTAMP", {K::kString, K::kString}, 0,
                                Fixed(DataType::Int64()))},
      {"FROM_UNIXTIME", Simple("FROM_UNIXTIME", {K::kIntegral, K::kString}, 1,
                               Fixed(DataType::String()))},
      {"CURRENT_TIMESTAMP", NoArgs("CURRENT_TIMESTAMP", DataType::TimestampLtz())},
      {"NOW", NoArgs("CURRENT_TIMESTAMP", DataType::TimestampLtz())},
      {"CURRENT_ROW_TIMESTAMP", NoArgs("CURRENT_ROW_TIMESTAMP", DataType::TimestampLtz())},
      {"LOCALTIMESTAMP", NoArgs("LOCALTIMESTAMP", DataType::Timestamp())},
      {"CURRENT_DATE", NoArgs("CURRENT_DATE", DataType::Date())},
      {"PROCTIME", NoArgs("PROCTIME", DataType::TimestampLtz())},
      {"ABS", Simple("ABS", {K::kNumeric}, 1, SameAsFirst)},
      {"MOD", ResolveMod},
      {"ROUND", ResolveRound},
      {"POWER", Simple("POWER", {K::kNumeric, K::kNumeric}, 2, Fixed(DataType::Double()))},
      {"SQRT", Simple("SQRT", {K::kNumeric}, 1, Fixed(DataType::Double()))},
      {"LN", Simple("LN", {K::kNumeric}, 1, Fixed(DataType::Double()))},
      {"LOG10", Simple("LOG10", {K::kNumeric}, 1, Fixed(DataType::Double()))},
      {"EXP", Simple("EXP", {K::kNumeric}, 1, Fixed(DataType::Double()))},
  };
  return *table;
}

}  // namespace

Result<ResolvedCall> ResolveFunction(const std::string& name, std::vector<ExprPtr> args) {
  auto it = Table().find(name);
  if (it == Table().end()) {
    if (IsAggregateFunction(name)) return Invalid("aggregate function {} is not allowed here", name);
    return Status(StatusCode::kUnimplemented, fmt::format("unsupported function {}", name));
  }
  return it->second(name, std::move(args));
}

bool IsAggregateFunction(std::string_view name) {
  return name == "COUNT" || name == "SUM" || name == "AVG" || name == "MIN" || name == "MAX";
}

Result<AggregateCall> ResolveAggregate(const std::string& name, std::vector<ExprPtr> args,
                                       bool distinct) {
  AggregateCall call;
  call.function = name;
  call.distinct = distinct;
  if (name == "COUNT") {
    if (args.size() > 1) return Invalid("COUNT takes one argument or *, found {}", args.size());
    call.type = DataType::Int64();
    call.args = std::move(args);
    return call;
  }
  if (args.size() != 1) {
    return Invalid("aggregate function {} takes 1 argument, found {}", name, args.size());
  }
  const DataType& t = args[0]->type;
  if (name == "SUM" || name == "AVG") {
    if (!t.IsNumeric()) {
      return Invalid("aggregate function {} expects a numeric argument, found {}", name,
                     t.ToString());
    }
    call.type = t;
    if (t.id() == TypeId::kDecimal) {
      call.type = DataType::Decimal(38, name == "SUM" ? t.scale() : std::max(t.scale(), 6));
    }
  } else {
    if (t.id() == TypeId::kRow || t.id() == TypeId::kInterval || t.id() == TypeId::kNull) {
      return Invalid("aggregate function {} cannot be applied to {}", name, t.ToString());
    }
    call.type = t;
  }
  call.args = std::move(args);
  return call;
}

}  // namespace kappa::sql
