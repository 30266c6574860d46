// Small helpers operators share for walking and building batches.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "columnar/batch.h"

namespace kappa::engine {

// Physical rows of the active rows of `batch`, in order.
void ActiveRows(const columnar::Batch& batch, std::vector<uint32_t>* rows);
// +1/-1 per active row from the row kinds; empty when the batch is
// append-only.
void RowSigns(const columnar::Batch& batch, std::vector<int8_t>* signs);

// Fresh, empty columns for `schema`.
std::vector<std::shared_ptr<columnar::Column>> MakeColumns(const columnar::Schema& schema);
// A batch of the given columns (all of equal size) and kinds (empty = +I).
columnar::Batch MakeBatch(std::vector<std::shared_ptr<columnar::Column>> columns,
                          std::vector<columnar::RowKind> kinds = {});

// Whether row i of `a` and row j of `b` hold the same value (NULL = NULL).
bool CellsEqual(const columnar::Column& a, uint32_t i, const columnar::Column& b, uint32_t j);

}  // namespace kappa::engine
