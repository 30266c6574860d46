// StreamingJoin is a regular JOIN in a streaming pipeline (sql/plan.h
// kJoin) of two insert-only inputs, as Flink's streaming join: every row
// is kept in its side's keyed state and joined with the rows the other
// side has kept so far, on the equi-keys plus the residual predicate
// (part of the join condition). A NULL key never matches. Output columns:
// the left input's, then the right input's.
//
//   a pair that matches             +I (left, right)
//   an outer side's row, no match   +I (row, NULLs) when it arrives
//   its first match, later          -D (row, NULLs), then +I the pair
//
// Rows that can never match (a NULL key) are not kept. State grows with
// both inputs (no TTL yet).
//
// Keyed state (port 0 hashed by left_keys, port 1 by right_keys; both in
// one task without keys): per side and key, the rows cell-encoded with
// the number of matches each has had (for the outer sides' -D);
// snapshotted at each barrier, restored before Open. An updating input is
// refused by name.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "engine/bound_expr.h"
#include "engine/operator.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

class StreamingJoin final : public Operator {
 public:
  static Result<std::unique_ptr<StreamingJoin>> Make(const sql::Plan& plan);

  int num_inputs() const override { return 2; }
  Distribution input_distribution(int port) const override {
    return Distribution::Hash(keys_[port]);
  }
  std::vector<StateDecl> state() const override {
    return {{"left rows", true}, {"right rows", true}};
  }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

  class Step;

 private:
  StreamingJoin(columnar::Schema schema, sql::JoinKind kind, std::vector<int> left_keys,
                std::vector<int> right_keys, std::optional<BoundExpr> residual,
                KeyDecoder left_rows, KeyDecoder right_rows)
      : Operator(NameOf(kind), std::move(schema)), kind_(kind),
        keys_{std::move(left_keys), std::move(right_keys)}, residual_(std::move(residual)),
        rows_{std::move(left_rows), std::move(right_rows)} {}

  static std::string NameOf(sql::JoinKind kind);
  // Whether unmatched rows of input `side` (0 left, 1 right) are kept.
  bool Preserves(int side) const;

  sql::JoinKind kind_;
  std::vector<int> keys_[2];
  std::optional<BoundExpr> residual_;
  KeyDecoder rows_[2];  // every column of each side
};

}  // namespace kappa::engine
