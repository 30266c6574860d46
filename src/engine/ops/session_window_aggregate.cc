#include "engine/ops/session_window_aggregate.h"

#include <algorithm>
#include <set>

#include "engine/exec_context.h"
#include "engine/ops/batch_util.h"
#include "engine/state/group_table.h"

namespace kappa::engine {

namespace {

struct Session {
  int64_t start = 0;
  int64_t end = 0;
  uint32_t slot = 0;
};

struct SessionState : OperatorState {
  SessionState(ExecContext* ctx, std::vector<int> keys, AggregateStates s)
      : OperatorState(ctx), encoder(std::move(keys)), accs(std::move(s)) {}

  GroupTable keys;
  std::vector<std::vector<Session>> sessions;  // by key id, sorted by start
  std::set<std::tuple<int64_t, uint32_t, int64_t>> by_end;  // (end, key id, start)
  int64_t watermark = kMinWatermark;
  KeyEncoder encoder;
  AggregateStates accs;
  uint32_t slot_capacity = 0;
  std::vector<uint32_t> free_slots;
  std::vector<uint32_t> redirect;  // merged slot -> surviving slot, within a batch

  uint32_t KeyId(std::string_view key) {
    bool inserted = false;
    uint32_t id = keys.FindOrInsert(key, &inserted);
    if (id >= sessions.size()) sessions.resize(id + 1);
    if (inserted) sessions[id].clear();
    return id;
  }
  uint32_t NewSlot() {
    uint32_t slot;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
    } else {
      slot = slot_capacity++;
      accs.Resize(slot_capacity);
      redirect.resize(slot_capacity);
    }
    accs.Clear(slot);
    redirect[slot] = slot;
    return slot;
  }
  uint32_t Resolve(uint32_t slot) const {
    while (redirect[slot] != slot) slot = redirect[slot];
    return slot;
  }
};

}  // namespace

Result<std::unique_ptr<SessionWindowAggregate>> SessionWindowAggregate::Make(
    const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("session aggregate needs one input");
  if (plan.inputs[0]->updates) return Unimplemented("window aggregation over an updating input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  int start = plan.window_start, end = plan.window_end;
  if (start < 0 || end < 0 || static_cast<size_t>(std::max(start, end)) >= in.size()) {
    return Internal("session aggregate without window_start/window_end columns");
  }
  int time = end + 1 < static_cast<int>(in.size()) && in.field(end + 1).name == "window_time"
                 ? end + 1
                 : -1;
  std::vector<int> partition;
  std::vector<KeyRole> roles;
  std::vector<columnar::DataType> types;
  for (int k : plan.group_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("group key out of range");
    if (k == start) {
      roles.push_back(KeyRole::kStart);
    } else if (k == end) {
      roles.push_back(KeyRole::kEnd);
    } else if (k == time) {
      roles.push_back(KeyRole::kTime);
    } else {
      roles.push_back(KeyRole::kKey);
      partition.push_back(k);
      types.push_back(in.field(k).type);
    }
  }
  if (plan.schema.size() != plan.group_keys.size() + plan.aggregates.size()) {
    return Internal("aggregate output must be the group keys then the aggregates");
  }
  ASSIGN_OR_RETURN(AggregateSet aggs, AggregateSet::Make(plan.aggregates, false));
  return std::unique_ptr<SessionWindowAggregate>(new SessionWindowAggregate(
      plan.schema, std::move(partition), std::move(roles), start, end,
      KeyDecoder(std::move(types)), std::move(aggs)));
}

std::unique_ptr<OperatorState> SessionWindowAggregate::CreateState(ExecContext* ctx) const {
  return std::make_unique<SessionState>(ctx, partition_keys_, aggs_.CreateStates());
}

Status SessionWindowAggregate::ProcessBatch(OperatorState* state, int /*port*/,
                                            const Chunk& chunk, OperatorOutput* /*out*/) const {
  auto* s = static_cast<SessionState*>(state);
  const columnar::Batch& in = chunk.batch;
  size_t n = in.active_rows();
  if (n == 0) return OkStatus();
  const auto& starts = in.columns[window_start_]->values<int64_t>();
  const auto& ends = in.columns[window_end_]->values<int64_t>();
  s->encoder.Encode(in);
  std::vector<uint32_t> slots, rows, late, freed;
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    int64_t start = starts[r], end = ends[r];
    if (end - 1 <= s->watermark) {
      late.push_back(r);
      continue;
    }
    uint32_t key = s->KeyId(s->encoder.key(i));
    std::vector<Session>& list = s->sessions[key];
    // Sessions that overlap or touch [start, end).
    auto first = std::find_if(list.begin(), list.end(),
                              [&](const Session& x) { return x.end >= start; });
    auto last = first;
    while (last != list.end() && last->start <= end) ++last;
    if (first == last) {
      Session fresh{start, end, s->NewSlot()};
      list.insert(first, fresh);
      s->by_end.emplace(end, key, start);
      slots.push_back(fresh.slot);
    } else {
      Session merged = *first;
      s->by_end.erase({first->end, key, first->start});
      for (auto it = first + 1; it != last; ++it) {
        s->by_end.erase({it->end, key, it->start});
        s->accs.Merge(merged.slot, it->slot);
        s->redirect[it->slot] = merged.slot;
        freed.push_back(it->slot);
        merged.end = std::max(merged.end, it->end);
      }
      merged.start = std::min(merged.start, start);
      merged.end = std::max(merged.end, end);
      *first = merged;
      list.erase(first + 1, last);
      s->by_end.emplace(merged.end, key, merged.start);
      slots.push_back(merged.slot);
    }
    rows.push_back(r);
  }
  for (uint32_t& slot : slots) slot = s->Resolve(slot);
  for (uint32_t slot : freed) {
    s->redirect[slot] = slot;
    s->free_slots.push_back(slot);
  }
  if (!late.empty()) RETURN_IF_ERROR(s->ctx()->ReportLate(chunk, late, "session already emitted"));
  std::vector<int8_t> signs;
  return aggs_.Update(in, slots, rows, signs, &s->accs);
}

Status SessionWindowAggregate::AppendSessionRow(
    OperatorState* state, uint32_t key_id, int64_t start, int64_t end, uint32_t slot,
    const std::vector<std::shared_ptr<columnar::Column>>& out) const {
  auto* s = static_cast<SessionState*>(state);
  auto keys = decoder_.MakeColumns();
  RETURN_IF_ERROR(decoder_.AppendKey(s->keys.key(key_id), keys));
  size_t next_key = 0;
  for (size_t i = 0; i < roles_.size(); ++i) {
    switch (roles_[i]) {
      case KeyRole::kStart: out[i]->Append<int64_t>(start); break;
      case KeyRole::kEnd: out[i]->Append<int64_t>(end); break;
      case KeyRole::kTime: out[i]->Append<int64_t>(end - 1); break;
      case KeyRole::kKey: out[i]->AppendFrom(*keys[next_key++], 0); break;
    }
  }
  s->accs.AppendResults(slot, out, roles_.size());
  return OkStatus();
}

Status SessionWindowAggregate::OnWatermark(OperatorState* state, int64_t watermark,
                                           OperatorOutput* out) const {
  auto* s = static_cast<SessionState*>(state);
  s->watermark = std::max(s->watermark, watermark);
  auto result = MakeColumns(output_schema());
  while (!s->by_end.empty() && std::get<0>(*s->by_end.begin()) - 1 <= s->watermark) {
    auto [end, key, start] = *s->by_end.begin();
    s->by_end.erase(s->by_end.begin());
    std::vector<Session>& list = s->sessions[key];
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const Session& x) { return x.start == start; });
    if (it == list.end()) return Internal("session index out of step");
    RETURN_IF_ERROR(AppendSessionRow(state, key, start, end, it->slot, result));
    s->free_slots.push_back(it->slot);
    list.erase(it);
    if (list.empty()) s->keys.Erase(key);
  }
  if (result[0]->size() > 0) RETURN_IF_ERROR(out->Emit(Chunk(MakeBatch(std::move(result)))));
  return out->EmitWatermark(watermark);
}

Status SessionWindowAggregate::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                         std::string* snapshot) const {
  auto* s = static_cast<SessionState*>(state);
  StateWriter w;
  w.I64(s->watermark);
  std::vector<uint32_t> live = s->keys.LiveIds();
  w.UVarint(live.size());
  for (uint32_t key : live) {
    w.Bytes(s->keys.key(key));
    w.UVarint(s->sessions[key].size());
    for (const Session& x : s->sessions[key]) {
      w.I64(x.start);
      w.I64(x.end);
      s->accs.Save(x.slot, &w);
    }
  }
  snapshot->append(w.data());
  return OkStatus();
}

Status SessionWindowAggregate::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<SessionState*>(state);
  StateReader r(snapshot, "session aggregate snapshot");
  RETURN_IF_ERROR(r.I64(&s->watermark));
  uint64_t keys = 0;
  RETURN_IF_ERROR(r.UVarint(&keys));
  for (uint64_t k = 0; k < keys; ++k) {
    std::string_view key;
    uint64_t count = 0;
    RETURN_IF_ERROR(r.Bytes(&key));
    RETURN_IF_ERROR(r.UVarint(&count));
    uint32_t id = s->KeyId(key);
    for (uint64_t i = 0; i < count; ++i) {
      Session x;
      RETURN_IF_ERROR(r.I64(&x.start));
      RETURN_IF_ERROR(r.I64(&x.end));
      x.slot = s->NewSlot();
      RETURN_IF_ERROR(s->accs.Load(x.slot, &r));
      s->sessions[id].push_back(x);
      s->by_end.emplace(x.end, id, x.start);
    }
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
