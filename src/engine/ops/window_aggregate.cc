#include "engine/ops/window_aggregate.h"

#include <map>

#include "engine/exec_context.h"
#include "engine/ops/batch_util.h"
#include "engine/state/group_table.h"

namespace kappa::engine {

namespace {

struct WindowAggState : OperatorState {
  WindowAggState(ExecContext* ctx, std::vector<int> keys, AggregateStates s)
      : OperatorState(ctx), encoder(std::move(keys)), accs(std::move(s)) {}

  GroupTable groups;
  std::vector<int64_t> ends;  // window end per group
  std::map<int64_t, std::vector<uint32_t>> pending;  // window end -> groups
  int64_t watermark = kMinWatermark;
  KeyEncoder encoder;
  AggregateStates accs;
  std::vector<uint32_t> gids, rows, late;
  std::vector<int8_t> signs;

  uint32_t Insert(std::string_view key, int64_t end) {
    bool inserted = false;
    uint32_t gid = groups.FindOrInsert(key, &inserted);
    if (inserted) {
      uint32_t cap = groups.capacity();
      if (ends.size() < cap) {
        ends.resize(cap, 0);
        accs.Resize(cap);
      }
      accs.Clear(gid);
      ends[gid] = end;
      pending[end].push_back(gid);
    }
    return gid;
  }
};

}  // namespace

Result<std::unique_ptr<WindowAggregate>> WindowAggregate::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("window aggregate needs one input");
  if (plan.inputs[0]->updates) return Unimplemented("window aggregation over an updating input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  if (plan.window_end < 0 || static_cast<size_t>(plan.window_end) >= in.size()) {
    return Internal("window aggregate without a window_end column");
  }
  std::vector<columnar::DataType> key_types;
  for (int k : plan.group_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("group key out of range");
    key_types.push_back(in.field(k).type);
  }
  if (plan.schema.size() != plan.group_keys.size() + plan.aggregates.size()) {
    return Internal("aggregate output must be the group keys then the aggregates");
  }
  std::vector<int> keys = plan.group_keys;
  ASSIGN_OR_RETURN(AggregateSet aggs, AggregateSet::Make(plan.aggregates, false));
  return std::unique_ptr<WindowAggregate>(new WindowAggregate(
      plan.schema, std::move(keys), plan.window_end, KeyDecoder(std::move(key_types)),
      std::move(aggs)));
}

std::unique_ptr<OperatorState> WindowAggregate::CreateState(ExecContext* ctx) const {
  // The key is the window end followed by the group keys (the end again
  // among them is harmless and keeps decoding simple).
  std::vector<int> key_columns = {window_end_};
  key_columns.insert(key_columns.end(), group_keys_.begin(), group_keys_.end());
  return std::make_unique<WindowAggState>(ctx, std::move(key_columns), aggs_.CreateStates());
}

Status WindowAggregate::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                     OperatorOutput* /*out*/) const {
  auto* s = static_cast<WindowAggState*>(state);
  const columnar::Batch& in = chunk.batch;
  size_t n = in.active_rows();
  if (n == 0) return OkStatus();
  const columnar::Column& end_col = *in.columns[window_end_];
  s->encoder.Encode(in);
  s->gids.clear();
  s->rows.clear();
  s->late.clear();
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    int64_t end = end_col.values<int64_t>()[r];
    if (end_col.IsNull(r) || end - 1 <= s->watermark) {
      s->late.push_back(r);
      continue;
    }
    s->gids.push_back(s->Insert(s->encoder.key(i), end));
    s->rows.push_back(r);
  }
  if (!s->late.empty()) {
    RETURN_IF_ERROR(s->ctx()->ReportLate(chunk, s->late, "window already emitted"));
  }
  s->signs.clear();
  return aggs_.Update(in, s->gids, s->rows, s->signs, &s->accs);
}

Status WindowAggregate::OnWatermark(OperatorState* state, int64_t watermark,
                                    OperatorOutput* out) const {
  auto* s = static_cast<WindowAggState*>(state);
  s->watermark = std::max(s->watermark, watermark);
  auto result = MakeColumns(output_schema());
  // Decode (end, keys...) then drop the leading end column.
  std::vector<std::shared_ptr<columnar::Column>> key_columns;
  key_columns.push_back(std::make_shared<columnar::Column>(columnar::DataType::Timestamp()));
  for (size_t i = 0; i < group_keys_.size(); ++i) key_columns.push_back(result[i]);
  std::vector<columnar::DataType> types = {columnar::DataType::Timestamp()};
  types.insert(types.end(), decoder_.types().begin(), decoder_.types().end());
  KeyDecoder decoder(std::move(types));
  while (!s->pending.empty() && s->pending.begin()->first - 1 <= s->watermark) {
    for (uint32_t gid : s->pending.begin()->second) {
      RETURN_IF_ERROR(decoder.AppendKey(s->groups.key(gid), key_columns));
      s->accs.AppendResults(gid, result, group_keys_.size());
      s->groups.Erase(gid);
    }
    s->pending.erase(s->pending.begin());
  }
  if (result[0]->size() > 0) RETURN_IF_ERROR(out->Emit(Chunk(MakeBatch(std::move(result)))));
  return out->EmitWatermark(watermark);
}

Status WindowAggregate::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                  std::string* snapshot) const {
  auto* s = static_cast<WindowAggState*>(state);
  StateWriter w;
  w.I64(s->watermark);
  w.UVarint(s->groups.size());
  for (const auto& [end, gids] : s->pending) {
    for (uint32_t gid : gids) {
      w.Bytes(s->groups.key(gid));
      w.I64(end);
      s->accs.Save(gid, &w);
    }
  }
  snapshot->append(w.data());
  return OkStatus();
}

Status WindowAggregate::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<WindowAggState*>(state);
  StateReader r(snapshot, "window aggregate snapshot");
  RETURN_IF_ERROR(r.I64(&s->watermark));
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key;
    int64_t end = 0;
    RETURN_IF_ERROR(r.Bytes(&key));
    RETURN_IF_ERROR(r.I64(&end));
    uint32_t gid = s->Insert(key, end);
    RETURN_IF_ERROR(s->accs.Load(gid, &r));
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
