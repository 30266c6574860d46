// HashJoin is a bounded query's JOIN (sql/plan.h kJoin): inner, left,
// right and full outer, on the equi-keys left_keys[i] = right_keys[i] plus
// the residual predicate, which is part of the join condition (for an
// outer join a row whose every candidate fails it is kept, padded with
// NULLs; it is not a filter after the join). A NULL key never matches,
// not even another NULL. Without equi-keys it is a nested-loop join: every
// pair is a candidate for the predicate (a cross join when there is none).
//
// It holds both inputs until the end of input (the runtime does not tell
// an operator that one of its inputs has ended), then builds a hash table
// over the smaller side and probes it with the other side batch by batch,
// gathering the matching pairs into output batches of up to kBatchRows
// rows (Column::Take); unmatched rows of an outer side follow. Output
// columns: the left input's, then the right input's.
//
// Rows arrive hashed by their keys (port 0 by left_keys, port 1 by
// right_keys; the binder casts both sides of a key to one type, so equal
// values hash alike), so each task joins its shard. Watermarks are not
// forwarded (rows come out at the end). Input must be insert-only.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "engine/bound_expr.h"
#include "engine/operator.h"

namespace kappa::engine {

class HashJoin final : public Operator {
 public:
  static Result<std::unique_ptr<HashJoin>> Make(const sql::Plan& plan);

  int num_inputs() const override { return 2; }
  Distribution input_distribution(int port) const override {
    return Distribution::Hash(keys_[port]);
  }
  std::vector<StateDecl> state() const override { return {{"left rows", true}, {"right rows", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* /*state*/, int64_t /*watermark*/,
                     OperatorOutput* /*out*/) const override {
    return OkStatus();
  }
  Status OnEndOfInput(OperatorState* state, OperatorOutput* out) const override;

 private:
  class Run;

  HashJoin(columnar::Schema schema, sql::JoinKind kind, std::vector<int> left_keys,
           std::vector<int> right_keys, std::optional<BoundExpr> residual, size_t left_columns)
      : Operator(NameOf(kind), std::move(schema)), kind_(kind),
        keys_{std::move(left_keys), std::move(right_keys)}, residual_(std::move(residual)),
        left_columns_(left_columns) {}

  static std::string NameOf(sql::JoinKind kind);
  // Whether unmatched rows of input `side` (0 left, 1 right) are kept.
  bool Preserves(int side) const;

  sql::JoinKind kind_;
  std::vector<int> keys_[2];
  std::optional<BoundExpr> residual_;
  size_t left_columns_;
};

}  // namespace kappa::engine
