#include "engine/ops/row_store.h"

#include <memory>

namespace kappa::engine {

using columnar::Batch;
using columnar::Column;
using columnar::ColumnPtr;

ColumnPtr GatherColumn(const Column& src, std::span<const uint32_t> rows) {
  bool any_null = false;
  for (uint32_t r : rows) any_null |= r == kNullRow;
  if (!any_null) return src.Take(rows);
  auto out = std::make_shared<Column>(src.type());
  out->Reserve(rows.size());
  for (uint32_t r : rows) {
    if (r == kNullRow) {
      out->AppendNull();
    } else {
      out->AppendFrom(src, r);
    }
  }
  return out;
}

ColumnPtr NullColumn(const columnar::DataType& type, size_t rows) {
  auto out = std::make_shared<Column>(type);
  out->Reserve(rows);
  for (size_t i = 0; i < rows; ++i) out->AppendNull();
  return out;
}

uint32_t RowStore::Add(Batch dense) {
  rows_ += dense.num_rows;
  batches_.push_back(std::move(dense));
  return static_cast<uint32_t>(batches_.size() - 1);
}

namespace {

bool OneBatch(std::span<const RowRef> refs) {
  for (const RowRef& r : refs) {
    if (r.batch != refs[0].batch) return false;
  }
  return true;
}

}  // namespace

Batch RowStore::Gather(std::span<const RowRef> refs, size_t columns) const {
  Batch out;
  out.num_rows = refs.size();
  if (refs.empty()) {
    if (batches_.empty()) return out;
    for (size_t c = 0; c < columns; ++c) {
      out.columns.push_back(std::make_shared<Column>(batches_[0].columns[c]->type()));
    }
    return out;
  }
  if (OneBatch(refs)) {
    std::vector<uint32_t> rows(refs.size());
    for (size_t i = 0; i < refs.size(); ++i) rows[i] = refs[i].row;
    const Batch& b = batches_[refs[0].batch];
    for (size_t c = 0; c < columns; ++c) out.columns.push_back(b.columns[c]->Take(rows));
    return out;
  }
  for (size_t c = 0; c < columns; ++c) {
    auto col = std::make_shared<Column>(batches_[refs[0].batch].columns[c]->type());
    col->Reserve(refs.size());
    for (const RowRef& r : refs) col->AppendFrom(*batches_[r.batch].columns[c], r.row);
    out.columns.push_back(std::move(col));
  }
  return out;
}

Batch RowStore::Concat() const {
  if (batches_.size() == 1) return batches_[0];
  std::vector<RowRef> refs;
  refs.reserve(rows_);
  for (uint32_t b = 0; b < batches_.size(); ++b) {
    for (uint32_t r = 0; r < batches_[b].num_rows; ++r) refs.push_back({b, r});
  }
  return Gather(refs, batches_.empty() ? 0 : batches_[0].num_columns());
}

void RowStore::Compact(const std::vector<RowRef*>& refs) {
  std::vector<RowRef> order;
  order.reserve(refs.size());
  for (const RowRef* r : refs) order.push_back(*r);
  size_t columns = batches_.empty() ? 0 : batches_[0].num_columns();
  Batch merged = Gather(order, columns);
  Clear();
  Add(std::move(merged));
  for (uint32_t i = 0; i < refs.size(); ++i) *refs[i] = RowRef{0, i};
}

void RowStore::Clear() {
  batches_.clear();
  rows_ = 0;
}

}  // namespace kappa::engine
