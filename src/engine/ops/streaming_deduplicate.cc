#include "engine/ops/streaming_deduplicate.h"

#include <string>

#include "engine/ops/batch_util.h"
#include "engine/state/group_table.h"
#include "engine/state/state_io.h"

namespace kappa::engine {

using columnar::Batch;
using columnar::RowKind;

namespace {

struct Kept {
  std::string row;  // every column, cell-encoded
  bool null_time = false;
  int64_t time = 0;
};

struct StreamDedupState : OperatorState {
  StreamDedupState(ExecContext* ctx, std::vector<int> keys)
      : OperatorState(ctx), encoder(std::move(keys)) {}

  GroupTable keys;
  std::vector<Kept> kept;  // by key id
  KeyEncoder encoder;

  Kept& Slot(std::string_view key, bool* inserted) {
    uint32_t id = keys.FindOrInsert(key, inserted);
    if (kept.size() <= id) kept.resize(id + 1);
    return kept[id];
  }
};

void EncodeRow(const Batch& batch, uint32_t row, std::string* out) {
  out->clear();
  for (const columnar::ColumnPtr& c : batch.columns) EncodeCell(*c, row, out);
}

bool IsInt64Time(const columnar::DataType& t) {
  return t.id() == columnar::TypeId::kTimestamp || t.id() == columnar::TypeId::kTimestampLtz ||
         t.id() == columnar::TypeId::kInt64;
}

}  // namespace

Result<std::unique_ptr<StreamingDeduplicate>> StreamingDeduplicate::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("deduplication needs one input");
  const sql::Plan& input = *plan.inputs[0];
  if (input.updates) {
    return Unimplemented("deduplication (ROW_NUMBER() ... = 1) over an updating input (such as "
                         "an unbounded GROUP BY) is not supported yet in streaming pipelines");
  }
  if (plan.schema.size() != input.schema.size()) {
    return Internal("deduplication outputs its input columns");
  }
  if (plan.sort.size() != 1 || plan.sort[0].expr == nullptr ||
      plan.sort[0].expr->kind != sql::ExprKind::kColumn) {
    return Internal("deduplication orders by one time column");
  }
  const sql::SortKey& key = plan.sort[0];
  int time = key.expr->column;
  if (time < 0 || static_cast<size_t>(time) >= input.schema.size() ||
      !IsInt64Time(input.schema.field(time).type)) {
    return Internal("deduplication orders by a time attribute");
  }
  if (key.ascending == plan.keep_last) return Internal("deduplication order and keep_last disagree");
  for (int k : plan.partition_keys) {
    if (k < 0 || static_cast<size_t>(k) >= input.schema.size()) {
      return Internal("partition key out of range");
    }
  }
  std::vector<columnar::DataType> types;
  for (const columnar::Field& f : input.schema.fields()) types.push_back(f.type);
  return std::unique_ptr<StreamingDeduplicate>(
      new StreamingDeduplicate(plan.schema, plan.partition_keys, time, key.nulls_first,
                               plan.keep_last, KeyDecoder(std::move(types))));
}

std::unique_ptr<OperatorState> StreamingDeduplicate::CreateState(ExecContext* ctx) const {
  return std::make_unique<StreamDedupState>(ctx, partition_keys_);
}

bool StreamingDeduplicate::Replaces(bool null, int64_t time, bool kept_null,
                                    int64_t kept_time) const {
  int c;
  if (null || kept_null) {
    c = null == kept_null ? 0 : (null == nulls_first_ ? -1 : 1);
  } else {
    c = time < kept_time ? -1 : (time > kept_time ? 1 : 0);
    if (keep_last_) c = -c;  // ORDER BY time DESC
  }
  return c < 0 || (c == 0 && keep_last_);
}

Status StreamingDeduplicate::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                          OperatorOutput* out) const {
  auto* s = static_cast<StreamDedupState*>(state);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  size_t n = in.active_rows();
  if (n == 0) return OkStatus();
  s->encoder.Encode(in);
  const columnar::Column& times = *in.columns[time_column_];
  const std::vector<int64_t>& tv = times.values<int64_t>();
  auto result = MakeColumns(output_schema());
  std::vector<RowKind> kinds;
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    bool null = times.IsNull(r);
    bool inserted = false;
    Kept& k = s->Slot(s->encoder.key(i), &inserted);
    if (!inserted && !Replaces(null, tv[r], k.null_time, k.time)) continue;
    if (!inserted) {
      RETURN_IF_ERROR(rows_.AppendKey(k.row, result));
      kinds.push_back(RowKind::kUpdateBefore);
    }
    for (size_t c = 0; c < result.size(); ++c) result[c]->AppendFrom(*in.columns[c], r);
    kinds.push_back(inserted ? RowKind::kInsert : RowKind::kUpdateAfter);
    EncodeRow(in, r, &k.row);
    k.null_time = null;
    k.time = null ? 0 : tv[r];
  }
  if (kinds.empty()) return OkStatus();
  return out->Emit(Chunk(MakeBatch(std::move(result), std::move(kinds))));
}

Status StreamingDeduplicate::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                       std::string* snapshot) const {
  auto* s = static_cast<StreamDedupState*>(state);
  StateWriter w;
  std::vector<uint32_t> live = s->keys.LiveIds();
  w.UVarint(live.size());
  for (uint32_t id : live) {
    const Kept& k = s->kept[id];
    w.Bytes(s->keys.key(id));
    w.Bytes(k.row);
    w.U8(k.null_time ? 1 : 0);
    w.I64(k.time);
  }
  snapshot->append(w.data());
  return OkStatus();
}

Status StreamingDeduplicate::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<StreamDedupState*>(state);
  StateReader r(snapshot, "deduplication snapshot");
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key, row;
    uint8_t null = 0;
    int64_t time = 0;
    RETURN_IF_ERROR(r.Bytes(&key));
    RETURN_IF_ERROR(r.Bytes(&row));
    RETURN_IF_ERROR(r.U8(&null));
    RETURN_IF_ERROR(r.I64(&time));
    bool inserted = false;
    Kept& k = s->Slot(key, &inserted);
    if (!inserted) return Corruption("deduplication snapshot holds a key twice");
    k.row = std::string(row);
    k.null_time = null != 0;
    k.time = time;
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
