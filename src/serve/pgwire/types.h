// Kappa's column types as Postgres sees them (COMPAT.md): the type OID, size
// and modifier of each result column, the Postgres text and binary formats
// of a column cell, and the SQL literal a bound parameter stands for.
//
//   BOOLEAN bool 16        INT int4 23             BIGINT int8 20
//   DOUBLE float8 701      DECIMAL(p,s) numeric 1700 (typmod (p<<16|s)+4)
//   STRING text 25         DATE date 1082          TIMESTAMP(3) timestamp 1114
//   TIMESTAMP_LTZ(3) timestamptz 1184             INTERVAL interval 1186
//   ROW and NULL as text 25
//
// Text formats follow Postgres (DateStyle ISO, TimeZone UTC): booleans t/f,
// timestamps "2024-01-31 12:00:00.000" (timestamptz with "+00"), doubles
// shortest round-trip with NaN/Infinity. Binary formats exist for every
// type but numeric. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "columnar/column.h"
#include "columnar/types.h"

namespace kappa::serve::pgwire {

inline constexpr int32_t kBoolOid = 16;
inline constexpr int32_t kInt8Oid = 20;
inline constexpr int32_t kInt2Oid = 21;
inline constexpr int32_t kInt4Oid = 23;
inline constexpr int32_t kTextOid = 25;
inline constexpr int32_t kOidOid = 26;
inline constexpr int32_t kFloat4Oid = 700;
inline constexpr int32_t kFloat8Oid = 701;
inline constexpr int32_t kVarcharOid = 1043;
inline constexpr int32_t kDateOid = 1082;
inline constexpr int32_t kTimestampOid = 1114;
inline constexpr int32_t kTimestamptzOid = 1184;
inline constexpr int32_t kIntervalOid = 1186;
inline constexpr int32_t kNumericOid = 1700;
inline constexpr int32_t kCharOid = 18;   // "char", pg_class.relkind
inline constexpr int32_t kNameOid = 19;   // name, catalog names

struct PgType {
  int32_t oid = kTextOid;
  int16_t size = -1;
  int32_t modifier = -1;
  // As pg_catalog.format_type prints it: "bigint", "numeric(18,2)",
  // "timestamp(3) without time zone".
  std::string name;
};

PgType PgTypeFor(const columnar::DataType& type);
bool BinarySupported(const columnar::DataType& type);

// Append the text / binary format of row `row` of `col` (REQUIRES: not
// NULL; binary: BinarySupported(col.type())).
void AppendText(const columnar::Column& col, size_t row, std::string* out);
void AppendBinary(const columnar::Column& col, size_t row, std::string* out);

// The SQL literal that replaces $n for a bound parameter: NULL, a number,
// TRUE/FALSE, DATE '...', TIMESTAMP '...', or a quoted string ('' doubled).
// Timestamps in ISO 8601 form ("2024-01-31T12:00:00.000+01:00", as
// node-postgres sends a Date) lose the 'T' and, as Postgres' timestamp
// without time zone does, the zone offset.
// A parameter of unspecified type (OID 0, in text) is Postgres' "unknown":
// its type comes from the context. The first guess reads the value: a number
// is a number, true/false a boolean, an ISO timestamp a normalized string;
// anything else a string. UntypedFallback gives the other reading (the value
// as a plain string) that the session tries when the first does not
// type-check. kInvalidArgument when the value does not read as its declared
// type; kUnimplemented for a binary parameter of a type without a binary
// decoder here.
Result<std::string> ParameterLiteral(int32_t type_oid, int16_t format,
                                     const std::optional<std::string>& value);
std::optional<std::string> UntypedFallback(int32_t type_oid, int16_t format,
                                           const std::optional<std::string>& value);

// 'text' with quotes doubled.
std::string QuoteLiteral(std::string_view text);

}  // namespace kappa::serve::pgwire
