#include "table/parquet/convert.h"

namespace kappa::table::parquet {

using columnar::Int128;
using columnar::Value;

Value ConvertInt32(const LeafColumn& leaf, int32_t v) {
  switch (leaf.conversion) {
    case Conversion::kUint32ToInt64: return Value(leaf.type, static_cast<int64_t>(static_cast<uint32_t>(v)));
    case Conversion::kDecimalInt32: return Value(leaf.type, static_cast<Int128>(v));
    default: return Value(leaf.type, v);
  }
}

Value ConvertInt64(const LeafColumn& leaf, int64_t v) {
  switch (leaf.conversion) {
    case Conversion::kDecimalInt64: return Value(leaf.type, static_cast<Int128>(v));
    case Conversion::kTimestampMillis:
    case Conversion::kTimestampMicros:
    case Conversion::kTimestampNanos: return Value(leaf.type, TimestampToMillis(leaf.conversion, v));
    default: return Value(leaf.type, v);
  }
}

}  // namespace kappa::table::parquet
