// Factories for the Accumulators of each aggregate function (internal to
// agg/; AggregateFunction picks one).
#pragma once

#include <memory>

#include "columnar/types.h"
#include "engine/agg/accumulators.h"

namespace kappa::engine {

// COUNT(*) when `star`, else COUNT(x) (non-NULL values).
std::unique_ptr<Accumulators> MakeCountAccumulators(bool star);
// SUM(x), or AVG(x) when `average`. REQUIRES: arg numeric.
std::unique_ptr<Accumulators> MakeSumAccumulators(const columnar::DataType& arg,
                                                  const columnar::DataType& result,
                                                  bool average);
// MIN(x) or MAX(x); with `retractions`, a count per distinct value.
std::unique_ptr<Accumulators> MakeMinMaxAccumulators(const columnar::DataType& arg, bool max,
                                                     bool retractions);
// COUNT(DISTINCT x): a count per distinct non-NULL value.
std::unique_ptr<Accumulators> MakeDistinctCountAccumulators();

// Decimal arithmetic helpers shared by SUM/AVG.
columnar::Int128 RescaleDecimal(columnar::Int128 v, int from_scale, int to_scale);
columnar::Int128 DivideHalfUp(columnar::Int128 a, columnar::Int128 b);

}  // namespace kappa::engine
