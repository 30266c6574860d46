// GroupAggregate is an unbounded GROUP BY. In a streaming job it emits a
// changelog after each input batch (mini-batch semantics, as Flink's
// mini-batch aggregate): for each group the batch touched, +I for a new
// group, -U old / +U new when its result changed, -D when its last row was
// retracted; nothing when the result is unchanged. In a bounded query it
// emits each group's final row once, at the end of input (a global
// aggregate over no rows still gives one row, from one task).
//
// Keyed state (one shard per task, rows arrive hashed by the group key): a
// GroupTable of encoded keys, a row count per group (so retractions can
// delete a group) and the accumulators of each aggregate call.
#pragma once

#include <memory>

#include "engine/agg/aggregate_set.h"
#include "engine/operator.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

class GroupAggregate final : public Operator {
 public:
  // `bounded`: emit final rows at the end instead of a changelog.
  static Result<std::unique_ptr<GroupAggregate>> Make(const sql::Plan& plan, bool bounded);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(group_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"groups", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;
  Status OnEndOfInput(OperatorState* state, OperatorOutput* out) const override;

 private:
  GroupAggregate(columnar::Schema schema, std::vector<int> group_keys, KeyDecoder decoder,
                 AggregateSet aggs, bool bounded)
      : Operator("GroupAggregate", std::move(schema)), group_keys_(std::move(group_keys)),
        decoder_(std::move(decoder)), aggs_(std::move(aggs)), bounded_(bounded) {}

  std::vector<int> group_keys_;
  KeyDecoder decoder_;
  AggregateSet aggs_;
  bool bounded_;
};

}  // namespace kappa::engine
