// The operator interface of Kappa's streaming engine (Arroyo-like, see
// STYLE.md). An Operator is immutable once planned and shared by every task
// of a job; everything it mutates lives in the OperatorState it creates, one
// per task (for a keyed operator: that task's shard of the keys). The
// runtime calls an operator of one task from that task's thread only, in
// stream order:
//
//   Open                          once, after CreateState and Restore
//   ProcessBatch(port, chunk)     data arriving on input port `port`
//   OnWatermark(wm)               the minimum watermark over all inputs rose
//   OnBarrier(epoch) -> bytes     checkpoint barrier aligned on all inputs:
//                                 serialise the state
//   Restore(bytes)                before Open, from the last checkpoint
//   OnEndOfInput                  bounded input finished (after a final
//                                 OnWatermark(kMaxWatermark)): flush
//   OnCommit(epoch)               the checkpoint of `epoch` is durable
//                                 (declared for operators that will need
//                                 it; the runtime does not call it yet)
//
// Output goes to an OperatorOutput, which the runtime routes downstream.
// Errors returned stop the job with that status; bad input records are not
// errors (they are reported to the ExecContext and skipped).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/strong_id.h"
#include "columnar/types.h"
#include "engine/chunk.h"

namespace kappa::engine {

class ExecContext;

// Where an operator's results go.
class OperatorOutput {
 public:
  virtual ~OperatorOutput() = default;
  virtual Status Emit(Chunk chunk) = 0;
  // Operators that generate watermarks (the watermark assigner) or hold
  // them back; the default OnWatermark forwards the input watermark here.
  virtual Status EmitWatermark(int64_t watermark) = 0;
  // This output will carry no watermark for now (a task without source
  // partitions): downstream operators do not wait for it.
  virtual Status EmitIdle() = 0;
};

// How rows must be spread over tasks on an input port.
struct Distribution {
  enum class Kind { kAny, kHash, kSingle };
  Kind kind = Kind::kAny;
  std::vector<int> keys;  // kHash: input columns whose values pick the task

  static Distribution Any() { return {}; }
  static Distribution Hash(std::vector<int> keys) { return {Kind::kHash, std::move(keys)}; }
  static Distribution Single() { return {Kind::kSingle, {}}; }
};

// One piece of state an operator owns, for status pages and docs.
struct StateDecl {
  std::string name;  // "groups", "windows", "split watermarks", ...
  bool keyed = false;  // sharded by key across tasks
};

class OperatorState {
 public:
  explicit OperatorState(ExecContext* ctx) : ctx_(ctx) {}
  virtual ~OperatorState() = default;
  ExecContext* ctx() const { return ctx_; }

 private:
  ExecContext* ctx_;  // lives as long as the task
};

class Operator {
 public:
  Operator(std::string name, columnar::Schema output_schema)
      : name_(std::move(name)), output_schema_(std::move(output_schema)) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  const std::string& name() const { return name_; }
  const columnar::Schema& output_schema() const { return output_schema_; }

  virtual int num_inputs() const { return 1; }
  virtual Distribution input_distribution(int /*port*/) const { return Distribution::Any(); }
  virtual std::vector<StateDecl> state() const { return {}; }

  virtual std::unique_ptr<OperatorState> CreateState(ExecContext* ctx) const {
    return std::make_unique<OperatorState>(ctx);
  }
  virtual Status Restore(OperatorState* /*state*/, std::string_view snapshot) const;
  virtual Status Open(OperatorState* /*state*/, OperatorOutput* /*out*/) const {
    return OkStatus();
  }
  virtual Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                              OperatorOutput* out) const = 0;
  virtual Status OnWatermark(OperatorState* /*state*/, int64_t watermark,
                             OperatorOutput* out) const {
    return out->EmitWatermark(watermark);
  }
  // Appends the state's snapshot to *snapshot (nothing for stateless ones).
  virtual Status OnBarrier(OperatorState* /*state*/, Epoch /*epoch*/,
                           std::string* /*snapshot*/) const {
    return OkStatus();
  }
  virtual Status OnEndOfInput(OperatorState* /*state*/, OperatorOutput* /*out*/) const {
    return OkStatus();
  }
  virtual Status OnCommit(OperatorState* /*state*/, Epoch /*epoch*/) const { return OkStatus(); }

 private:
  std::string name_;
  columnar::Schema output_schema_;
};

}  // namespace kappa::engine
