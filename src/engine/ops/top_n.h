// TopN is a bounded query's ROW_NUMBER() OVER (PARTITION BY p ORDER BY o)
// <= N (sql/plan.h kTopN): for each partition key, the first N rows by the
// sort keys, emitted at the end of input partition by partition (in the
// order partitions were first seen), best row first. When the plan keeps
// the row number (output = input columns + 1) it is appended as a BIGINT
// NOT NULL column 1..N. Rows tied on the sort keys are numbered by their
// other columns, then by arrival, as SortOperator orders them, so the
// numbering does not depend on task timing. A NULL partition key is a
// partition of its own.
//
// Rows arrive hashed by the partition keys (all in one task when there
// are none). Per partition it holds at most about 2N candidate rows,
// trimming to the best N as it goes; the shared row store is compacted
// when most of what it holds was trimmed away. Watermarks are not
// forwarded. Input must be insert-only. Streaming Top-N (a changelog) is
// not this operator; the planner refuses it.
#pragma once

#include <memory>
#include <vector>

#include "engine/operator.h"
#include "engine/ops/row_order.h"

namespace kappa::engine {

class TopN final : public Operator {
 public:
  static Result<std::unique_ptr<TopN>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(partition_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"partitions", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* /*state*/, int64_t /*watermark*/,
                     OperatorOutput* /*out*/) const override {
    return OkStatus();
  }
  Status OnEndOfInput(OperatorState* state, OperatorOutput* out) const override;

 private:
  TopN(columnar::Schema schema, std::vector<int> partition_keys, SortColumns keys, int64_t limit,
       size_t input_columns)
      : Operator("TopN", std::move(schema)), partition_keys_(std::move(partition_keys)),
        keys_(std::move(keys)), limit_(limit), input_columns_(input_columns) {}

  bool with_row_number() const { return output_schema().size() > input_columns_; }

  std::vector<int> partition_keys_;
  SortColumns keys_;
  int64_t limit_;
  size_t input_columns_;
};

}  // namespace kappa::engine
