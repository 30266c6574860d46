// SessionWindowAggregate is GROUP BY window_start, window_end[, keys] over a
// SESSION window TVF. Each input row arrives with its own window
// [t, t + gap); rows of one key whose windows overlap or touch merge into
// one session (so a gap of exactly `gap` does not split it, as Flink's
// TimeWindow.intersects). A session is emitted once, as +I, when the
// watermark passes its end - 1 ms; window_start is its first row's time,
// window_end its last row's time + gap.
//
// Keyed state: per key, its open sessions sorted by start, each with an
// accumulator slot; the open sessions ordered by end for firing.
#pragma once

#include <memory>

#include "engine/agg/aggregate_set.h"
#include "engine/operator.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

class SessionWindowAggregate final : public Operator {
 public:
  static Result<std::unique_ptr<SessionWindowAggregate>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(partition_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"sessions", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* state, int64_t watermark, OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

 private:
  // What output group key i holds.
  enum class KeyRole { kStart, kEnd, kTime, kKey };

  SessionWindowAggregate(columnar::Schema schema, std::vector<int> partition_keys,
                         std::vector<KeyRole> roles, int window_start, int window_end,
                         KeyDecoder decoder, AggregateSet aggs)
      : Operator("SessionWindowAggregate", std::move(schema)),
        partition_keys_(std::move(partition_keys)), roles_(std::move(roles)),
        window_start_(window_start), window_end_(window_end), decoder_(std::move(decoder)),
        aggs_(std::move(aggs)) {}

  Status AppendSessionRow(OperatorState* state, uint32_t key_id, int64_t start, int64_t end,
                          uint32_t slot,
                          const std::vector<std::shared_ptr<columnar::Column>>& out) const;

  std::vector<int> partition_keys_;
  std::vector<KeyRole> roles_;
  int window_start_, window_end_;
  KeyDecoder decoder_;  // of the partition keys
  AggregateSet aggs_;
};

}  // namespace kappa::engine
