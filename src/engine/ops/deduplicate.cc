#include "engine/ops/deduplicate.h"

#include "engine/ops/row_store.h"
#include "engine/state/group_table.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

using columnar::Batch;

namespace {

struct DedupState : OperatorState {
  DedupState(ExecContext* ctx, std::vector<int> keys)
      : OperatorState(ctx), encoder(std::move(keys)) {}

  GroupTable partitions;
  KeyEncoder encoder;
  std::vector<RowRef> kept;  // by partition id
  RowStore store;
};

}  // namespace

Result<std::unique_ptr<Deduplicate>> Deduplicate::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("deduplication needs one input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  if (plan.schema.size() != in.size()) return Internal("deduplication outputs its input columns");
  if (plan.sort.size() != 1) return Internal("deduplication orders by one time column");
  if (plan.sort[0].ascending == plan.keep_last) {
    return Internal("deduplication keeps the {} row but orders {}",
                    plan.keep_last ? "last" : "first", plan.sort[0].ascending ? "ASC" : "DESC");
  }
  for (int k : plan.partition_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("partition key out of range");
  }
  ASSIGN_OR_RETURN(SortColumns time, SortColumns::Make(plan.sort, in, /*tie_break=*/false));
  return std::unique_ptr<Deduplicate>(
      new Deduplicate(plan.schema, plan.partition_keys, std::move(time), plan.keep_last));
}

std::unique_ptr<OperatorState> Deduplicate::CreateState(ExecContext* ctx) const {
  return std::make_unique<DedupState>(ctx, partition_keys_);
}

Status Deduplicate::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                 OperatorOutput* /*out*/) const {
  auto* s = static_cast<DedupState*>(state);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  uint32_t n = static_cast<uint32_t>(in.active_rows());
  if (n == 0) return OkStatus();
  ASSIGN_OR_RETURN(Batch dense, time_.Extend(in.Compact()));
  s->encoder.Encode(dense);
  uint32_t b = s->store.Add(std::move(dense));
  const Batch& rows = s->store.batch(b);
  for (uint32_t r = 0; r < n; ++r) {
    bool inserted = false;
    uint32_t id = s->partitions.FindOrInsert(s->encoder.key(r), &inserted);
    if (inserted) {
      if (s->kept.size() <= id) s->kept.resize(id + 1);
      s->kept[id] = {b, r};
      continue;
    }
    RowRef& cur = s->kept[id];
    int c = time_.order().Compare(rows, r, s->store.batch(cur.batch), cur.row);
    if (c < 0 || (c == 0 && keep_last_)) cur = {b, r};
  }
  if (s->store.rows() >= 2 * s->partitions.size() + columnar::kBatchRows) {
    std::vector<RowRef*> ptrs;
    for (uint32_t id : s->partitions.LiveIds()) ptrs.push_back(&s->kept[id]);
    s->store.Compact(ptrs);
  }
  return OkStatus();
}

Status Deduplicate::OnEndOfInput(OperatorState* state, OperatorOutput* out) const {
  auto* s = static_cast<DedupState*>(state);
  std::vector<RowRef> refs;
  size_t columns = output_schema().size();
  for (uint32_t id : s->partitions.LiveIds()) {
    refs.push_back(s->kept[id]);
    if (refs.size() < columnar::kBatchRows) continue;
    RETURN_IF_ERROR(out->Emit(Chunk(s->store.Gather(refs, columns))));
    refs.clear();
  }
  if (!refs.empty()) RETURN_IF_ERROR(out->Emit(Chunk(s->store.Gather(refs, columns))));
  s->kept.clear();
  s->partitions.Clear();
  s->store.Clear();
  return OkStatus();
}

}  // namespace kappa::engine
