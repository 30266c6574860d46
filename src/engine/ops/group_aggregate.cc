#include "engine/ops/group_aggregate.h"

#include "engine/exec_context.h"
#include "engine/ops/batch_util.h"
#include "engine/state/group_table.h"

namespace kappa::engine {

using columnar::Column;
using columnar::RowKind;

namespace {

struct GroupAggState : OperatorState {
  GroupAggState(ExecContext* ctx, std::vector<int> keys, AggregateStates s)
      : OperatorState(ctx), encoder(std::move(keys)), accs(std::move(s)) {}

  GroupTable groups;
  std::vector<int64_t> row_counts;
  KeyEncoder encoder;
  AggregateStates accs;
  // Scratch, reused across batches.
  std::vector<uint32_t> gids, rows, touched, stamp;
  std::vector<uint8_t> existed;
  std::vector<int8_t> signs;
  uint32_t generation = 0;

  uint32_t Insert(std::string_view key) {
    bool inserted = false;
    uint32_t gid = groups.FindOrInsert(key, &inserted);
    if (inserted) {
      uint32_t cap = groups.capacity();
      if (row_counts.size() < cap) {
        row_counts.resize(cap, 0);
        stamp.resize(cap, 0);
        accs.Resize(cap);
      }
      row_counts[gid] = 0;
      stamp[gid] = 0;
      accs.Clear(gid);
    }
    return gid;
  }
};

}  // namespace

Result<std::unique_ptr<GroupAggregate>> GroupAggregate::Make(const sql::Plan& plan, bool bounded) {
  if (plan.inputs.size() != 1) return Internal("aggregate needs one input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  std::vector<columnar::DataType> key_types;
  for (int k : plan.group_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("group key out of range");
    key_types.push_back(in.field(k).type);
  }
  if (plan.schema.size() != plan.group_keys.size() + plan.aggregates.size()) {
    return Internal("aggregate output must be the group keys then the aggregates");
  }
  ASSIGN_OR_RETURN(AggregateSet aggs, AggregateSet::Make(plan.aggregates, plan.inputs[0]->updates));
  return std::unique_ptr<GroupAggregate>(new GroupAggregate(
      plan.schema, plan.group_keys, KeyDecoder(std::move(key_types)), std::move(aggs), bounded));
}

std::unique_ptr<OperatorState> GroupAggregate::CreateState(ExecContext* ctx) const {
  return std::make_unique<GroupAggState>(ctx, group_keys_, aggs_.CreateStates());
}

Status GroupAggregate::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                    OperatorOutput* out) const {
  auto* s = static_cast<GroupAggState*>(state);
  const columnar::Batch& in = chunk.batch;
  size_t n = in.active_rows();
  if (n == 0) return OkStatus();
  s->encoder.Encode(in);
  ActiveRows(in, &s->rows);
  RowSigns(in, &s->signs);
  s->gids.resize(n);
  s->touched.clear();
  s->existed.clear();
  uint32_t gen = ++s->generation;
  for (size_t i = 0; i < n; ++i) {
    uint32_t gid = s->Insert(s->encoder.key(i));
    s->gids[i] = gid;
    if (s->stamp[gid] != gen) {
      s->stamp[gid] = gen;
      s->touched.push_back(gid);
      s->existed.push_back(s->row_counts[gid] > 0);
    }
  }
  // Results before this batch, for -U/-D rows.
  auto before = MakeColumns(output_schema());
  if (!bounded_) {
    for (size_t t = 0; t < s->touched.size(); ++t) {
      if (!s->existed[t]) continue;
      uint32_t gid = s->touched[t];
      RETURN_IF_ERROR(decoder_.AppendKey(s->groups.key(gid), before));
      s->accs.AppendResults(gid, before, group_keys_.size());
    }
  }
  for (size_t i = 0; i < n; ++i) s->row_counts[s->gids[i]] += s->signs.empty() ? 1 : s->signs[i];
  RETURN_IF_ERROR(aggs_.Update(in, s->gids, s->rows, s->signs, &s->accs));
  if (bounded_) return OkStatus();

  auto after = MakeColumns(output_schema());
  auto result = MakeColumns(output_schema());
  std::vector<RowKind> kinds;
  uint32_t before_row = 0;
  for (size_t t = 0; t < s->touched.size(); ++t) {
    uint32_t gid = s->touched[t];
    bool alive = s->row_counts[gid] > 0;
    bool existed = s->existed[t];
    uint32_t old_row = existed ? before_row++ : 0;
    if (alive) {
      RETURN_IF_ERROR(decoder_.AppendKey(s->groups.key(gid), after));
      s->accs.AppendResults(gid, after, group_keys_.size());
    }
    uint32_t new_row = alive ? static_cast<uint32_t>(after[0]->size() - 1) : 0;
    if (existed && alive) {
      bool same = true;
      for (size_t c = 0; same && c < result.size(); ++c) {
        same = CellsEqual(*before[c], old_row, *after[c], new_row);
      }
      if (same) continue;
      for (size_t c = 0; c < result.size(); ++c) result[c]->AppendFrom(*before[c], old_row);
      kinds.push_back(RowKind::kUpdateBefore);
      for (size_t c = 0; c < result.size(); ++c) result[c]->AppendFrom(*after[c], new_row);
      kinds.push_back(RowKind::kUpdateAfter);
    } else if (existed) {
      for (size_t c = 0; c < result.size(); ++c) result[c]->AppendFrom(*before[c], old_row);
      kinds.push_back(RowKind::kDelete);
    } else if (alive) {
      for (size_t c = 0; c < result.size(); ++c) result[c]->AppendFrom(*after[c], new_row);
      kinds.push_back(RowKind::kInsert);
    }
    if (!alive) s->groups.Erase(gid);
  }
  if (kinds.empty()) return OkStatus();
  return out->Emit(Chunk(MakeBatch(std::move(result), std::move(kinds))));
}

Status GroupAggregate::OnEndOfInput(OperatorState* state, OperatorOutput* out) const {
  if (!bounded_) return OkStatus();
  auto* s = static_cast<GroupAggState*>(state);
  auto result = MakeColumns(output_schema());
  for (uint32_t gid : s->groups.LiveIds()) {
    if (s->row_counts[gid] <= 0) continue;
    RETURN_IF_ERROR(decoder_.AppendKey(s->groups.key(gid), result));
    s->accs.AppendResults(gid, result, group_keys_.size());
  }
  // SELECT COUNT(*) FROM empty: one row, from the task the empty key maps to.
  ExecContext* ctx = s->ctx();
  bool home = StableHash("") % static_cast<uint64_t>(ctx->parallelism()) ==
              static_cast<uint64_t>(ctx->task());
  if (group_keys_.empty() && s->groups.size() == 0 && home) {
    uint32_t gid = s->Insert("");
    s->accs.AppendResults(gid, result, 0);
    s->groups.Erase(gid);
  }
  if (result.empty() || result[0]->size() == 0) return OkStatus();
  return out->Emit(Chunk(MakeBatch(std::move(result))));
}

Status GroupAggregate::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                 std::string* snapshot) const {
  auto* s = static_cast<GroupAggState*>(state);
  StateWriter w;
  std::vector<uint32_t> live = s->groups.LiveIds();
  w.UVarint(live.size());
  for (uint32_t gid : live) {
    w.Bytes(s->groups.key(gid));
    w.I64(s->row_counts[gid]);
    s->accs.Save(gid, &w);
  }
  snapshot->append(w.data());
  return OkStatus();
}

Status GroupAggregate::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<GroupAggState*>(state);
  StateReader r(snapshot, "group aggregate snapshot");
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view key;
    RETURN_IF_ERROR(r.Bytes(&key));
    uint32_t gid = s->Insert(key);
    RETURN_IF_ERROR(r.I64(&s->row_counts[gid]));
    RETURN_IF_ERROR(s->accs.Load(gid, &r));
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
