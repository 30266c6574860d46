#include "engine/ops/sink_operator.h"

#include "engine/exec_context.h"

namespace kappa::engine {

namespace {

struct SinkState : OperatorState {
  using OperatorState::OperatorState;
  std::unique_ptr<SinkWriter> writer;
};

}  // namespace

std::unique_ptr<OperatorState> SinkOperator::CreateState(ExecContext* ctx) const {
  return std::make_unique<SinkState>(ctx);
}

Status SinkOperator::Open(OperatorState* state, OperatorOutput* /*out*/) const {
  auto* s = static_cast<SinkState*>(state);
  ASSIGN_OR_RETURN(s->writer, sink_->CreateWriter(s->ctx()->task()));
  return OkStatus();
}

Status SinkOperator::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                  OperatorOutput* /*out*/) const {
  auto* s = static_cast<SinkState*>(state);
  if (chunk.batch.active_rows() == 0) return OkStatus();
  s->ctx()->counters()->records_out.fetch_add(static_cast<int64_t>(chunk.batch.active_rows()),
                                              std::memory_order_relaxed);
  return s->writer->Stage(chunk.batch);
}

Status SinkOperator::OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const {
  auto* s = static_cast<SinkState*>(state);
  ASSIGN_OR_RETURN(std::string payload, s->writer->PrepareCommit(epoch));
  snapshot->append(payload);
  return OkStatus();
}

SinkWriter* SinkOperator::WriterOf(OperatorState* state) {
  return static_cast<SinkState*>(state)->writer.get();
}

}  // namespace kappa::engine
