// StreamingDeduplicate is ROW_NUMBER() OVER (PARTITION BY p ORDER BY time)
// = 1 in a streaming pipeline (sql/plan.h kDeduplicate): one row per
// partition key, kept up to date as rows arrive, as Flink's row-time
// deduplication does:
//
//   keep first (ORDER BY time ASC)   +I for a key's first row; a later row
//                                    replaces it only with a strictly
//                                    smaller time (-U old, +U new), so
//                                    in-order input and processing time
//                                    give +I rows only
//   keep last (ORDER BY time DESC)   +I for a key's first row, then -U old
//                                    / +U new for every row whose time is
//                                    not smaller (ties: the later arrival)
//
// NULL times order as sort[0]'s nulls_first says. The output's unique key
// is the partition key (the binder declares it), so an upsert sink keyed
// by it holds one row per key.
//
// Keyed state (rows arrive hashed by the partition keys): per key, the
// kept row encoded with key_codec.h's cell encoding and its time;
// snapshotted at each barrier, restored before Open. Input must be
// insert-only (the planner refuses an updating input by name).
#pragma once

#include <memory>
#include <vector>

#include "engine/operator.h"
#include "engine/state/key_codec.h"
#include "sql/plan.h"

namespace kappa::engine {

class StreamingDeduplicate final : public Operator {
 public:
  static Result<std::unique_ptr<StreamingDeduplicate>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(partition_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"kept rows", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

 private:
  StreamingDeduplicate(columnar::Schema schema, std::vector<int> partition_keys, int time_column,
                       bool nulls_first, bool keep_last, KeyDecoder rows)
      : Operator(keep_last ? "Deduplicate(last, streaming)" : "Deduplicate(first, streaming)",
                 std::move(schema)),
        partition_keys_(std::move(partition_keys)), time_column_(time_column),
        nulls_first_(nulls_first), keep_last_(keep_last), rows_(std::move(rows)) {}

  // Whether a row of time (`null`, `time`) replaces the kept one.
  bool Replaces(bool null, int64_t time, bool kept_null, int64_t kept_time) const;

  std::vector<int> partition_keys_;
  int time_column_;
  bool nulls_first_;
  bool keep_last_;
  KeyDecoder rows_;  // decodes a kept row: every input column
};

}  // namespace kappa::engine
