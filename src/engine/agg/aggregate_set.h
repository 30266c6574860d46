// AggregateSet is the list of aggregate calls of one GROUP BY, planned once
// (AggregateFunction); AggregateStates holds their Accumulators for one
// operator state. Together they apply a batch to the groups its rows belong
// to, and write a group's results as output columns. AggregateSet is
// immutable and shared; AggregateStates is owned by one task.
#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "engine/agg/aggregate_function.h"
#include "engine/state/state_io.h"
#include "sql/plan.h"

namespace kappa::engine {

class AggregateStates;

class AggregateSet {
 public:
  static Result<AggregateSet> Make(const std::vector<sql::AggregateCall>& calls,
                                   bool retractions);

  size_t size() const { return functions_.size(); }
  const AggregateFunction& function(size_t i) const { return *functions_[i]; }
  AggregateStates CreateStates() const;

  // Applies active rows of `batch`: active row i belongs to group gids[i],
  // is physical row rows[i], with sign signs[i] (signs empty: all +1).
  // Evaluates each argument once over the batch.
  Status Update(const columnar::Batch& batch, const std::vector<uint32_t>& gids,
                const std::vector<uint32_t>& rows, const std::vector<int8_t>& signs,
                AggregateStates* states) const;

 private:
  std::vector<std::shared_ptr<const AggregateFunction>> functions_;
};

class AggregateStates {
 public:
  void Resize(uint32_t groups);
  void Clear(uint32_t gid);
  void Merge(uint32_t into, uint32_t from);
  // Appends each aggregate's value of `gid` to columns[first + i].
  void AppendResults(uint32_t gid, const std::vector<std::shared_ptr<columnar::Column>>& columns,
                     size_t first) const;
  void Save(uint32_t gid, StateWriter* w) const;
  Status Load(uint32_t gid, StateReader* r);

 private:
  friend class AggregateSet;
  std::vector<std::unique_ptr<Accumulators>> accs_;
};

}  // namespace kappa::engine
