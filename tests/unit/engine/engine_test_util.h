// Helpers for the engine's unit tests: hand-built schemas, batches and
// logical plans (what the binder would produce), and a harness that runs a
// chain of operators in one thread, collecting their output.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "engine/exec_context.h"
#include "engine/operator.h"
#include "gtest/gtest.h"
#include "sql/plan.h"

namespace kappa::engine::testing {

using columnar::DataType;
using columnar::Value;

inline columnar::Schema MakeSchema(std::vector<std::pair<std::string, DataType>> fields) {
  columnar::Schema s;
  for (auto& [name, type] : fields) s.Add({name, type, true});
  return s;
}

inline Value Ts(int64_t ms) { return Value::Timestamp(ms); }
inline Value I64(int64_t v) { return Value::Int64(v); }
inline Value Str(std::string s) { return Value::String(std::move(s)); }

inline columnar::Batch MakeBatch(const columnar::Schema& schema,
                                 const std::vector<std::vector<Value>>& rows,
                                 std::vector<columnar::RowKind> kinds = {}) {
  columnar::BatchBuilder b(schema);
  for (size_t i = 0; i < rows.size(); ++i) {
    b.AppendRow(rows[i], kinds.empty() ? columnar::RowKind::kInsert : kinds[i]);
  }
  return b.Finish();
}

// A source table over a JSON topic.
inline std::shared_ptr<sql::TableDef> Table(std::string name, columnar::Schema schema,
                                            std::string topic,
                                            std::vector<int> primary_key = {}) {
  auto t = std::make_shared<sql::TableDef>();
  t->name = std::move(name);
  t->physical = schema;
  t->schema = schema;
  t->primary_key = std::move(primary_key);
  t->options = {{"connector", "kafka"}, {"topic", std::move(topic)}, {"format", "json"}};
  return t;
}

inline sql::PlanPtr ScanPlan(std::shared_ptr<const sql::TableDef> table) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kScan;
  p->schema = table->physical;
  p->table = std::move(table);
  return p;
}

inline sql::ExprPtr Col(const columnar::Schema& s, int i) {
  return sql::ColumnRef(i, s.field(i).type, s.field(i).name);
}

// WATERMARK FOR column AS column - INTERVAL delay.
inline sql::PlanPtr WatermarkPlan(sql::PlanPtr in, int rowtime, int64_t delay_ms) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kWatermark;
  p->schema = in->schema;
  p->rowtime = rowtime;
  p->watermark = sql::Call("-", {Col(in->schema, rowtime), sql::Literal(Value::Interval(delay_ms))},
                           in->schema.field(rowtime).type, "wm");
  p->inputs = {std::move(in)};
  return p;
}

inline sql::PlanPtr WindowPlan(sql::PlanPtr in, sql::WindowSpec spec) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kWindow;
  p->schema = in->schema;
  p->schema.Add({"window_start", DataType::Timestamp(), false});
  p->schema.Add({"window_end", DataType::Timestamp(), false});
  p->schema.Add({"window_time", DataType::Timestamp(), false});
  p->window = spec;
  p->inputs = {std::move(in)};
  return p;
}

inline sql::WindowSpec Tumble(int time_column, int64_t size) {
  sql::WindowSpec s;
  s.kind = sql::WindowKind::kTumble;
  s.time_column = time_column;
  s.size_ms = size;
  return s;
}

inline sql::AggregateCall Agg(std::string fn, std::vector<sql::ExprPtr> args, DataType type,
                              bool distinct = false) {
  sql::AggregateCall c;
  c.function = std::move(fn);
  c.args = std::move(args);
  c.type = std::move(type);
  c.distinct = distinct;
  c.text = c.function;
  return c;
}

// GROUP BY window_start, window_end, keys... over a window plan.
inline sql::PlanPtr WindowAggPlan(sql::PlanPtr in, std::vector<int> keys,
                                  std::vector<sql::AggregateCall> aggs) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kWindowAggregate;
  int n = static_cast<int>(in->schema.size());
  p->window_start = n - 3;
  p->window_end = n - 2;
  p->group_keys = {n - 3, n - 2};
  p->group_keys.insert(p->group_keys.end(), keys.begin(), keys.end());
  for (int k : p->group_keys) p->schema.Add(in->schema.field(k));
  for (const auto& a : aggs) p->schema.Add({a.text, a.type, true});
  p->aggregates = std::move(aggs);
  p->inputs = {std::move(in)};
  return p;
}

inline sql::PlanPtr GroupAggPlan(sql::PlanPtr in, std::vector<int> keys,
                                 std::vector<sql::AggregateCall> aggs) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kAggregate;
  p->group_keys = keys;
  for (int k : keys) p->schema.Add(in->schema.field(k));
  for (const auto& a : aggs) p->schema.Add({a.text, a.type, true});
  p->aggregates = std::move(aggs);
  p->updates = true;
  p->unique_key.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) p->unique_key[i] = static_cast<int>(i);
  p->inputs = {std::move(in)};
  return p;
}

inline sql::PlanPtr ProjectPlan(sql::PlanPtr in, std::vector<int> columns) {
  auto p = std::make_shared<sql::Plan>();
  p->kind = sql::PlanKind::kProject;
  for (int c : columns) {
    p->exprs.push_back(Col(in->schema, c));
    p->schema.Add(in->schema.field(c));
  }
  p->updates = in->updates;
  p->inputs = {std::move(in)};
  return p;
}

// Collects what a chain's last operator emits.
struct Collected {
  std::vector<Chunk> chunks;
  std::vector<int64_t> watermarks;
  int idles = 0;

  // Every row as "+I[a, b]" lines, in order.
  std::string Text() const {
    std::string out;
    for (const Chunk& c : chunks) out += c.batch.ToString();
    return out;
  }
};

// Records dead letters.
class RecordingDeadLetters final : public DeadLetterWriter {
 public:
  Status Write(std::string_view json) override {
    values.emplace_back(json);
    return OkStatus();
  }
  std::vector<std::string> values;
};

// Runs operators in sequence in one thread: each one's output feeds the
// next one's port 0; the last one's output is collected.
class Chain {
 public:
  Chain(std::vector<std::shared_ptr<const Operator>> ops, std::vector<SplitInfo> splits,
        ExecOptions options = {})
      : ops_(std::move(ops)), splits_(std::move(splits)) {
    ctx_ = std::make_unique<ExecContext>(options, &splits_, &counters_, &dead_letters_);
    std::vector<int32_t> owned;
    for (size_t i = 0; i < splits_.size(); ++i) owned.push_back(static_cast<int32_t>(i));
    ctx_->SetOwnedSplits(owned);
    for (size_t i = 0; i < ops_.size(); ++i) {
      states_.push_back(ops_[i]->CreateState(ctx_.get()));
      outputs_.push_back(std::make_unique<Link>(this, i));
    }
  }

  Status Open() {
    for (size_t i = 0; i < ops_.size(); ++i) {
      RETURN_IF_ERROR(ops_[i]->Open(states_[i].get(), outputs_[i].get()));
    }
    return OkStatus();
  }
  // Feeds rows of one split into the first operator.
  Status Push(const columnar::Batch& batch, int32_t split = 0) {
    Chunk c(batch);
    c.split = split;
    return ops_[0]->ProcessBatch(states_[0].get(), 0, c, outputs_[0].get());
  }
  Status Watermark(int64_t wm) {
    return ops_[0]->OnWatermark(states_[0].get(), wm, outputs_[0].get());
  }
  Status End() {
    RETURN_IF_ERROR(Watermark(kMaxWatermark));
    for (size_t i = 0; i < ops_.size(); ++i) {
      RETURN_IF_ERROR(ops_[i]->OnEndOfInput(states_[i].get(), outputs_[i].get()));
    }
    return OkStatus();
  }
  // Snapshots every operator.
  Result<std::vector<std::string>> Snapshot(int64_t epoch) {
    std::vector<std::string> out;
    for (size_t i = 0; i < ops_.size(); ++i) {
      std::string s;
      RETURN_IF_ERROR(ops_[i]->OnBarrier(states_[i].get(), Epoch(epoch), &s));
      out.push_back(std::move(s));
    }
    return out;
  }
  Status Restore(const std::vector<std::string>& snapshots) {
    for (size_t i = 0; i < ops_.size(); ++i) {
      RETURN_IF_ERROR(ops_[i]->Restore(states_[i].get(), snapshots[i]));
    }
    return OkStatus();
  }

  Collected& out() { return out_; }
  JobCounters& counters() { return counters_; }
  RecordingDeadLetters& dead_letters() { return dead_letters_; }

 private:
  class Link final : public OperatorOutput {
   public:
    Link(Chain* chain, size_t i) : chain_(chain), i_(i) {}
    Status Emit(Chunk chunk) override {
      if (i_ + 1 == chain_->ops_.size()) {
        chain_->out_.chunks.push_back(std::move(chunk));
        return OkStatus();
      }
      return chain_->ops_[i_ + 1]->ProcessBatch(chain_->states_[i_ + 1].get(), 0, chunk,
                                                chain_->outputs_[i_ + 1].get());
    }
    Status EmitWatermark(int64_t wm) override {
      if (i_ + 1 == chain_->ops_.size()) {
        chain_->out_.watermarks.push_back(wm);
        return OkStatus();
      }
      return chain_->ops_[i_ + 1]->OnWatermark(chain_->states_[i_ + 1].get(), wm,
                                               chain_->outputs_[i_ + 1].get());
    }
    Status EmitIdle() override {
      if (i_ + 1 == chain_->ops_.size()) ++chain_->out_.idles;
      return OkStatus();
    }

   private:
    Chain* chain_;
    size_t i_;
  };

  std::vector<std::shared_ptr<const Operator>> ops_;
  std::vector<SplitInfo> splits_;
  JobCounters counters_;
  RecordingDeadLetters dead_letters_;
  std::unique_ptr<ExecContext> ctx_;
  std::vector<std::unique_ptr<OperatorState>> states_;
  std::vector<std::unique_ptr<Link>> outputs_;
  Collected out_;
};

}  // namespace kappa::engine::testing
