// StreamingTopN is ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) <= N, or
// ORDER BY o LIMIT N, in a streaming pipeline (sql/plan.h kTopN) over an
// insert-only input, as Flink's append-only Top-N: per partition key it
// keeps the best N rows so far (ties: the earlier arrival ranks first) and
// emits a changelog when a row enters them:
//
//   without the row number   -D the row pushed out of the top N (if
//                            any), then +I the new row
//   with the row number      for each rank from the new row's down to the
//                            last filled one whose row changed: -U the old
//                            (row, rank), +U the new (row, rank); +I for a
//                            rank filled for the first time
//
// A row that does not make the top N emits nothing. The output's unique
// key is the partition keys plus the row number (the binder declares it
// when the row number is kept).
//
// Keyed state (rows arrive hashed by the partition keys; all in one task
// without them): per partition, up to N rows, cell-encoded, best first;
// snapshotted at each barrier, restored before Open. Sort keys must be
// input columns (the binder projects expressions first).
#pragma once

#include <memory>
#include <vector>

#include "engine/operator.h"
#include "engine/state/key_codec.h"
#include "sql/plan.h"

namespace kappa::engine {

class StreamingTopN final : public Operator {
 public:
  static Result<std::unique_ptr<StreamingTopN>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(partition_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"top rows", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

  struct Entry;
  class Emitter;

 private:
  StreamingTopN(columnar::Schema schema, std::vector<int> partition_keys,
                std::vector<sql::SortKey> sort, std::vector<int> sort_columns, int64_t limit,
                KeyDecoder rows)
      : Operator("TopN(streaming)", std::move(schema)), partition_keys_(std::move(partition_keys)),
        sort_(std::move(sort)), sort_columns_(std::move(sort_columns)), limit_(limit),
        rows_(std::move(rows)) {}

  bool with_row_number() const { return output_schema().size() > rows_.types().size(); }
  // <0 when entry `a` ranks before `b` by the sort keys alone.
  int Compare(const Entry& a, const Entry& b) const;
  // Decodes a snapshot row into an entry (its sort key values).
  Result<Entry> EntryOf(std::string row) const;

  std::vector<int> partition_keys_;
  std::vector<sql::SortKey> sort_;
  std::vector<int> sort_columns_;  // input column of each sort key
  int64_t limit_;
  KeyDecoder rows_;  // every input column
};

}  // namespace kappa::engine
