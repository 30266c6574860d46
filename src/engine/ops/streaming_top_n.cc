#include "engine/ops/streaming_top_n.h"

#include <algorithm>
#include <string>

#include "engine/ops/batch_util.h"
#include "engine/ops/row_order.h"
#include "engine/state/group_table.h"
#include "engine/state/state_io.h"

namespace kappa::engine {

using columnar::Batch;
using columnar::RowKind;
using columnar::Value;

struct StreamingTopN::Entry {
  std::vector<Value> keys;  // sort key values
  std::string row;          // every input column, cell-encoded
};

namespace {

struct StreamTopNState : OperatorState {
  StreamTopNState(ExecContext* ctx, std::vector<int> keys)
      : OperatorState(ctx), encoder(std::move(keys)) {}

  GroupTable partitions;
  std::vector<std::vector<StreamingTopN::Entry>> top;  // by partition id, best first
  KeyEncoder encoder;

  std::vector<StreamingTopN::Entry>& Partition(std::string_view key) {
    bool inserted = false;
    uint32_t id = partitions.FindOrInsert(key, &inserted);
    if (top.size() <= id) top.resize(id + 1);
    return top[id];
  }
};

}  // namespace

// The changelog rows of one input batch.
class StreamingTopN::Emitter {
 public:
  explicit Emitter(const StreamingTopN& op) : op_(op), columns_(MakeColumns(op.output_schema())) {}

  Status Add(const Entry& e, int64_t rank, RowKind kind) {
    RETURN_IF_ERROR(op_.rows_.AppendKey(e.row, columns_));
    if (op_.with_row_number()) columns_.back()->Append<int64_t>(rank);
    kinds_.push_back(kind);
    return OkStatus();
  }
  Status Flush(OperatorOutput* out) {
    if (kinds_.empty()) return OkStatus();
    return out->Emit(Chunk(MakeBatch(std::move(columns_), std::move(kinds_))));
  }

 private:
  const StreamingTopN& op_;
  std::vector<std::shared_ptr<columnar::Column>> columns_;
  std::vector<RowKind> kinds_;
};

Result<std::unique_ptr<StreamingTopN>> StreamingTopN::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("Top-N needs one input");
  const sql::Plan& input = *plan.inputs[0];
  if (input.updates) {
    return Unimplemented("Top-N (ROW_NUMBER() ... <= N, ORDER BY ... LIMIT) over an updating input "
                         "(such as an unbounded GROUP BY) is not supported yet in streaming "
                         "pipelines");
  }
  const columnar::Schema& in = input.schema;
  if (plan.schema.size() != in.size() && plan.schema.size() != in.size() + 1) {
    return Internal("Top-N output must be the input columns, optionally with the row number");
  }
  if (plan.limit < 0) return Internal("Top-N without N");
  if (plan.sort.empty()) return Invalid("ROW_NUMBER() needs an ORDER BY in its OVER clause");
  std::vector<int> sort_columns;
  for (const sql::SortKey& k : plan.sort) {
    if (k.expr == nullptr || k.expr->kind != sql::ExprKind::kColumn || k.expr->column < 0 ||
        static_cast<size_t>(k.expr->column) >= in.size()) {
      return Internal("streaming Top-N sorts by input columns");
    }
    sort_columns.push_back(k.expr->column);
  }
  for (int k : plan.partition_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("partition key out of range");
  }
  std::vector<columnar::DataType> types;
  for (const columnar::Field& f : in.fields()) types.push_back(f.type);
  return std::unique_ptr<StreamingTopN>(new StreamingTopN(plan.schema, plan.partition_keys,
                                                          plan.sort, std::move(sort_columns),
                                                          plan.limit, KeyDecoder(std::move(types))));
}

std::unique_ptr<OperatorState> StreamingTopN::CreateState(ExecContext* ctx) const {
  return std::make_unique<StreamTopNState>(ctx, partition_keys_);
}

int StreamingTopN::Compare(const Entry& a, const Entry& b) const {
  for (size_t i = 0; i < sort_.size(); ++i) {
    int c = CompareKeyValues(a.keys[i], b.keys[i], sort_[i].ascending, sort_[i].nulls_first);
    if (c != 0) return c;
  }
  return 0;
}

Status StreamingTopN::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                   OperatorOutput* out) const {
  auto* s = static_cast<StreamTopNState*>(state);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  size_t n = in.active_rows();
  if (n == 0 || limit_ == 0) return OkStatus();
  s->encoder.Encode(in);
  Emitter emit(*this);
  const size_t limit = static_cast<size_t>(limit_);
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    Entry e;
    for (int c : sort_columns_) e.keys.push_back(in.columns[c]->Get(r));
    std::vector<Entry>& top = s->Partition(s->encoder.key(i));
    // After every row it ties with: earlier arrivals rank first.
    size_t pos = top.size();
    while (pos > 0 && Compare(e, top[pos - 1]) < 0) --pos;
    if (pos >= limit) continue;
    for (const columnar::ColumnPtr& col : in.columns) EncodeCell(*col, r, &e.row);
    size_t old_size = top.size();
    if (!with_row_number() && old_size == limit) {
      RETURN_IF_ERROR(emit.Add(top.back(), 0, RowKind::kDelete));
    }
    top.insert(top.begin() + static_cast<long>(pos), std::move(e));
    if (with_row_number()) {
      size_t last = std::min(old_size, limit);
      for (size_t k = pos; k < last; ++k) {
        RETURN_IF_ERROR(emit.Add(top[k + 1], static_cast<int64_t>(k + 1), RowKind::kUpdateBefore));
        RETURN_IF_ERROR(emit.Add(top[k], static_cast<int64_t>(k + 1), RowKind::kUpdateAfter));
      }
      if (old_size < limit) {
        RETURN_IF_ERROR(emit.Add(top[old_size], static_cast<int64_t>(old_size + 1),
                                 RowKind::kInsert));
      }
    } else {
      RETURN_IF_ERROR(emit.Add(top[pos], 0, RowKind::kInsert));
    }
    if (top.size() > limit) top.pop_back();
  }
  return emit.Flush(out);
}

Status StreamingTopN::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                std::string* snapshot) const {
  auto* s = static_cast<StreamTopNState*>(state);
  StateWriter w;
  std::vector<uint32_t> live = s->partitions.LiveIds();
  w.UVarint(live.size());
  for (uint32_t id : live) {
    w.Bytes(s->partitions.key(id));
    w.UVarint(s->top[id].size());
    for (const Entry& e : s->top[id]) w.Bytes(e.row);
  }
  snapshot->append(w.data());
  return OkStatus();
}

Result<StreamingTopN::Entry> StreamingTopN::EntryOf(std::string row) const {
  Entry e;
  std::vector<Value> values;
  std::string_view in = row;
  for (const columnar::DataType& t : rows_.types()) {
    ASSIGN_OR_RETURN(Value v, DecodeValue(&in, t));
    values.push_back(std::move(v));
  }
  if (!in.empty()) return Corruption("Top-N snapshot row has {} bytes too many", in.size());
  for (int c : sort_columns_) e.keys.push_back(values[c]);
  e.row = std::move(row);
  return e;
}

Status StreamingTopN::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<StreamTopNState*>(state);
  StateReader r(snapshot, "Top-N snapshot");
  uint64_t partitions = 0;
  RETURN_IF_ERROR(r.UVarint(&partitions));
  for (uint64_t p = 0; p < partitions; ++p) {
    std::string_view key;
    uint64_t rows = 0;
    RETURN_IF_ERROR(r.Bytes(&key));
    RETURN_IF_ERROR(r.UVarint(&rows));
    if (rows > static_cast<uint64_t>(limit_)) {
      return Corruption("Top-N snapshot holds {} rows of a partition, N is {}", rows, limit_);
    }
    std::vector<Entry>& top = s->Partition(key);
    if (!top.empty()) return Corruption("Top-N snapshot holds a partition twice");
    for (uint64_t i = 0; i < rows; ++i) {
      std::string_view row;
      RETURN_IF_ERROR(r.Bytes(&row));
      ASSIGN_OR_RETURN(Entry e, EntryOf(std::string(row)));
      top.push_back(std::move(e));
    }
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
