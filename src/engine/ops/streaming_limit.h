// StreamingLimit is LIMIT n without ORDER BY in a streaming pipeline
// (sql/plan.h kLimit): the first n rows to reach it pass as +I, every
// later row is dropped, as Flink's streaming LIMIT. Which rows those are
// depends on arrival order across partitions; ORDER BY ... LIMIT n (a
// Top-N) is the deterministic form.
//
// All rows go to one task (Distribution kSingle), which counts them; the
// count is its state, snapshotted at each barrier. Input must be
// insert-only (an updating input is refused by name).
#pragma once

#include <memory>

#include "engine/operator.h"
#include "sql/plan.h"

namespace kappa::engine {

class StreamingLimit final : public Operator {
 public:
  static Result<std::unique_ptr<StreamingLimit>> Make(const sql::Plan& plan);

  Distribution input_distribution(int /*port*/) const override { return Distribution::Single(); }
  std::vector<StateDecl> state() const override { return {{"rows passed", false}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  Status Restore(OperatorState* state, std::string_view snapshot) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

 private:
  StreamingLimit(columnar::Schema schema, int64_t limit)
      : Operator("Limit(streaming)", std::move(schema)), limit_(limit) {}

  int64_t limit_;
};

}  // namespace kappa::engine
