// WatermarkAssigner computes event-time watermarks per source split (one
// partition of the source topic), as ARCHITECTURE.md requires: a split's
// watermark is the largest value of the WATERMARK expression over that
// split's rows so far, in offset order. Each outgoing chunk carries, per
// row, its split's watermark just before that row (Chunk::row_watermarks),
// from which the window assigner decides lateness; the assigner emits the
// minimum over the splits this task reads whenever it rises. A split that
// has had no row yet holds the minimum at kMinWatermark (windows wait for
// it); a task that reads no split of the source is idle and holds nothing
// back. State: the watermark of each split this task owns (checkpointed, so
// lateness after a restart is judged exactly as before it).
#pragma once

#include <memory>

#include "engine/bound_expr.h"
#include "engine/operator.h"

namespace kappa::engine {

class WatermarkAssigner final : public Operator {
 public:
  // `source` is the index of the scan under this node (its splits).
  static Result<std::unique_ptr<WatermarkAssigner>> Make(const sql::Plan& plan, int source);

  std::vector<StateDecl> state() const override { return {{"split watermarks", false}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status Open(OperatorState* state, OperatorOutput* out) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* state, int64_t watermark, OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

 private:
  WatermarkAssigner(columnar::Schema schema, BoundExpr watermark, int source)
      : Operator("WatermarkAssigner", std::move(schema)), watermark_(std::move(watermark)),
        source_(source) {}

  BoundExpr watermark_;
  int source_;
};

}  // namespace kappa::engine
