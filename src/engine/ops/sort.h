// SortOperator runs ORDER BY, LIMIT/OFFSET and their combination in
// bounded queries: it holds its input and, at the end of input, emits the
// rows in order (sql/plan.h SortKey; row_order.h for how values compare).
//
// With a limit it is a top-k: it never holds more than about
// 2 x (offset + limit) rows (plus one batch), trimming to the best
// offset + limit as it goes; LIMIT 0 holds nothing. Without sort keys
// (LIMIT alone) the rows kept are the first to arrive.
//
// Order is deterministic: rows tied on every sort key are ordered by their
// other columns, then by arrival (so equal rows, which cannot be told
// apart, are the only ones whose order depends on the tasks' timing).
//
// The planner uses it twice for a parallel job: a partial stage in every
// task (any distribution) that keeps each task's best offset + limit rows,
// then a final stage that gathers every row into one task (Distribution
// kSingle), applies the offset and emits one ordered stream; everything
// after it is a forward edge, so the order reaches the query's sink.
//
// Watermarks are not forwarded: rows come out at the end of input, after
// which the runtime sends the end (and with it +inf) downstream. Input
// must be insert-only. State: the rows held (per task, not keyed).
#pragma once

#include <memory>
#include <vector>

#include "engine/operator.h"
#include "engine/ops/row_order.h"

namespace kappa::engine {

class SortOperator final : public Operator {
 public:
  struct Spec {
    std::vector<sql::SortKey> keys;  // over the input; empty = keep arrival order
    int64_t limit = -1;              // rows to emit after the offset; -1 = all
    int64_t offset = 0;              // rows to skip (final stage only)
    bool final = true;               // false: the partial stage of a parallel job
  };

  // `schema`: the input's (and output's) columns.
  static Result<std::unique_ptr<SortOperator>> Make(const columnar::Schema& schema, Spec spec);

  Distribution input_distribution(int /*port*/) const override {
    return final_ ? Distribution::Single() : Distribution::Any();
  }
  std::vector<StateDecl> state() const override { return {{"rows", false}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* /*state*/, int64_t /*watermark*/,
                     OperatorOutput* /*out*/) const override {
    return OkStatus();
  }
  Status OnEndOfInput(OperatorState* state, OperatorOutput* out) const override;

 private:
  SortOperator(std::string name, columnar::Schema schema, SortColumns keys, int64_t keep,
               int64_t skip, bool final)
      : Operator(std::move(name), std::move(schema)), keys_(std::move(keys)), keep_(keep),
        skip_(skip), final_(final) {}

  // Keeps the best keep_ rows of the state, in order; `compact` drops
  // the batches of the others.
  void Trim(OperatorState* state, bool compact) const;

  SortColumns keys_;
  int64_t keep_;  // rows to hold (offset + limit); -1 = all
  int64_t skip_;  // rows to drop from the front when emitting
  bool final_;
};

}  // namespace kappa::engine
