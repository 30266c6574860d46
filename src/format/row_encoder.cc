#include "format/row_encoder.h"

#include <cmath>

#include "format/json_writer.h"

namespace kappa::format {

using columnar::Column;
using columnar::TypeId;

namespace {

std::string KeyText(std::string_view name, bool first) {
  std::string key = first ? "" : ",";
  AppendJsonString(name, &key);
  key.push_back(':');
  return key;
}

}  // namespace

// ---- JSON ----

JsonRowEncoder::JsonRowEncoder(const columnar::Schema& schema, JsonEncoderOptions options)
    : options_(options) {
  for (size_t i = 0; i < schema.size(); ++i) {
    entries_.push_back({static_cast<int>(i), KeyText(schema.field(i).name, i == 0)});
  }
}

JsonRowEncoder::JsonRowEncoder(std::vector<Entry> entries, JsonEncoderOptions options)
    : entries_(std::move(entries)), options_(options) {}

Result<JsonRowEncoder> JsonRowEncoder::ForColumns(const columnar::Schema& schema,
                                                  const std::vector<int>& columns,
                                                  JsonEncoderOptions options) {
  std::vector<Entry> entries;
  for (int c : columns) {
    if (c < 0 || static_cast<size_t>(c) >= schema.size()) {
      return Invalid("column index {} out of range for {} columns", c, schema.size());
    }
    entries.push_back({c, KeyText(schema.field(static_cast<size_t>(c)).name, entries.empty())});
  }
  return JsonRowEncoder(std::move(entries), options);
}

void JsonRowEncoder::EncodeRow(const columnar::Batch& batch, uint32_t row,
                               std::string* out) const {
  out->push_back('{');
  for (const Entry& e : entries_) {
    out->append(e.key);
    AppendCell(*batch.columns[static_cast<size_t>(e.column)], row, out);
  }
  out->push_back('}');
}

void JsonRowEncoder::EncodeBatch(const columnar::Batch& batch, std::string* out,
                                 std::vector<size_t>* ends) const {
  for (size_t i = 0; i < batch.active_rows(); ++i) {
    EncodeRow(batch, batch.row(i), out);
    ends->push_back(out->size());
  }
}

void JsonRowEncoder::AppendRow(const Column& c, uint32_t row, std::string* out) const {
  const auto& fields = c.type().fields();
  out->push_back('{');
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(fields[i].name, out);
    out->push_back(':');
    AppendCell(*c.children()[i], row, out);
  }
  out->push_back('}');
}

void JsonRowEncoder::AppendCell(const Column& c, uint32_t row, std::string* out) const {
  if (c.IsNull(row)) return out->append("null"), void();
  switch (c.type().id()) {
    case TypeId::kNull: out->append("null"); break;
    case TypeId::kBoolean: out->append(c.values<uint8_t>()[row] ? "true" : "false"); break;
    case TypeId::kInt32: AppendInt(c.values<int32_t>()[row], out); break;
    case TypeId::kInt64:
    case TypeId::kInterval: AppendInt(c.values<int64_t>()[row], out); break;
    case TypeId::kDouble: {
      double v = c.values<double>()[row];
      bool finite = std::isfinite(v);
      if (!finite) out->push_back('"');
      AppendDouble(v, out);
      if (!finite) out->push_back('"');
      break;
    }
    case TypeId::kDecimal: AppendDecimal(c.values<columnar::Int128>()[row], c.type().scale(), out); break;
    case TypeId::kString: AppendJsonString(c.GetString(row), out); break;
    case TypeId::kDate:
      out->push_back('"');
      AppendDate(c.values<int32_t>()[row], out);
      out->push_back('"');
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      out->push_back('"');
      AppendTimestamp(c.values<int64_t>()[row], options_.timestamp_standard,
                      c.type().id() == TypeId::kTimestampLtz, out);
      out->push_back('"');
      break;
    case TypeId::kRow: AppendRow(c, row, out); break;
  }
}

// ---- CSV ----

Result<CsvRowEncoder> CsvRowEncoder::Create(const columnar::Schema& schema,
                                            CsvEncoderOptions options) {
  for (const columnar::Field& f : schema.fields()) {
    if (f.type.id() == TypeId::kRow) {
      return Unimplemented("column '{}': type {} is not supported by the csv format", f.name,
                           f.type.ToString());
    }
  }
  return CsvRowEncoder(options);
}

void CsvRowEncoder::EncodeRow(const columnar::Batch& batch, uint32_t row,
                              std::string* out) const {
  for (size_t i = 0; i < batch.columns.size(); ++i) {
    if (i > 0) out->push_back(options_.delimiter);
    AppendCell(*batch.columns[i], row, out);
  }
}

void CsvRowEncoder::EncodeBatch(const columnar::Batch& batch, std::string* out,
                                std::vector<size_t>* ends) const {
  for (size_t i = 0; i < batch.active_rows(); ++i) {
    EncodeRow(batch, batch.row(i), out);
    ends->push_back(out->size());
  }
}

void CsvRowEncoder::AppendText(std::string_view s, std::string* out) const {
  bool quote = s.empty();
  for (char ch : s) {
    if (ch == options_.delimiter || ch == '"' || ch == '\n' || ch == '\r') quote = true;
  }
  if (!quote) return out->append(s), void();
  out->push_back('"');
  for (char ch : s) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

void CsvRowEncoder::AppendCell(const Column& c, uint32_t row, std::string* out) const {
  if (c.IsNull(row)) return;
  switch (c.type().id()) {
    case TypeId::kNull:
    case TypeId::kRow: break;  // ROW refused by Create
    case TypeId::kBoolean: out->append(c.values<uint8_t>()[row] ? "true" : "false"); break;
    case TypeId::kInt32: AppendInt(c.values<int32_t>()[row], out); break;
    case TypeId::kInt64:
    case TypeId::kInterval: AppendInt(c.values<int64_t>()[row], out); break;
    case TypeId::kDouble: AppendDouble(c.values<double>()[row], out); break;
    case TypeId::kDecimal: AppendDecimal(c.values<columnar::Int128>()[row], c.type().scale(), out); break;
    case TypeId::kString: AppendText(c.GetString(row), out); break;
    case TypeId::kDate: AppendDate(c.values<int32_t>()[row], out); break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      AppendTimestamp(c.values<int64_t>()[row], TimestampStandard::kSql,
                      c.type().id() == TypeId::kTimestampLtz, out);
      break;
  }
}

}  // namespace kappa::format
