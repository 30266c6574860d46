// Column statistics as Kappa sees them (ColumnStats, one per leaf column),
// and the conversion between Parquet's binary min/max encoding and Kappa
// Values:
//
//   BOOLEAN 1 byte; INT32/DATE/DECIMAL(<=9) 4 bytes LE; INT64/TIMESTAMP
//   (micros)/DECIMAL(<=18) 8 bytes LE; DOUBLE 8 bytes LE (FLOAT 4); STRING
//   the bytes; FIXED/BYTE_ARRAY DECIMAL big-endian two's complement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/value.h"
#include "table/parquet/schema.h"

namespace kappa::table::parquet {

struct ColumnStats {
  std::vector<std::string> path;  // top-level name, then nested names
  int32_t field_id = -1;
  int64_t value_count = 0;        // rows, NULLs included
  std::optional<int64_t> null_count;  // absent when a file did not say
  int64_t nan_count = 0;          // DOUBLE only (writer)
  // Bounds of the non-NULL, non-NaN values; absent when there are none or
  // the file has no usable statistics.
  std::optional<columnar::Value> min;
  std::optional<columnar::Value> max;
  int64_t compressed_size = 0;    // bytes of the column chunks, headers included
  int64_t uncompressed_size = 0;
};

// The Value a Parquet statistics binary encodes for `leaf`, or nullopt when
// it does not decode (wrong length, unknown type).
std::optional<columnar::Value> DecodeStatValue(const LeafColumn& leaf, std::string_view bytes);

// Big-endian two's complement <-> Int128 (1..16 bytes; longer inputs must
// be sign extension, else nullopt).
std::optional<columnar::Int128> DecodeBigEndianDecimal(std::string_view bytes);
void AppendBigEndianDecimal(columnar::Int128 v, int bytes, std::string* out);

// Merges b into a (min of mins, max of maxes, counts added).
void MergeStats(ColumnStats* a, const ColumnStats& b);

}  // namespace kappa::table::parquet
