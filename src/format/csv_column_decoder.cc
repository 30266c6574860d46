#include "format/csv_column_decoder.h"

#include "base/time.h"
#include "format/cell_parser.h"

namespace kappa::format {
namespace {

using columnar::TypeId;

Status WrongType(const ColumnBuilder& b, std::string_view text) {
  return Invalid("wrong type for column '{}': expected {}, got \"{}\"", b.path(),
                 b.type().ToString(), text.substr(0, 64));
}

Status OutOfRange(const ColumnBuilder& b, std::string_view text) {
  return Invalid("number out of range for column '{}': {} cannot hold {}", b.path(),
                 b.type().ToString(), text.substr(0, 64));
}

Status CheckResult(CellError e, const ColumnBuilder& b, std::string_view text) {
  if (e == CellError::kRange) return OutOfRange(b, text);
  if (e == CellError::kSyntax) return WrongType(b, text);
  return OkStatus();
}

std::string_view StripLineEnd(std::string_view v) {
  if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v;
}

}  // namespace

Result<std::unique_ptr<CsvColumnDecoder>> CsvColumnDecoder::Create(const columnar::Schema& schema,
                                                                   CsvDecoderOptions options) {
  for (const columnar::Field& f : schema.fields()) {
    TypeId id = f.type.id();
    if (id == TypeId::kRow || id == TypeId::kInterval || id == TypeId::kNull) {
      return Unimplemented("column '{}': type {} is not supported by the csv format", f.name,
                           f.type.ToString());
    }
  }
  return std::unique_ptr<CsvColumnDecoder>(new CsvColumnDecoder(schema, options));
}

CsvColumnDecoder::CsvColumnDecoder(const columnar::Schema& schema, CsvDecoderOptions options)
    : options_(options), rows_(schema) {}

Status CsvColumnDecoder::Decode(std::string_view value, bool /*padded*/) {
  Status st = DecodeFields(StripLineEnd(value));
  if (!st.ok()) {
    rows_.RollbackRow();
    return st;
  }
  rows_.CommitRow();
  return OkStatus();
}

Status CsvColumnDecoder::DecodeFields(std::string_view value) {
  size_t n = rows_.num_columns();
  size_t pos = 0, count = 0;
  bool more = true;
  while (more) {
    std::string_view field;
    RETURN_IF_ERROR(NextField(value, &pos, &field));
    more = pos <= value.size();
    ++count;
    if (count > n) continue;
    ColumnBuilder* b = rows_.column(count - 1);
    Status st = DecodeCell(field, b);
    if (!st.ok()) {
      if (!options_.ignore_parse_errors) return st;
      b->Truncate(rows_.rows());
      b->AppendNull();
    }
  }
  if (count != n && !options_.ignore_parse_errors) {
    return Invalid("expected {} fields, got {}", n, count);
  }
  for (size_t i = count; i < n; ++i) rows_.column(i)->AppendNull();
  return OkStatus();
}

// On return *pos is past the delimiter that ended the field, or
// value.size() + 1 after the last field.
Status CsvColumnDecoder::NextField(std::string_view value, size_t* pos, std::string_view* field) {
  size_t i = *pos;
  const char delim = options_.delimiter;
  if (i >= value.size() || value[i] != '"') {
    size_t end = value.find(delim, i);
    if (end == std::string_view::npos) end = value.size();
    *field = value.substr(i, end - i);
    *pos = end + 1;
    return OkStatus();
  }
  unquoted_.clear();
  size_t start = ++i;
  bool escaped = false;
  for (;; ++i) {
    if (i >= value.size()) {
      return Invalid("invalid CSV at byte {}: unterminated quoted field", start - 1);
    }
    if (value[i] != '"') continue;
    if (i + 1 < value.size() && value[i + 1] == '"') {
      unquoted_.append(value.substr(start, i + 1 - start));
      start = i + 2;
      ++i;
      escaped = true;
      continue;
    }
    break;
  }
  if (escaped) {
    unquoted_.append(value.substr(start, i - start));
    *field = unquoted_;
  } else {
    *field = value.substr(start, i - start);
  }
  ++i;  // the closing quote
  if (i < value.size() && value[i] != delim) {
    return Invalid("invalid CSV at byte {}: text after a closing quote", i);
  }
  *pos = i + 1;
  return OkStatus();
}

Status CsvColumnDecoder::DecodeCell(std::string_view text, ColumnBuilder* b) {
  if (b->id() == TypeId::kString) {
    b->AppendString(text);
    return OkStatus();
  }
  std::string_view t = TrimAscii(text);
  if (t.empty()) {
    b->AppendNull();
    return OkStatus();
  }
  switch (b->id()) {
    case TypeId::kBoolean: {
      bool v = false;
      if (!ParseBoolText(t, &v)) return WrongType(*b, text);
      b->AppendBool(v);
      return OkStatus();
    }
    case TypeId::kInt32: {
      int32_t v = 0;
      RETURN_IF_ERROR(CheckResult(ParseInt32Text(t, &v), *b, text));
      b->AppendInt32(v);
      return OkStatus();
    }
    case TypeId::kInt64: {
      int64_t v = 0;
      RETURN_IF_ERROR(CheckResult(ParseInt64Text(t, &v), *b, text));
      b->AppendInt64(v);
      return OkStatus();
    }
    case TypeId::kDouble: {
      double v = 0;
      if (!ParseDoubleText(t, &v)) return WrongType(*b, text);
      b->AppendDouble(v);
      return OkStatus();
    }
    case TypeId::kDecimal: {
      columnar::Int128 v = 0;
      RETURN_IF_ERROR(CheckResult(
          ParseDecimalText(t, b->type().precision(), b->type().scale(), &v), *b, text));
      b->AppendDecimal(v);
      return OkStatus();
    }
    case TypeId::kDate: {
      int32_t v = 0;
      if (!ParseDateText(t, &v)) return WrongType(*b, text);
      b->AppendInt32(v);
      return OkStatus();
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      std::optional<int64_t> v = ParseTimestampMillis(t);
      if (!v) return WrongType(*b, text);
      b->AppendInt64(*v);
      return OkStatus();
    }
    default: break;  // refused by Create
  }
  return WrongType(*b, text);
}

}  // namespace kappa::format
