#include "columnar/batch.h"

namespace kappa::columnar {

const char* RowKindName(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert: return "+I";
    case RowKind::kUpdateBefore: return "-U";
    case RowKind::kUpdateAfter: return "+U";
    case RowKind::kDelete: return "-D";
  }
  return "?";
}

Batch Batch::Compact() const {
  if (!selection) return *this;
  Batch out;
  out.num_rows = selection->size();
  out.columns.reserve(columns.size());
  for (const ColumnPtr& c : columns) out.columns.push_back(c->Take(*selection));
  if (!kinds.empty()) {
    out.kinds.reserve(out.num_rows);
    for (uint32_t r : *selection) out.kinds.push_back(kinds[r]);
  }
  return out;
}

std::vector<Value> Batch::GetRow(size_t i) const {
  std::vector<Value> out;
  out.reserve(columns.size());
  uint32_t r = row(i);
  for (const ColumnPtr& c : columns) out.push_back(c->Get(r));
  return out;
}

std::string Batch::ToString() const {
  std::string out;
  for (size_t i = 0; i < active_rows(); ++i) {
    out += RowKindName(kind(row(i)));
    out += "[";
    std::vector<Value> values = GetRow(i);
    for (size_t c = 0; c < values.size(); ++c) {
      if (c > 0) out += ", ";
      out += values[c].ToString();
    }
    out += "]\n";
  }
  return out;
}

BatchBuilder::BatchBuilder(const Schema& schema) : schema_(schema) { Reset(); }

void BatchBuilder::Reset() {
  columns_.clear();
  for (const Field& f : schema_.fields()) columns_.push_back(std::make_shared<Column>(f.type));
  kinds_.clear();
  rows_ = 0;
  any_kind_ = false;
}

void BatchBuilder::AppendRow(const std::vector<Value>& row, RowKind kind) {
  for (size_t i = 0; i < columns_.size(); ++i) columns_[i]->AppendValue(row[i]);
  kinds_.push_back(kind);
  any_kind_ |= kind != RowKind::kInsert;
  ++rows_;
}

Batch BatchBuilder::Finish() {
  Batch out;
  out.num_rows = rows_;
  for (auto& c : columns_) out.columns.push_back(std::move(c));
  if (any_kind_) out.kinds = std::move(kinds_);
  Reset();
  return out;
}

}  // namespace kappa::columnar
