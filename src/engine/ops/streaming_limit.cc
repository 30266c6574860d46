#include "engine/ops/streaming_limit.h"

#include <algorithm>

#include "engine/state/state_io.h"

namespace kappa::engine {

namespace {

struct LimitState : OperatorState {
  using OperatorState::OperatorState;
  int64_t passed = 0;
};

}  // namespace

Result<std::unique_ptr<StreamingLimit>> StreamingLimit::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("LIMIT needs one input");
  if (plan.inputs[0]->updates) {
    return Unimplemented("LIMIT over an updating input (such as an unbounded GROUP BY) is not "
                         "supported yet in streaming pipelines");
  }
  if (plan.offset != 0) return Unimplemented("OFFSET in a streaming pipeline");
  if (plan.limit < 0) return Internal("streaming LIMIT without a row count");
  return std::unique_ptr<StreamingLimit>(new StreamingLimit(plan.schema, plan.limit));
}

std::unique_ptr<OperatorState> StreamingLimit::CreateState(ExecContext* ctx) const {
  return std::make_unique<LimitState>(ctx);
}

Status StreamingLimit::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                    OperatorOutput* out) const {
  auto* s = static_cast<LimitState*>(state);
  const columnar::Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  size_t n = in.active_rows();
  if (n == 0 || s->passed >= limit_) return OkStatus();
  size_t take = static_cast<size_t>(std::min<int64_t>(limit_ - s->passed, static_cast<int64_t>(n)));
  s->passed += static_cast<int64_t>(take);
  if (take == n) return out->Emit(Chunk(in));
  std::vector<uint32_t> rows(take);
  for (size_t i = 0; i < take; ++i) rows[i] = in.row(i);
  columnar::Batch b = in;
  b.selection = std::move(rows);
  return out->Emit(Chunk(std::move(b)));
}

Status StreamingLimit::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                 std::string* snapshot) const {
  StateWriter w;
  w.I64(static_cast<LimitState*>(state)->passed);
  snapshot->append(w.data());
  return OkStatus();
}

Status StreamingLimit::Restore(OperatorState* state, std::string_view snapshot) const {
  StateReader r(snapshot, "limit snapshot");
  RETURN_IF_ERROR(r.I64(&static_cast<LimitState*>(state)->passed));
  return r.ExpectEnd();
}

}  // namespace kappa::engine
