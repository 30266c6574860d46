#include "engine/agg/aggregate_function.h"

#include "engine/agg/accumulator_impls.h"

namespace kappa::engine {

using columnar::TypeId;

namespace {

Result<AggregateFunction::Kind> KindOf(const sql::AggregateCall& call) {
  using Kind = AggregateFunction::Kind;
  const std::string& f = call.function;
  if (f == "COUNT") {
    if (call.args.empty()) return Kind::kCountStar;
    return call.distinct ? Kind::kCountDistinct : Kind::kCount;
  }
  if (call.distinct && (f == "MIN" || f == "MAX")) {
    return f == "MIN" ? Kind::kMin : Kind::kMax;  // DISTINCT changes nothing
  }
  if (call.distinct) return Unimplemented("unsupported aggregate {}(DISTINCT ...)", f);
  if (f == "SUM") return Kind::kSum;
  if (f == "AVG") return Kind::kAvg;
  if (f == "MIN") return Kind::kMin;
  if (f == "MAX") return Kind::kMax;
  return Unimplemented("unsupported aggregate function {}", f);
}

}  // namespace

Result<std::unique_ptr<AggregateFunction>> AggregateFunction::Make(
    const sql::AggregateCall& call, bool retractions) {
  ASSIGN_OR_RETURN(Kind kind, KindOf(call));
  std::optional<BoundExpr> arg;
  if (kind != Kind::kCountStar) {
    if (call.args.size() != 1) {
      return Invalid("{} takes one argument, got {}", call.function, call.args.size());
    }
    ASSIGN_OR_RETURN(BoundExpr b, BoundExpr::Bind(call.args[0]));
    arg = std::move(b);
    if ((kind == Kind::kSum || kind == Kind::kAvg) && !arg->type().IsNumeric()) {
      return Invalid("{} needs a numeric argument, got {}", call.function,
                     arg->type().ToString());
    }
    if (arg->type().id() == TypeId::kRow) {
      if (kind == Kind::kMin || kind == Kind::kMax) {
        return Unimplemented("{} over ROW values", call.function);
      }
    }
  }
  return std::unique_ptr<AggregateFunction>(
      new AggregateFunction(call, kind, std::move(arg), retractions));
}

std::unique_ptr<Accumulators> AggregateFunction::CreateAccumulators() const {
  switch (kind_) {
    case Kind::kCountStar: return MakeCountAccumulators(true);
    case Kind::kCount: return MakeCountAccumulators(false);
    case Kind::kCountDistinct: return MakeDistinctCountAccumulators();
    case Kind::kSum: return MakeSumAccumulators(arg_->type(), call_.type, false);
    case Kind::kAvg: return MakeSumAccumulators(arg_->type(), call_.type, true);
    case Kind::kMin: return MakeMinMaxAccumulators(arg_->type(), false, retractions_);
    case Kind::kMax: return MakeMinMaxAccumulators(arg_->type(), true, retractions_);
  }
  return MakeCountAccumulators(true);
}

}  // namespace kappa::engine
