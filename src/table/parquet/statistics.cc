#include "table/parquet/statistics.h"

#include <cstring>

#include "base/bytes.h"
#include "table/parquet/convert.h"

namespace kappa::table::parquet {

using columnar::Int128;
using columnar::Value;

std::optional<Int128> DecodeBigEndianDecimal(std::string_view bytes) {
  if (bytes.empty()) return Int128{0};
  size_t extra = bytes.size() > 16 ? bytes.size() - 16 : 0;
  uint8_t sign = static_cast<uint8_t>(bytes[extra]) & 0x80 ? 0xFF : 0x00;
  for (size_t i = 0; i < extra; ++i) {
    if (static_cast<uint8_t>(bytes[i]) != sign) return std::nullopt;
  }
  unsigned __int128 u = sign ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = extra; i < bytes.size(); ++i) u = (u << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<Int128>(u);
}

void AppendBigEndianDecimal(Int128 v, int bytes, std::string* out) {
  auto u = static_cast<unsigned __int128>(v);
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
}

std::optional<Value> DecodeStatValue(const LeafColumn& leaf, std::string_view b) {
  const auto* p = reinterpret_cast<const uint8_t*>(b.data());
  switch (leaf.physical) {
    case PhysicalType::kBoolean:
      if (b.size() != 1) return std::nullopt;
      return Value::Boolean(p[0] != 0);
    case PhysicalType::kInt32:
      if (b.size() != 4) return std::nullopt;
      return ConvertInt32(leaf, LoadLE<int32_t>(p));
    case PhysicalType::kInt64:
      if (b.size() != 8) return std::nullopt;
      return ConvertInt64(leaf, LoadLE<int64_t>(p));
    case PhysicalType::kFloat:
      if (b.size() != 4) return std::nullopt;
      return Value::Double(LoadLE<float>(p));
    case PhysicalType::kDouble:
      if (b.size() != 8) return std::nullopt;
      return Value::Double(LoadLE<double>(p));
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: {
      if (leaf.conversion == Conversion::kString) return Value::String(std::string(b));
      if (leaf.conversion != Conversion::kDecimalBytes) return std::nullopt;
      auto v = DecodeBigEndianDecimal(b);
      if (!v) return std::nullopt;
      return Value(leaf.type, *v);
    }
    default: return std::nullopt;
  }
}

void MergeStats(ColumnStats* a, const ColumnStats& b) {
  a->value_count += b.value_count;
  if (a->null_count && b.null_count) {
    *a->null_count += *b.null_count;
  } else {
    a->null_count.reset();
  }
  a->nan_count += b.nan_count;
  if (b.min && (!a->min || *b.min < *a->min)) a->min = b.min;
  if (b.max && (!a->max || *a->max < *b.max)) a->max = b.max;
  a->compressed_size += b.compressed_size;
  a->uncompressed_size += b.uncompressed_size;
}

}  // namespace kappa::table::parquet
