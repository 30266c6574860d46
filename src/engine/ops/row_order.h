// Ordering rows for ORDER BY, Top-N and deduplication (sql/plan.h SortKey).
// Values compare exactly by type: integers, DATE, TIMESTAMP and INTERVAL
// as integers, DECIMAL as unscaled 128-bit integers (one column has one
// scale), STRING byte-wise (UTF-8 byte order, as Flink's binary strings),
// BOOLEAN FALSE < TRUE, DOUBLE numerically with -0.0 = 0.0 and NaN above
// every number, ROW field by field. NULL goes first or last as each key's
// nulls_first says (the binder fills in Flink's default: NULLS FIRST for
// ASC, NULLS LAST for DESC), whatever the direction.
//
// SortColumns binds the keys over an input schema: a key that is a bare
// column reference reads that column; any other key expression is
// evaluated per batch and appended after the input columns (Extend), so a
// stored batch carries its keys. Immutable and thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "engine/bound_expr.h"
#include "sql/plan.h"

namespace kappa::engine {

// Three-way comparison of two non-NULL cells of the same type.
int CompareCells(const columnar::Column& a, uint32_t i, const columnar::Column& b, uint32_t j);
// The same order over two non-NULL Values of the same type.
int CompareValues(const columnar::Value& a, const columnar::Value& b);
// A sort key's order over two Values of its type, NULLs included.
int CompareKeyValues(const columnar::Value& a, const columnar::Value& b, bool ascending,
                     bool nulls_first);

struct OrderKey {
  int column = 0;  // in the (extended) batch
  bool ascending = true;
  bool nulls_first = true;
};

// A lexicographic order over some columns of batches of one shape.
class RowOrder {
 public:
  RowOrder() = default;
  explicit RowOrder(std::vector<OrderKey> keys) : keys_(std::move(keys)) {}

  const std::vector<OrderKey>& keys() const { return keys_; }
  // <0, 0 or >0 as row i of `a` sorts before, with, or after row j of `b`.
  int Compare(const columnar::Batch& a, uint32_t i, const columnar::Batch& b, uint32_t j) const;
  // A 64-bit prefix of row i's first key in this order: when the prefixes
  // of two rows differ they order the rows as Compare does; equal prefixes
  // say nothing (compare in full). 0 for every row without keys.
  uint64_t Prefix(const columnar::Batch& batch, uint32_t i) const;

 private:
  std::vector<OrderKey> keys_;
};

class SortColumns {
 public:
  // `tie_break`: after the keys, compare every input column (ascending,
  // NULLs first), so that rows tied on the keys still come out in one
  // order whatever order they arrived in.
  static Result<SortColumns> Make(const std::vector<sql::SortKey>& keys,
                                  const columnar::Schema& input, bool tie_break);

  const RowOrder& order() const { return order_; }
  bool empty() const { return order_.keys().empty(); }
  // `dense` (no selection) with the computed keys appended.
  Result<columnar::Batch> Extend(columnar::Batch dense) const;

 private:
  RowOrder order_;
  std::vector<BoundExpr> computed_;
};

}  // namespace kappa::engine
