// Deduplicate is a bounded query's ROW_NUMBER() OVER (PARTITION BY p ORDER
// BY time) = 1 (sql/plan.h kDeduplicate): one row per partition key. Keep
// first (ORDER BY time ASC) takes the row with the smallest time, the
// earliest to arrive among rows of equal time; keep last (DESC) the row
// with the largest time, the latest to arrive among equals (Flink's
// first-row / last-row semantics). NULL times sort as sort[0] says. A NULL
// partition key is a partition of its own. Output: the input columns, one
// row per partition at the end of input, in the order partitions were
// first seen.
//
// Rows arrive hashed by the partition keys. It holds one row per
// partition; the row store is compacted when most of what it holds was
// replaced. Watermarks are not forwarded. Input must be insert-only.
// Streaming deduplication (+I once for keep-first, -U/+U for keep-last) is
// not this operator; the planner refuses it.
#pragma once

#include <memory>
#include <vector>

#include "engine/operator.h"
#include "engine/ops/row_order.h"

namespace kappa::engine {

class Deduplicate final : public Operator {
 public:
  static Result<std::unique_ptr<Deduplicate>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(partition_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"rows", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* /*state*/, int64_t /*watermark*/,
                     OperatorOutput* /*out*/) const override {
    return OkStatus();
  }
  Status OnEndOfInput(OperatorState* state, OperatorOutput* out) const override;

 private:
  Deduplicate(columnar::Schema schema, std::vector<int> partition_keys, SortColumns time,
              bool keep_last)
      : Operator(keep_last ? "Deduplicate(last)" : "Deduplicate(first)", std::move(schema)),
        partition_keys_(std::move(partition_keys)), time_(std::move(time)),
        keep_last_(keep_last) {}

  std::vector<int> partition_keys_;
  SortColumns time_;
  bool keep_last_;
};

}  // namespace kappa::engine
