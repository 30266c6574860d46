// RowStore keeps the rows an operator holds until the end of its input (a
// sort, a join's sides, Top-N candidates) as the dense batches they came
// in, addressed by RowRef (batch, row). Batches are shared, not copied;
// Compact gathers the rows still referenced into one new batch so that a
// store holding few of many seen rows (top-k, deduplication) stays small.
// RowRefs compare in arrival order: a later batch has a larger index, and
// Compact writes rows in the order of the refs it is given. Not
// thread-safe; one per operator state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "columnar/batch.h"

namespace kappa::engine {

struct RowRef {
  uint32_t batch = 0;
  uint32_t row = 0;

  friend bool operator<(const RowRef& a, const RowRef& b) {
    return a.batch != b.batch ? a.batch < b.batch : a.row < b.row;
  }
};

// A row index meaning "a NULL here" in GatherColumn.
inline constexpr uint32_t kNullRow = UINT32_MAX;

// Rows `rows` of `src` as a new column; kNullRow gives a NULL.
columnar::ColumnPtr GatherColumn(const columnar::Column& src, std::span<const uint32_t> rows);
// `rows` NULLs of `type`.
columnar::ColumnPtr NullColumn(const columnar::DataType& type, size_t rows);

class RowStore {
 public:
  // Adds a dense batch (no selection); returns its index.
  uint32_t Add(columnar::Batch dense);
  const columnar::Batch& batch(uint32_t i) const { return batches_[i]; }
  const std::vector<columnar::Batch>& batches() const { return batches_; }
  // Physical rows held, referenced or not.
  size_t rows() const { return rows_; }

  // The first `columns` columns of the rows `refs`, in order, as one batch.
  columnar::Batch Gather(std::span<const RowRef> refs, size_t columns) const;
  // Every row held, in arrival order, as one batch of all columns.
  columnar::Batch Concat() const;
  // Replaces the held batches by one with exactly the rows `*refs[i]`, in
  // that order, and points each ref at its row there.
  void Compact(const std::vector<RowRef*>& refs);
  void Clear();

 private:
  std::vector<columnar::Batch> batches_;
  size_t rows_ = 0;
};

}  // namespace kappa::engine
