// How Kappa's columnar types map onto Parquet's schema, both ways.
//
// Writing (ToParquetSchema): every Field becomes one SchemaElement carrying
// its Iceberg field id; a ROW becomes a group whose children follow it; the
// other types become leaves:
//
//   BOOLEAN        BOOLEAN
//   INT            INT32
//   BIGINT         INT64
//   DOUBLE         DOUBLE
//   DECIMAL(p,s)   INT32 (p <= 9) | INT64 (p <= 18) | FIXED_LEN_BYTE_ARRAY
//                  (the fewest bytes holding p digits); DECIMAL(p,s)
//   STRING         BYTE_ARRAY; STRING / UTF8
//   DATE           INT32; DATE
//   TIMESTAMP      INT64; TIMESTAMP(isAdjustedToUTC=false, MICROS) /
//                  TIMESTAMP_MICROS
//   TIMESTAMP_LTZ  INT64; TIMESTAMP(isAdjustedToUTC=true, MICROS) /
//                  TIMESTAMP_MICROS
//
// A nullable field is OPTIONAL, a NOT NULL one REQUIRED. INTERVAL and NULL
// columns are refused.
//
// Reading (FromParquetSchema): the reverse, plus what other writers produce:
// INT96 and MILLIS/NANOS timestamps, FLOAT (read as DOUBLE), unsigned and
// small integers, BYTE_ARRAY decimals, ENUM/JSON/plain binary as STRING. A
// column Kappa cannot represent (LIST, MAP, repeated fields, TIME, ...) is
// left out of the schema and named in `skipped`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/types.h"
#include "table/parquet/metadata.h"

namespace kappa::table::parquet {

// How a leaf's physical values become a Kappa column's values.
enum class Conversion : uint8_t {
  kNone,             // same representation (BOOLEAN, INT32, INT64, DOUBLE)
  kFloatToDouble,
  kUint32ToInt64,
  kDateDays,         // INT32 days
  kTimestampMillis,  // INT64 in the unit below -> millis
  kTimestampMicros,
  kTimestampNanos,
  kInt96Timestamp,
  kDecimalInt32,
  kDecimalInt64,
  kDecimalBytes,     // big-endian two's complement, BYTE_ARRAY or FIXED
  kString,           // BYTE_ARRAY or FIXED as bytes
};

// One leaf (primitive) column: a column chunk in every row group.
struct LeafColumn {
  std::vector<std::string> path;   // from the top-level field down
  int32_t field_id = -1;           // -1 when the file has none
  columnar::DataType type;         // the Kappa type of the leaf's values
  PhysicalType physical = PhysicalType::kBoolean;
  int32_t type_length = 0;         // FIXED_LEN_BYTE_ARRAY only
  Conversion conversion = Conversion::kNone;
  int max_def = 0;                 // definition level of a present value
  size_t chunk_index = 0;          // its ColumnChunk in each RowGroup
};

// A top-level column as the reader exposes it.
struct TopColumn {
  columnar::Field field;
  int32_t field_id = -1;
  size_t first_leaf = 0;  // its leaves are leaves[first_leaf, +num_leaves)
  size_t num_leaves = 0;
  int def_level = 0;      // definition level at which this column is non-null
};

struct WriteSchema {
  std::vector<SchemaElement> elements;  // root first
  std::vector<LeafColumn> leaves;
};

struct ReadSchema {
  columnar::Schema schema;            // the columns Kappa can read
  std::vector<TopColumn> columns;     // parallel to schema
  std::vector<LeafColumn> leaves;     // the readable leaves, in file order
  std::vector<std::string> skipped;   // "name: reason" for the others
  size_t num_chunks = 0;              // leaves in the file, readable or not
};

// `field_ids` lists the Iceberg field id of every field in depth-first
// pre-order (a ROW's own id, then its children's); for a flat schema, one
// per column.
Result<WriteSchema> ToParquetSchema(const columnar::Schema& schema, std::span<const int32_t> field_ids);

Result<ReadSchema> FromParquetSchema(const std::vector<SchemaElement>& elements);

// Bytes of the FIXED_LEN_BYTE_ARRAY holding a decimal of `precision` digits.
int DecimalBytes(int precision);

}  // namespace kappa::table::parquet
