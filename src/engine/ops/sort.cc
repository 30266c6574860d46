#include "engine/ops/sort.h"

#include <algorithm>
#include <limits>

#include "engine/ops/row_store.h"

namespace kappa::engine {

namespace {

// A row held, with its first key's prefix (RowOrder::Prefix) so that most
// comparisons never look at the columns.
struct Held {
  uint64_t prefix = 0;
  RowRef ref;
};

struct SortState : OperatorState {
  using OperatorState::OperatorState;
  RowStore store;
  std::vector<Held> refs;  // rows held, in arrival order until trimmed
};

int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

std::string NameOf(const SortOperator::Spec& spec) {
  std::string name = spec.keys.empty() ? "Limit" : (spec.limit >= 0 ? "TopK" : "Sort");
  return spec.final ? name : name + "(partial)";
}

}  // namespace

Result<std::unique_ptr<SortOperator>> SortOperator::Make(const columnar::Schema& schema,
                                                         Spec spec) {
  if (spec.limit < -1) return Invalid("LIMIT must not be negative, got {}", spec.limit);
  if (spec.offset < 0) return Invalid("OFFSET must not be negative, got {}", spec.offset);
  if (!spec.final && spec.limit < 0) return Internal("a partial sort needs a limit");
  ASSIGN_OR_RETURN(SortColumns keys, SortColumns::Make(spec.keys, schema, /*tie_break=*/true));
  int64_t keep = spec.limit < 0 ? -1 : SaturatingAdd(spec.limit, spec.offset);
  int64_t skip = spec.final ? spec.offset : 0;
  return std::unique_ptr<SortOperator>(new SortOperator(NameOf(spec), schema, std::move(keys),
                                                        keep, skip, spec.final));
}

std::unique_ptr<OperatorState> SortOperator::CreateState(ExecContext* ctx) const {
  return std::make_unique<SortState>(ctx);
}

Status SortOperator::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                  OperatorOutput* /*out*/) const {
  auto* s = static_cast<SortState*>(state);
  const columnar::Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  size_t n = in.active_rows();
  if (n == 0 || keep_ == 0) return OkStatus();
  // Without keys the first keep_ rows to arrive are the answer.
  if (keys_.empty() && keep_ >= 0 && s->refs.size() >= static_cast<size_t>(keep_)) {
    return OkStatus();
  }
  ASSIGN_OR_RETURN(columnar::Batch dense, keys_.Extend(in.Compact()));
  uint32_t b = s->store.Add(std::move(dense));
  const columnar::Batch& rows = s->store.batch(b);
  for (uint32_t r = 0; r < n; ++r) s->refs.push_back({keys_.order().Prefix(rows, r), {b, r}});
  if (keep_ >= 0) {
    size_t bound = std::max<size_t>(2 * static_cast<size_t>(std::min<int64_t>(keep_, INT32_MAX)),
                                    columnar::kBatchRows);
    if (s->refs.size() >= bound) Trim(s, /*compact=*/true);
  }
  return OkStatus();
}

void SortOperator::Trim(OperatorState* state, bool compact) const {
  auto* s = static_cast<SortState*>(state);
  const RowStore& store = s->store;
  const RowOrder& order = keys_.order();
  auto less = [&](const Held& x, const Held& y) {
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    const RowRef& a = x.ref;
    const RowRef& b = y.ref;
    int c = order.Compare(store.batch(a.batch), a.row, store.batch(b.batch), b.row);
    return c != 0 ? c < 0 : a < b;
  };
  size_t keep = s->refs.size();
  if (keep_ >= 0) keep = std::min(keep, static_cast<size_t>(keep_));
  if (keep < s->refs.size()) {
    std::partial_sort(s->refs.begin(), s->refs.begin() + static_cast<long>(keep), s->refs.end(),
                      less);
    s->refs.resize(keep);
  } else {
    std::sort(s->refs.begin(), s->refs.end(), less);
  }
  if (!compact) return;
  std::vector<RowRef*> ptrs;
  ptrs.reserve(s->refs.size());
  for (Held& h : s->refs) ptrs.push_back(&h.ref);
  s->store.Compact(ptrs);
}

Status SortOperator::OnEndOfInput(OperatorState* state, OperatorOutput* out) const {
  auto* s = static_cast<SortState*>(state);
  Trim(s, /*compact=*/false);
  size_t columns = output_schema().size();
  size_t begin = std::min(s->refs.size(), static_cast<size_t>(skip_));
  std::vector<RowRef> part;
  for (size_t at = begin; at < s->refs.size(); at += columnar::kBatchRows) {
    size_t end = std::min(s->refs.size(), at + columnar::kBatchRows);
    part.clear();
    for (size_t i = at; i < end; ++i) part.push_back(s->refs[i].ref);
    RETURN_IF_ERROR(out->Emit(Chunk(s->store.Gather(part, columns))));
  }
  s->refs.clear();
  s->store.Clear();
  return OkStatus();
}

}  // namespace kappa::engine
