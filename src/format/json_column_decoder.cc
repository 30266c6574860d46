#include "format/json_column_decoder.h"

#include <cstring>
#include <limits>
#include <string>

#include "base/time.h"
#include "format/cell_parser.h"
#include "format/column_builder.h"
#include "simdjson.h"

namespace kappa::format {
namespace {

namespace od = simdjson::ondemand;
using columnar::DataType;
using columnar::TypeId;

// How decoding one value ended. A field error (wrong type, out of range)
// may be forgiven by ignore_parse_errors; a syntax error never is.
enum class Outcome { kOk, kFieldError, kSyntaxError };

struct Shape;

// One schema field of an object: where its values go.
struct Slot {
  std::string name;
  bool plain = true;  // no '"', '\\' or control byte: a raw key compares exactly
  ColumnBuilder* builder = nullptr;
  std::unique_ptr<Shape> row;  // fields of a ROW column
};

struct Shape {
  std::vector<Slot> slots;
};

bool IsPlainName(std::string_view name) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

Status CheckType(const DataType& type, std::string_view path) {
  if (type.id() == TypeId::kInterval || type.id() == TypeId::kNull) {
    return Invalid("column '{}': type {} cannot be read from JSON", path, type.ToString());
  }
  if (type.id() == TypeId::kRow) {
    for (const columnar::Field& f : type.fields()) {
      RETURN_IF_ERROR(CheckType(f.type, fmt::format("{}.{}", path, f.name)));
    }
  }
  return OkStatus();
}

// Builds the slots of an object whose fields are `builders`' children (or
// the schema's columns).
std::unique_ptr<Shape> MakeShape(const std::vector<columnar::Field>& fields,
                                 const std::vector<ColumnBuilder*>& builders) {
  auto shape = std::make_unique<Shape>();
  for (size_t i = 0; i < fields.size(); ++i) {
    Slot s;
    s.name = fields[i].name;
    s.plain = IsPlainName(s.name);
    s.builder = builders[i];
    if (s.builder->id() == TypeId::kRow) {
      std::vector<ColumnBuilder*> children;
      for (size_t c = 0; c < s.builder->num_children(); ++c) children.push_back(s.builder->child(c));
      s.row = MakeShape(s.builder->type().fields(), children);
    }
    shape->slots.push_back(std::move(s));
  }
  return shape;
}

// A raw key (after its opening quote) that contains a backslash before its
// closing quote needs unescaping before it can be compared.
bool HasEscape(const char* raw) {
  for (const char* p = raw;; ++p) {
    if (*p == '"') return false;
    if (*p == '\\') return true;
  }
}

std::string_view Shorten(std::string_view s) {
  constexpr size_t kMax = 64;
  return s.size() <= kMax ? s : s.substr(0, kMax);
}

bool LooksLikeInteger(std::string_view s) {
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

struct JsonColumnDecoder::Impl {
  Impl(const columnar::Schema& schema, JsonDecoderOptions opts) : options(opts), rows(schema) {
    std::vector<ColumnBuilder*> columns;
    for (size_t i = 0; i < rows.num_columns(); ++i) columns.push_back(rows.column(i));
    root = MakeShape(schema.fields(), columns);
  }

  Status Decode(std::string_view json, bool padded);

  // ---- objects and fields ----
  Outcome DecodeObject(od::object& obj, Shape& shape, size_t row);
  Slot* Find(Shape& shape, od::field& field, size_t* next, Outcome* outcome);
  Outcome DecodeField(od::value& v, Slot& s, size_t row);
  Outcome DecodeValue(od::value& v, Slot& s, size_t row);

  // ---- one value per column type ----
  Outcome DecodeBool(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeInteger(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeDouble(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeDecimal(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeString(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeDate(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeTimestamp(od::value& v, od::json_type t, ColumnBuilder* b);
  Outcome DecodeRow(od::value& v, od::json_type t, Slot& s, size_t row);
  Outcome AppendInteger(int64_t x, ColumnBuilder* b);

  // ---- errors: set `error` and say which kind ----
  Outcome Syntax(simdjson::error_code e);
  Outcome NotAnObject(od::json_type t);
  Outcome WrongType(ColumnBuilder* b, std::string_view got);
  Outcome WrongTypeRaw(od::value& v, ColumnBuilder* b);
  Outcome OutOfRange(ColumnBuilder* b, std::string_view text);
  Outcome Missing(ColumnBuilder* b);
  Outcome StringText(od::value& v, std::string_view* out);
  std::string_view RawToken(od::value& v);

  JsonDecoderOptions options;
  RowBuilder rows;
  std::unique_ptr<Shape> root;
  od::parser parser;
  od::document doc;
  bool doc_valid = false;  // doc belongs to the current input (else it may dangle)
  const char* input = nullptr;  // the text being decoded, for error positions
  std::string padded_copy;      // a value that came without padding
  std::string scratch;          // minified JSON of an object read as STRING
  std::string error;
};

Status JsonColumnDecoder::Impl::Decode(std::string_view json, bool padded) {
  if (!padded) {
    padded_copy.resize(json.size() + kValuePadding);
    std::memcpy(padded_copy.data(), json.data(), json.size());
    json = std::string_view(padded_copy.data(), json.size());
  }
  input = json.data();
  size_t row = rows.rows();
  Outcome outcome = Outcome::kOk;
  auto e = parser.iterate(json.data(), json.size(), json.size() + kValuePadding).get(doc);
  doc_valid = e == simdjson::SUCCESS;
  od::object obj;
  if (e != simdjson::SUCCESS) {
    outcome = Syntax(e);
  } else if (od::json_type t; (e = doc.type().get(t)) != simdjson::SUCCESS) {
    outcome = Syntax(e);
  } else if (t != od::json_type::object) {
    outcome = NotAnObject(t);
  } else if ((e = doc.get_object().get(obj)) != simdjson::SUCCESS) {
    outcome = Syntax(e);
  } else {
    outcome = DecodeObject(obj, *root, row);
    const char* rest = nullptr;
    if (outcome == Outcome::kOk && doc.current_location().get(rest) == simdjson::SUCCESS) {
      error = fmt::format("invalid JSON at byte {}: content after the top-level object",
                          rest - input);
      outcome = Outcome::kSyntaxError;
    }
  }
  if (outcome != Outcome::kOk) {
    rows.RollbackRow();
    return Invalid("{}", error);
  }
  rows.CommitRow();
  return OkStatus();
}

Outcome JsonColumnDecoder::Impl::DecodeObject(od::object& obj, Shape& shape, size_t row) {
  size_t next = 0;
  for (auto field_or : obj) {
    od::field field;
    if (auto e = std::move(field_or).get(field); e != simdjson::SUCCESS) return Syntax(e);
    Outcome found = Outcome::kOk;
    Slot* slot = Find(shape, field, &next, &found);
    if (found != Outcome::kOk) return found;
    if (slot == nullptr) continue;  // unknown field: the iterator skips its value
    if (slot->builder->size() > row) slot->builder->Truncate(row);  // repeated: last wins
    Outcome o = DecodeField(field.value(), *slot, row);
    if (o != Outcome::kOk) return o;
  }
  for (Slot& s : shape.slots) {
    if (s.builder->size() > row) continue;
    if (options.fail_on_missing_field && !options.ignore_parse_errors) return Missing(s.builder);
    s.builder->AppendNull();
  }
  return Outcome::kOk;
}

Slot* JsonColumnDecoder::Impl::Find(Shape& shape, od::field& field, size_t* next,
                                    Outcome* outcome) {
  od::raw_json_string key = field.key();
  size_t n = shape.slots.size();
  // Fields usually come in schema order: start after the last match.
  for (size_t k = 0; k < n; ++k) {
    size_t i = *next + k < n ? *next + k : *next + k - n;
    Slot& s = shape.slots[i];
    if (s.plain && key.unsafe_is_equal(s.name)) {
      *next = i + 1;
      return &s;
    }
  }
  if (!HasEscape(key.raw())) return nullptr;
  std::string_view name;
  if (auto e = field.unescaped_key().get(name); e != simdjson::SUCCESS) {
    *outcome = Syntax(e);
    return nullptr;
  }
  for (Slot& s : shape.slots) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Outcome JsonColumnDecoder::Impl::DecodeField(od::value& v, Slot& s, size_t row) {
  Outcome o = DecodeValue(v, s, row);
  if (o == Outcome::kFieldError && options.ignore_parse_errors) {
    s.builder->Truncate(row);
    s.builder->AppendNull();
    return Outcome::kOk;
  }
  return o;
}

Outcome JsonColumnDecoder::Impl::DecodeValue(od::value& v, Slot& s, size_t row) {
  od::json_type t;
  if (auto e = v.type().get(t); e != simdjson::SUCCESS) return Syntax(e);
  ColumnBuilder* b = s.builder;
  if (t == od::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
      return Syntax(simdjson::N_ATOM_ERROR);
    }
    b->AppendNull();
    return Outcome::kOk;
  }
  switch (b->id()) {
    case TypeId::kBoolean: return DecodeBool(v, t, b);
    case TypeId::kInt32:
    case TypeId::kInt64: return DecodeInteger(v, t, b);
    case TypeId::kDouble: return DecodeDouble(v, t, b);
    case TypeId::kDecimal: return DecodeDecimal(v, t, b);
    case TypeId::kString: return DecodeString(v, t, b);
    case TypeId::kDate: return DecodeDate(v, t, b);
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return DecodeTimestamp(v, t, b);
    case TypeId::kRow: return DecodeRow(v, t, s, row);
    case TypeId::kNull:
    case TypeId::kInterval: break;  // refused by Create
  }
  return WrongTypeRaw(v, b);
}

Outcome JsonColumnDecoder::Impl::DecodeBool(od::value& v, od::json_type t, ColumnBuilder* b) {
  if (t == od::json_type::boolean) {
    bool x = false;
    if (auto e = v.get_bool().get(x); e != simdjson::SUCCESS) return Syntax(e);
    b->AppendBool(x);
    return Outcome::kOk;
  }
  if (t != od::json_type::string) return WrongTypeRaw(v, b);
  std::string_view text;
  if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
  bool x = false;
  if (!ParseBoolText(TrimAscii(text), &x)) return WrongType(b, fmt::format("\"{}\"", text));
  b->AppendBool(x);
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::AppendInteger(int64_t x, ColumnBuilder* b) {
  if (b->id() == TypeId::kInt64) {
    b->AppendInt64(x);
    return Outcome::kOk;
  }
  if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max()) {
    return OutOfRange(b, fmt::format("{}", x));
  }
  b->AppendInt32(static_cast<int32_t>(x));
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::DecodeInteger(od::value& v, od::json_type t, ColumnBuilder* b) {
  if (t == od::json_type::number) {
    int64_t x = 0;
    if (v.get_int64().get(x) == simdjson::SUCCESS) return AppendInteger(x, b);
    std::string_view raw = RawToken(v);
    return LooksLikeInteger(raw) ? OutOfRange(b, raw) : WrongType(b, raw);
  }
  if (t != od::json_type::string) return WrongTypeRaw(v, b);
  std::string_view text;
  if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
  int64_t x = 0;
  switch (ParseInt64Text(TrimAscii(text), &x)) {
    case CellError::kOk: return AppendInteger(x, b);
    case CellError::kRange: return OutOfRange(b, text);
    case CellError::kSyntax: break;
  }
  return WrongType(b, fmt::format("\"{}\"", text));
}

Outcome JsonColumnDecoder::Impl::DecodeDouble(od::value& v, od::json_type t, ColumnBuilder* b) {
  if (t == od::json_type::number) {
    double x = 0;
    if (v.get_double().get(x) != simdjson::SUCCESS) return OutOfRange(b, RawToken(v));
    b->AppendDouble(x);
    return Outcome::kOk;
  }
  if (t != od::json_type::string) return WrongTypeRaw(v, b);
  std::string_view text;
  if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
  double x = 0;
  if (!ParseDoubleText(TrimAscii(text), &x)) return WrongType(b, fmt::format("\"{}\"", text));
  b->AppendDouble(x);
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::DecodeDecimal(od::value& v, od::json_type t, ColumnBuilder* b) {
  std::string_view text;
  bool quoted = t == od::json_type::string;
  if (t == od::json_type::number) {
    text = RawToken(v);  // left unconsumed: the object iterator skips it
  } else if (quoted) {
    if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
    text = TrimAscii(text);
  } else {
    return WrongTypeRaw(v, b);
  }
  columnar::Int128 x = 0;
  switch (ParseDecimalText(text, b->type().precision(), b->type().scale(), &x)) {
    case CellError::kOk: b->AppendDecimal(x); return Outcome::kOk;
    case CellError::kRange: return OutOfRange(b, text);
    case CellError::kSyntax: break;
  }
  return WrongType(b, quoted ? fmt::format("\"{}\"", text) : std::string(text));
}

Outcome JsonColumnDecoder::Impl::DecodeString(od::value& v, od::json_type t, ColumnBuilder* b) {
  if (t == od::json_type::string) {
    std::string_view text;
    if (auto e = v.get_string().get(text); e != simdjson::SUCCESS) return Syntax(e);
    b->AppendString(text);
    return Outcome::kOk;
  }
  if (t == od::json_type::number || t == od::json_type::boolean) {
    std::string_view raw = RawToken(v);
    if (t == od::json_type::boolean) {  // consume it, so a bad atom is a syntax error
      bool x = false;
      if (auto e = v.get_bool().get(x); e != simdjson::SUCCESS) return Syntax(e);
    }
    b->AppendString(raw);
    return Outcome::kOk;
  }
  std::string_view json;
  if (auto e = simdjson::to_json_string(v).get(json); e != simdjson::SUCCESS) return Syntax(e);
  scratch.resize(json.size());
  size_t len = 0;
  if (auto e = simdjson::minify(json.data(), json.size(), scratch.data(), len);
      e != simdjson::SUCCESS) {
    return Syntax(e);
  }
  b->AppendString(std::string_view(scratch.data(), len));
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::DecodeDate(od::value& v, od::json_type t, ColumnBuilder* b) {
  if (t != od::json_type::string) return WrongTypeRaw(v, b);
  std::string_view text;
  if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
  int32_t days = 0;
  if (!ParseDateText(TrimAscii(text), &days)) return WrongType(b, fmt::format("\"{}\"", text));
  b->AppendInt32(days);
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::DecodeTimestamp(od::value& v, od::json_type t,
                                                 ColumnBuilder* b) {
  if (t == od::json_type::number) {
    int64_t millis = 0;
    if (v.get_int64().get(millis) == simdjson::SUCCESS) {
      b->AppendInt64(millis);
      return Outcome::kOk;
    }
    std::string_view raw = RawToken(v);
    return LooksLikeInteger(raw) ? OutOfRange(b, raw) : WrongType(b, raw);
  }
  if (t != od::json_type::string) return WrongTypeRaw(v, b);
  std::string_view text;
  if (Outcome o = StringText(v, &text); o != Outcome::kOk) return o;
  std::optional<int64_t> millis = ParseTimestampMillis(TrimAscii(text));
  if (!millis) return WrongType(b, fmt::format("\"{}\"", text));
  b->AppendInt64(*millis);
  return Outcome::kOk;
}

Outcome JsonColumnDecoder::Impl::DecodeRow(od::value& v, od::json_type t, Slot& s, size_t row) {
  if (t != od::json_type::object) return WrongTypeRaw(v, s.builder);
  od::object obj;
  if (auto e = v.get_object().get(obj); e != simdjson::SUCCESS) return Syntax(e);
  Outcome o = DecodeObject(obj, *s.row, row);
  if (o != Outcome::kOk) return o;
  s.builder->AppendRowPresent();
  return Outcome::kOk;
}

// ---- errors ----

Outcome JsonColumnDecoder::Impl::NotAnObject(od::json_type t) {
  std::string_view token;
  if (doc.raw_json_token().get(token) != simdjson::SUCCESS) token = "?";
  token = TrimAscii(token);
  simdjson::error_code e = simdjson::SUCCESS;
  switch (t) {
    case od::json_type::array: token = "an array"; break;
    case od::json_type::null: {
      bool is_null = false;
      e = doc.is_null().get(is_null);
      if (e == simdjson::SUCCESS && !is_null) e = simdjson::N_ATOM_ERROR;
      break;
    }
    case od::json_type::boolean: e = doc.get_bool().error(); break;
    case od::json_type::number: e = doc.get_double().error(); break;
    case od::json_type::string: e = doc.get_string().error(); break;
    case od::json_type::object: break;
  }
  if (e != simdjson::SUCCESS) return Syntax(e);
  error = fmt::format("expected a JSON object, got {}", Shorten(token));
  return Outcome::kSyntaxError;
}

Outcome JsonColumnDecoder::Impl::Syntax(simdjson::error_code e) {
  const char* at = nullptr;
  if (doc_valid && doc.current_location().get(at) == simdjson::SUCCESS && at >= input) {
    error = fmt::format("invalid JSON at byte {}: {}", at - input, simdjson::error_message(e));
  } else {
    error = fmt::format("invalid JSON: {}", simdjson::error_message(e));
  }
  return Outcome::kSyntaxError;
}

Outcome JsonColumnDecoder::Impl::WrongType(ColumnBuilder* b, std::string_view got) {
  error = fmt::format("wrong type for column '{}': expected {}, got {}", b->path(),
                      b->type().ToString(), Shorten(got));
  return Outcome::kFieldError;
}

Outcome JsonColumnDecoder::Impl::WrongTypeRaw(od::value& v, ColumnBuilder* b) {
  std::string_view raw = RawToken(v);
  if (raw == "{" || raw == "[") raw = raw == "{" ? "an object" : "an array";
  return WrongType(b, raw);
}

Outcome JsonColumnDecoder::Impl::OutOfRange(ColumnBuilder* b, std::string_view text) {
  error = fmt::format("number out of range for column '{}': {} cannot hold {}", b->path(),
                      b->type().ToString(), Shorten(text));
  return Outcome::kFieldError;
}

Outcome JsonColumnDecoder::Impl::Missing(ColumnBuilder* b) {
  error = fmt::format("missing field for column '{}'", b->path());
  return Outcome::kFieldError;
}

Outcome JsonColumnDecoder::Impl::StringText(od::value& v, std::string_view* out) {
  if (auto e = v.get_string().get(*out); e != simdjson::SUCCESS) return Syntax(e);
  return Outcome::kOk;
}

std::string_view JsonColumnDecoder::Impl::RawToken(od::value& v) {
  return TrimAscii(v.raw_json_token());
}

// ---- JsonColumnDecoder ----

Result<std::unique_ptr<JsonColumnDecoder>> JsonColumnDecoder::Create(
    const columnar::Schema& schema, JsonDecoderOptions options) {
  for (const columnar::Field& f : schema.fields()) RETURN_IF_ERROR(CheckType(f.type, f.name));
  return std::unique_ptr<JsonColumnDecoder>(
      new JsonColumnDecoder(std::make_unique<Impl>(schema, options)));
}

JsonColumnDecoder::JsonColumnDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonColumnDecoder::~JsonColumnDecoder() = default;

const columnar::Schema& JsonColumnDecoder::schema() const { return impl_->rows.schema(); }

Status JsonColumnDecoder::Decode(std::string_view value, bool padded) {
  return impl_->Decode(value, padded);
}

size_t JsonColumnDecoder::rows() const { return impl_->rows.rows(); }

std::vector<columnar::ColumnPtr> JsonColumnDecoder::Finish() { return impl_->rows.Finish(); }

}  // namespace kappa::format
