#include "engine/ops/top_n.h"

#include <algorithm>

#include "engine/ops/row_store.h"
#include "engine/state/group_table.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

using columnar::Batch;

namespace {

struct TopNState : OperatorState {
  TopNState(ExecContext* ctx, std::vector<int> keys)
      : OperatorState(ctx), encoder(std::move(keys)) {}

  GroupTable partitions;
  KeyEncoder encoder;
  std::vector<std::vector<RowRef>> rows;  // candidates by partition id
  RowStore store;
  size_t held = 0;  // candidates over all partitions
};

}  // namespace

Result<std::unique_ptr<TopN>> TopN::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 1) return Internal("Top-N needs one input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  if (plan.schema.size() != in.size() && plan.schema.size() != in.size() + 1) {
    return Internal("Top-N output must be the input columns, optionally with the row number");
  }
  if (plan.limit == 0 || plan.limit < -1) return Invalid("Top-N needs N >= 1, got {}", plan.limit);
  if (plan.sort.empty()) return Invalid("ROW_NUMBER() needs an ORDER BY in its OVER clause");
  for (int k : plan.partition_keys) {
    if (k < 0 || static_cast<size_t>(k) >= in.size()) return Internal("partition key out of range");
  }
  ASSIGN_OR_RETURN(SortColumns keys, SortColumns::Make(plan.sort, in, /*tie_break=*/true));
  return std::unique_ptr<TopN>(
      new TopN(plan.schema, plan.partition_keys, std::move(keys), plan.limit, in.size()));
}

std::unique_ptr<OperatorState> TopN::CreateState(ExecContext* ctx) const {
  return std::make_unique<TopNState>(ctx, partition_keys_);
}

namespace {

// Sorts `refs` and keeps the first `keep` (all when keep < 0).
void BestFirst(const RowStore& store, const RowOrder& order, int64_t keep,
               std::vector<RowRef>* refs) {
  auto less = [&](const RowRef& a, const RowRef& b) {
    int c = order.Compare(store.batch(a.batch), a.row, store.batch(b.batch), b.row);
    return c != 0 ? c < 0 : a < b;
  };
  if (keep >= 0 && static_cast<size_t>(keep) < refs->size()) {
    auto mid = refs->begin() + keep;
    std::partial_sort(refs->begin(), mid, refs->end(), less);
    refs->resize(static_cast<size_t>(keep));
  } else {
    std::sort(refs->begin(), refs->end(), less);
  }
}

void CompactStore(TopNState* s) {
  std::vector<RowRef*> ptrs;
  ptrs.reserve(s->held);
  for (uint32_t id : s->partitions.LiveIds()) {
    for (RowRef& r : s->rows[id]) ptrs.push_back(&r);
  }
  s->store.Compact(ptrs);
}

}  // namespace

Status TopN::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                          OperatorOutput* /*out*/) const {
  auto* s = static_cast<TopNState*>(state);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("TopN takes only inserted rows, not a changelog");
  uint32_t n = static_cast<uint32_t>(in.active_rows());
  if (n == 0) return OkStatus();
  ASSIGN_OR_RETURN(Batch dense, keys_.Extend(in.Compact()));
  s->encoder.Encode(dense);
  uint32_t b = s->store.Add(std::move(dense));
  size_t bound = limit_ < 0 ? SIZE_MAX : std::max<size_t>(2 * static_cast<size_t>(limit_), 8);
  for (uint32_t r = 0; r < n; ++r) {
    bool inserted = false;
    uint32_t id = s->partitions.FindOrInsert(s->encoder.key(r), &inserted);
    if (s->rows.size() <= id) s->rows.resize(id + 1);
    std::vector<RowRef>& refs = s->rows[id];
    refs.push_back({b, r});
    ++s->held;
    if (refs.size() < bound) continue;
    s->held -= refs.size();
    BestFirst(s->store, keys_.order(), limit_, &refs);
    s->held += refs.size();
  }
  if (s->store.rows() >= 2 * s->held + columnar::kBatchRows) CompactStore(s);
  return OkStatus();
}

Status TopN::OnEndOfInput(OperatorState* state, OperatorOutput* out) const {
  auto* s = static_cast<TopNState*>(state);
  std::vector<RowRef> refs;
  std::vector<int64_t> numbers;
  auto flush = [&]() -> Status {
    if (refs.empty()) return OkStatus();
    Batch b = s->store.Gather(refs, input_columns_);
    if (with_row_number()) {
      auto rn = std::make_shared<columnar::Column>(columnar::DataType::Int64());
      rn->mutable_values<int64_t>() = numbers;
      rn->SetSize(numbers.size());
      b.columns.push_back(std::move(rn));
    }
    refs.clear();
    numbers.clear();
    return out->Emit(Chunk(std::move(b)));
  };
  for (uint32_t id : s->partitions.LiveIds()) {
    std::vector<RowRef>& best = s->rows[id];
    BestFirst(s->store, keys_.order(), limit_, &best);
    for (size_t i = 0; i < best.size(); ++i) {
      refs.push_back(best[i]);
      numbers.push_back(static_cast<int64_t>(i + 1));
      if (refs.size() >= columnar::kBatchRows) RETURN_IF_ERROR(flush());
    }
  }
  RETURN_IF_ERROR(flush());
  s->rows.clear();
  s->partitions.Clear();
  s->store.Clear();
  s->held = 0;
  return OkStatus();
}

}  // namespace kappa::engine
