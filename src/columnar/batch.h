// A Batch is the unit that flows between operators: up to kBatchRows rows as
// columns of equal length, an optional selection vector (a filter marks rows
// instead of copying them), and a RowKind per row for changelogs (+I, -U, +U,
// -D; empty means every row is +I, the append-only case). Batches are values:
// cheap to copy (columns are shared, immutable), never mutated after they
// are handed to the next operator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.h"

namespace kappa::columnar {

inline constexpr size_t kBatchRows = 4096;

enum class RowKind : uint8_t { kInsert, kUpdateBefore, kUpdateAfter, kDelete };

// "+I", "-U", "+U", "-D".
const char* RowKindName(RowKind kind);
// True for +I and +U (the row is in the result after this change).
inline bool IsAccumulate(RowKind k) { return k == RowKind::kInsert || k == RowKind::kUpdateAfter; }

struct Batch {
  std::vector<ColumnPtr> columns;
  size_t num_rows = 0;  // physical rows in each column
  // Active physical rows, ascending; nullopt = all num_rows rows.
  std::optional<std::vector<uint32_t>> selection;
  // Per physical row; empty = all +I.
  std::vector<RowKind> kinds;

  size_t active_rows() const { return selection ? selection->size() : num_rows; }
  size_t num_columns() const { return columns.size(); }
  // The physical row of active row i.
  uint32_t row(size_t i) const { return selection ? (*selection)[i] : static_cast<uint32_t>(i); }
  RowKind kind(uint32_t physical_row) const {
    return kinds.empty() ? RowKind::kInsert : kinds[physical_row];
  }
  bool append_only() const { return kinds.empty(); }

  // The same rows with the selection applied: no selection, dense columns.
  Batch Compact() const;
  // Active row i as Values (tests, slow paths).
  std::vector<Value> GetRow(size_t i) const;
  // Rows as text, one per line: "+I[1, a, 2024-01-01 00:00:00.000]".
  std::string ToString() const;
};

// Builds a Batch row by row from Values (tests, slow paths, small results).
class BatchBuilder {
 public:
  explicit BatchBuilder(const Schema& schema);
  void AppendRow(const std::vector<Value>& row, RowKind kind = RowKind::kInsert);
  size_t rows() const { return rows_; }
  // The rows so far; the builder starts over, empty.
  Batch Finish();

 private:
  void Reset();

  Schema schema_;
  std::vector<std::shared_ptr<Column>> columns_;
  std::vector<RowKind> kinds_;
  bool any_kind_ = false;
  size_t rows_ = 0;
};

}  // namespace kappa::columnar
