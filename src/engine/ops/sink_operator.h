// SinkOperator is the end of an INSERT: it stages the rows it receives into
// its task's SinkWriter and, at each checkpoint barrier, snapshots the
// writer's prepared payload (PrepareCommit), which the job commits once the
// checkpoint is durable. It emits nothing.
#pragma once

#include <memory>

#include "engine/operator.h"
#include "engine/sink/sink.h"

namespace kappa::engine {

class SinkOperator final : public Operator {
 public:
  // `sink` must outlive the operator; `index` is the sink's index in the
  // job (checkpoint payloads are filed under it).
  SinkOperator(columnar::Schema schema, Sink* sink, int index)
      : Operator("Sink", std::move(schema)), sink_(sink), index_(index) {}

  Sink* sink() const { return sink_; }
  int index() const { return index_; }

  std::vector<StateDecl> state() const override { return {{"staged rows", false}}; }
  std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const override;
  // A sink's snapshot is its commit payload; it is not restored (the job
  // commits it on recovery instead).
  Status Restore(OperatorState* /*state*/, std::string_view /*snapshot*/) const override {
    return OkStatus();
  }
  Status Open(OperatorState* state, OperatorOutput* out) const override;
  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;
  Status OnWatermark(OperatorState* /*state*/, int64_t /*watermark*/,
                     OperatorOutput* /*out*/) const override {
    return OkStatus();
  }
  Status OnBarrier(OperatorState* state, Epoch epoch, std::string* snapshot) const override;

  // The task's writer (for the runtime's staged-bytes check).
  static SinkWriter* WriterOf(OperatorState* state);

 private:
  Sink* sink_;
  int index_;
};

}  // namespace kappa::engine
