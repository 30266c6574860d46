// WindowAggregate is GROUP BY window_start, window_end[, keys] over a
// TUMBLE, HOP or CUMULATE window TVF: it accumulates each (window, key)
// group and emits its row once, as +I, when the watermark passes the
// window's end (watermark >= window_end - 1 ms); the group is then dropped.
// The output is append-only. Rows that reach a window already emitted
// (possible only without a watermark assigner upstream) are reported late.
//
// Keyed state: a GroupTable of (window, key) groups, their accumulators and
// window ends, and the pending windows ordered by end.
#pragma once

#include <memory>

#include "engine/agg/aggregate_set.h"
#include "engine/operator.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

class WindowAggregate final : public Operator {
 public:
  static Result<std::unique_ptr<WindowAggregate>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override {
    return Distribution::Hash(group_keys_);
  }
  std::vector<StateDecl> state() const override { return {{"windows", true}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* state, int64_t watermark, OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

 private:
  WindowAggregate(columnar::Schema schema, std::vector<int> group_keys, int window_end,
                  KeyDecoder decoder, AggregateSet aggs)
      : Operator("WindowAggregate", std::move(schema)), group_keys_(std::move(group_keys)),
        window_end_(window_end), decoder_(std::move(decoder)), aggs_(std::move(aggs)) {}

  std::vector<int> group_keys_;
  int window_end_;
  KeyDecoder decoder_;
  AggregateSet aggs_;
};

}  // namespace kappa::engine
