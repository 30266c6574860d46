// AggregateFunction is one planned aggregate call of a GROUP BY: the
// function, its bound argument and its result type, checked once at
// planning. It creates the Accumulators that hold the call's state in each
// task. Immutable; shared by the tasks of a job.
//
// Supported: COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM, AVG, MIN, MAX over
// INT, BIGINT, DOUBLE, DECIMAL (MIN/MAX also over STRING, BOOLEAN, DATE and
// timestamps). Results follow Flink: SUM and AVG of no non-NULL values are
// NULL; AVG of an integral type truncates; AVG of a DECIMAL rounds half up
// to the result scale. `retractions` selects state that can take -U/-D rows
// back (MIN/MAX then keep a count per value).
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"
#include "engine/agg/accumulators.h"
#include "engine/bound_expr.h"
#include "sql/plan.h"

namespace kappa::engine {

class AggregateFunction {
 public:
  enum class Kind { kCountStar, kCount, kCountDistinct, kSum, kAvg, kMin, kMax };

  static Result<std::unique_ptr<AggregateFunction>> Make(const sql::AggregateCall& call,
                                                         bool retractions);

  Kind kind() const { return kind_; }
  const columnar::DataType& result_type() const { return call_.type; }
  // The argument, absent for COUNT(*).
  const std::optional<BoundExpr>& arg() const { return arg_; }
  std::unique_ptr<Accumulators> CreateAccumulators() const;

 private:
  AggregateFunction(sql::AggregateCall call, Kind kind, std::optional<BoundExpr> arg,
                    bool retractions)
      : call_(std::move(call)), kind_(kind), arg_(std::move(arg)), retractions_(retractions) {}

  sql::AggregateCall call_;
  Kind kind_;
  std::optional<BoundExpr> arg_;
  bool retractions_;
};

}  // namespace kappa::engine
