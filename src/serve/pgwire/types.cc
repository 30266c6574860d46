#include "serve/pgwire/types.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <regex>
#include <vector>

#include "columnar/value.h"
#include "fmt/format.h"
#include "serve/pgwire/messages.h"

namespace kappa::serve::pgwire {
namespace {

using columnar::TypeId;

constexpr int32_t kPgEpochDays = 10957;  // 2000-01-01 in days since 1970-01-01
constexpr int64_t kPgEpochMillis = int64_t{kPgEpochDays} * 86'400'000;

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "Infinity" : "-Infinity");
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  }
}

// Postgres' interval output for a span of milliseconds: "1 day 02:03:04.500".
void AppendInterval(int64_t millis, std::string* out) {
  bool negative = millis < 0;
  uint64_t ms = negative ? uint64_t(0) - static_cast<uint64_t>(millis) : static_cast<uint64_t>(millis);
  uint64_t days = ms / 86'400'000;
  ms %= 86'400'000;
  const char* sign = negative ? "-" : "";
  if (days > 0) fmt::format_to(std::back_inserter(*out), "{}{} day{} ", sign, days, days == 1 ? "" : "s");
  fmt::format_to(std::back_inserter(*out), "{}{:02}:{:02}:{:02}", days > 0 ? "" : sign,
                 ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60);
  if (ms % 1000 != 0) fmt::format_to(std::back_inserter(*out), ".{:03}", ms % 1000);
}

bool LooksNumeric(std::string_view s) {
  static const std::regex kNumber(R"re([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)re");
  return std::regex_match(s.begin(), s.end(), kNumber);
}

Result<std::string> BoolLiteral(std::string_view s) {
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "t" || lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
    return std::string("TRUE");
  }
  if (lower == "f" || lower == "false" || lower == "0" || lower == "no" || lower == "off") {
    return std::string("FALSE");
  }
  return Invalid("invalid input syntax for type boolean: \"{}\"", s);
}

// "2024-01-31T12:00:00.5+01:00" -> "2024-01-31 12:00:00.5"; other text as is.
std::string NormalizeTimestamp(const std::string& v) {
  static const std::regex kIso(
      R"re((\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)\s*(Z|[+-]\d{2}(:?\d{2})?)?)re");
  std::smatch m;
  if (!std::regex_match(v, m, kIso)) return v;
  return m[1].str() + " " + m[2].str();
}

bool LooksTimestamp(const std::string& v) {
  static const std::regex kIso(
      R"re(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?)re");
  return std::regex_match(v, kIso);
}

// The first reading of an untyped (unknown) text parameter.
std::string UntypedGuess(const std::string& v) {
  if (LooksNumeric(v)) return v;
  std::string lower;
  for (char c : v) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "true" || lower == "false") return lower == "true" ? "TRUE" : "FALSE";
  if (LooksTimestamp(v)) return QuoteLiteral(NormalizeTimestamp(v));
  return QuoteLiteral(v);
}

Result<std::string> TextParameter(int32_t oid, const std::string& v) {
  switch (oid) {
    case kBoolOid:
      return BoolLiteral(v);
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
    case kOidOid:
      if (!LooksNumeric(v)) return Invalid("invalid input syntax for a number: \"{}\"", v);
      return v;
    case kDateOid:
      return "DATE " + QuoteLiteral(v);
    case kTimestampOid:
    case kTimestamptzOid:
      return "TIMESTAMP " + QuoteLiteral(NormalizeTimestamp(v));
    case 0:
      return UntypedGuess(v);
    default:
      return QuoteLiteral(v);
  }
}

template <typename T>
Result<T> BigEndian(const std::string& v, std::string_view what) {
  if (v.size() != sizeof(T)) return Invalid("binary {} parameter has {} bytes", what, v.size());
  std::make_unsigned_t<T> u = 0;
  for (char c : v) u = static_cast<std::make_unsigned_t<T>>((u << 8) | static_cast<uint8_t>(c));
  return static_cast<T>(u);
}

Result<std::string> BinaryParameter(int32_t oid, const std::string& v) {
  switch (oid) {
    case kBoolOid:
      if (v.size() != 1) return Invalid("binary boolean parameter has {} bytes", v.size());
      return std::string(v[0] != 0 ? "TRUE" : "FALSE");
    case kInt2Oid: {
      ASSIGN_OR_RETURN(int16_t x, BigEndian<int16_t>(v, "int2"));
      return std::to_string(x);
    }
    case kInt4Oid: {
      ASSIGN_OR_RETURN(int32_t x, BigEndian<int32_t>(v, "int4"));
      return std::to_string(x);
    }
    case kInt8Oid: {
      ASSIGN_OR_RETURN(int64_t x, BigEndian<int64_t>(v, "int8"));
      return std::to_string(x);
    }
    case kFloat4Oid: {
      ASSIGN_OR_RETURN(int32_t x, BigEndian<int32_t>(v, "float4"));
      std::string out;
      AppendDouble(std::bit_cast<float>(x), &out);
      return LooksNumeric(out) ? out : QuoteLiteral(out);
    }
    case kFloat8Oid: {
      ASSIGN_OR_RETURN(int64_t x, BigEndian<int64_t>(v, "float8"));
      std::string out;
      AppendDouble(std::bit_cast<double>(x), &out);
      return LooksNumeric(out) ? out : QuoteLiteral(out);
    }
    case kDateOid: {
      ASSIGN_OR_RETURN(int32_t days, BigEndian<int32_t>(v, "date"));
      return "DATE " + QuoteLiteral(columnar::FormatDate(days + kPgEpochDays));
    }
    case kTimestampOid:
    case kTimestamptzOid: {
      ASSIGN_OR_RETURN(int64_t micros, BigEndian<int64_t>(v, "timestamp"));
      return "TIMESTAMP " + QuoteLiteral(columnar::FormatTimestamp(micros / 1000 + kPgEpochMillis));
    }
    case kTextOid:
    case kVarcharOid:
    case 0:
      return QuoteLiteral(v);
    default:
      return Unimplemented("binary parameters of type OID {} are not supported", oid);
  }
}

}  // namespace

PgType PgTypeFor(const columnar::DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return {kBoolOid, 1, -1, "boolean"};
    case TypeId::kInt32: return {kInt4Oid, 4, -1, "integer"};
    case TypeId::kInt64: return {kInt8Oid, 8, -1, "bigint"};
    case TypeId::kDouble: return {kFloat8Oid, 8, -1, "double precision"};
    case TypeId::kDecimal:
      return {kNumericOid, -1, ((type.precision() << 16) | type.scale()) + 4,
              fmt::format("numeric({},{})", type.precision(), type.scale())};
    case TypeId::kDate: return {kDateOid, 4, -1, "date"};
    case TypeId::kTimestamp: return {kTimestampOid, 8, 3, "timestamp(3) without time zone"};
    case TypeId::kTimestampLtz: return {kTimestamptzOid, 8, 3, "timestamp(3) with time zone"};
    case TypeId::kInterval: return {kIntervalOid, 16, -1, "interval"};
    case TypeId::kString:
    case TypeId::kRow:
    case TypeId::kNull: break;
  }
  return {kTextOid, -1, -1, "text"};
}

bool BinarySupported(const columnar::DataType& type) { return type.id() != TypeId::kDecimal; }

void AppendText(const columnar::Column& col, size_t row, std::string* out) {
  switch (col.type().id()) {
    case TypeId::kBoolean:
      out->push_back(col.values<uint8_t>()[row] != 0 ? 't' : 'f');
      return;
    case TypeId::kInt32:
      fmt::format_to(std::back_inserter(*out), "{}", col.values<int32_t>()[row]);
      return;
    case TypeId::kInt64:
      fmt::format_to(std::back_inserter(*out), "{}", col.values<int64_t>()[row]);
      return;
    case TypeId::kDouble:
      AppendDouble(col.values<double>()[row], out);
      return;
    case TypeId::kDecimal:
      out->append(columnar::FormatDecimal(col.values<columnar::Int128>()[row], col.type().scale()));
      return;
    case TypeId::kString:
      out->append(col.GetString(row));
      return;
    case TypeId::kDate:
      out->append(columnar::FormatDate(col.values<int32_t>()[row]));
      return;
    case TypeId::kTimestamp:
      out->append(columnar::FormatTimestamp(col.values<int64_t>()[row]));
      return;
    case TypeId::kTimestampLtz:
      out->append(columnar::FormatTimestamp(col.values<int64_t>()[row]));
      out->append("+00");
      return;
    case TypeId::kInterval:
      AppendInterval(col.values<int64_t>()[row], out);
      return;
    case TypeId::kRow:
    case TypeId::kNull:
      out->append(col.Get(row).ToString());
      return;
  }
}

void AppendBinary(const columnar::Column& col, size_t row, std::string* out) {
  switch (col.type().id()) {
    case TypeId::kBoolean:
      out->push_back(col.values<uint8_t>()[row] != 0 ? 1 : 0);
      return;
    case TypeId::kInt32:
      AppendInt32(out, col.values<int32_t>()[row]);
      return;
    case TypeId::kInt64:
      AppendInt64(out, col.values<int64_t>()[row]);
      return;
    case TypeId::kDouble:
      AppendInt64(out, std::bit_cast<int64_t>(col.values<double>()[row]));
      return;
    case TypeId::kDate:
      AppendInt32(out, col.values<int32_t>()[row] - kPgEpochDays);
      return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      AppendInt64(out, (col.values<int64_t>()[row] - kPgEpochMillis) * 1000);
      return;
    case TypeId::kInterval:
      AppendInt64(out, col.values<int64_t>()[row] * 1000);
      AppendInt32(out, 0);  // days
      AppendInt32(out, 0);  // months
      return;
    case TypeId::kString:
    case TypeId::kRow:
    case TypeId::kNull:
    case TypeId::kDecimal:  // REQUIRES excludes it; text is the safe fallback
      AppendText(col, row, out);
      return;
  }
}

Result<std::string> ParameterLiteral(int32_t type_oid, int16_t format,
                                     const std::optional<std::string>& value) {
  if (!value) return std::string("NULL");
  if (format == 1) return BinaryParameter(type_oid, *value);
  return TextParameter(type_oid, *value);
}

std::optional<std::string> UntypedFallback(int32_t type_oid, int16_t format,
                                           const std::optional<std::string>& value) {
  if (type_oid != 0 || format != 0 || !value) return std::nullopt;
  std::string plain = QuoteLiteral(*value);
  if (UntypedGuess(*value) == plain) return std::nullopt;
  return plain;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace kappa::serve::pgwire
