// Iceberg's single-value binary serialisation, used for lower/upper bounds in
// manifests and partition summaries (COMPAT.md): boolean 1 byte; int and
// date 4 bytes LE; long 8 bytes LE; timestamp/timestamptz 8 bytes LE
// microseconds (columnar values are milliseconds: multiplied by 1000 here,
// divided back, flooring, when read); double 8 bytes LE IEEE; string UTF-8
// bytes; decimal the minimal big-endian two's complement of the unscaled
// value.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "columnar/value.h"

namespace kappa::table::iceberg {

// REQUIRES: !value.is_null(). Invalid for types without a serialisation.
Result<std::string> SerializeValue(const columnar::Value& value);
// DataLoss when the byte count does not fit the type.
Result<columnar::Value> DeserializeValue(const columnar::DataType& type, std::string_view bytes);

// Minimal big-endian two's complement bytes of v (at least one byte).
std::string DecimalToBytes(columnar::Int128 v);
columnar::Int128 DecimalFromBytes(std::string_view bytes);

// `value` converted to `type` when the conversion keeps it exactly (INT <->
// BIGINT, integers to DOUBLE or DECIMAL, DECIMAL rescaled up, DATE ->
// TIMESTAMP, STRING); Invalid otherwise.
Result<columnar::Value> CoerceValue(const columnar::DataType& type, const columnar::Value& value);

}  // namespace kappa::table::iceberg
