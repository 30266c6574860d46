#include "engine/ops/batch_util.h"

#include <string>

#include "engine/state/key_codec.h"

namespace kappa::engine {

using columnar::RowKind;

void ActiveRows(const columnar::Batch& batch, std::vector<uint32_t>* rows) {
  if (batch.selection) {
    *rows = *batch.selection;
    return;
  }
  rows->resize(batch.num_rows);
  for (uint32_t i = 0; i < batch.num_rows; ++i) (*rows)[i] = i;
}

void RowSigns(const columnar::Batch& batch, std::vector<int8_t>* signs) {
  signs->clear();
  if (batch.append_only()) return;
  size_t n = batch.active_rows();
  signs->resize(n);
  for (size_t i = 0; i < n; ++i) (*signs)[i] = columnar::IsAccumulate(batch.kind(batch.row(i))) ? 1 : -1;
}

std::vector<std::shared_ptr<columnar::Column>> MakeColumns(const columnar::Schema& schema) {
  std::vector<std::shared_ptr<columnar::Column>> out;
  out.reserve(schema.size());
  for (const columnar::Field& f : schema.fields()) out.push_back(std::make_shared<columnar::Column>(f.type));
  return out;
}

columnar::Batch MakeBatch(std::vector<std::shared_ptr<columnar::Column>> columns,
                          std::vector<RowKind> kinds) {
  columnar::Batch b;
  b.num_rows = columns.empty() ? kinds.size() : columns[0]->size();
  b.columns.reserve(columns.size());
  for (auto& c : columns) b.columns.push_back(std::move(c));
  bool any = false;
  for (RowKind k : kinds) any |= k != RowKind::kInsert;
  if (any) b.kinds = std::move(kinds);
  return b;
}

bool CellsEqual(const columnar::Column& a, uint32_t i, const columnar::Column& b, uint32_t j) {
  thread_local std::string ka, kb;
  ka.clear();
  kb.clear();
  EncodeCell(a, i, &ka);
  EncodeCell(b, j, &kb);
  return ka == kb;
}

}  // namespace kappa::engine
