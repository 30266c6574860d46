#include "table/iceberg/bounds.h"

#include "base/bytes.h"

namespace kappa::table::iceberg {
namespace {

using columnar::DataType;
using columnar::Int128;
using columnar::TypeId;
using columnar::Value;

constexpr int64_t kMillisPerDay = 86400 * 1000;

template <typename T>
std::string LittleEndian(T v) {
  std::string out;
  AppendLE(&out, v);
  return out;
}

template <typename T>
Result<T> ReadLittleEndian(std::string_view bytes, const DataType& type) {
  if (bytes.size() != sizeof(T)) {
    return Corruption("iceberg bound: {} bytes for a {}", bytes.size(), type.ToString());
  }
  return LoadLE<T>(reinterpret_cast<const uint8_t*>(bytes.data()));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsTimestamp(TypeId id) { return id == TypeId::kTimestamp || id == TypeId::kTimestampLtz; }

Result<Value> IntegerAs(const DataType& type, int64_t v) {
  switch (type.id()) {
    case TypeId::kInt32:
      if (v < INT32_MIN || v > INT32_MAX) return Invalid("{} does not fit INT", v);
      return Value::Int32(static_cast<int32_t>(v));
    case TypeId::kInt64: return Value::Int64(v);
    case TypeId::kDouble: return Value::Double(static_cast<double>(v));
    case TypeId::kDecimal:
      return Value::Decimal(Int128(v) * columnar::Pow10(type.scale()), type.precision(), type.scale());
    default: return Invalid("an integer is not a {}", type.ToString());
  }
}

}  // namespace

std::string DecimalToBytes(Int128 v) {
  std::string be(16, '\0');
  for (int i = 15; i >= 0; --i) {
    be[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint8_t>(v & 0xff));
    v >>= 8;  // arithmetic: keeps the sign
  }
  size_t start = 0;
  while (start < 15) {
    auto b = static_cast<uint8_t>(be[start]);
    auto next = static_cast<uint8_t>(be[start + 1]);
    bool redundant = (b == 0x00 && !(next & 0x80)) || (b == 0xff && (next & 0x80));
    if (!redundant) break;
    ++start;
  }
  return be.substr(start);
}

Int128 DecimalFromBytes(std::string_view bytes) {
  Int128 v = (!bytes.empty() && (static_cast<uint8_t>(bytes[0]) & 0x80)) ? -1 : 0;
  for (char c : bytes) v = static_cast<Int128>((static_cast<unsigned __int128>(v) << 8) | static_cast<uint8_t>(c));
  return v;
}

Result<std::string> SerializeValue(const Value& value) {
  if (value.is_null()) return Invalid("iceberg bound: NULL has no serialisation");
  switch (value.type().id()) {
    case TypeId::kBoolean: return std::string(1, value.boolean() ? '\x01' : '\x00');
    case TypeId::kInt32:
    case TypeId::kDate: return LittleEndian(value.int32());
    case TypeId::kInt64: return LittleEndian(value.int64());
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return LittleEndian(value.int64() * 1000);
    case TypeId::kDouble: return LittleEndian(value.float64());
    case TypeId::kString: return value.string();
    case TypeId::kDecimal: return DecimalToBytes(value.decimal());
    default: return Invalid("iceberg bound: no serialisation for {}", value.type().ToString());
  }
}

Result<Value> DeserializeValue(const DataType& type, std::string_view bytes) {
  switch (type.id()) {
    case TypeId::kBoolean: {
      if (bytes.size() != 1) return Corruption("iceberg bound: {} bytes for a BOOLEAN", bytes.size());
      return Value::Boolean(bytes[0] != 0);
    }
    case TypeId::kInt32: {
      ASSIGN_OR_RETURN(int32_t v, ReadLittleEndian<int32_t>(bytes, type));
      return Value::Int32(v);
    }
    case TypeId::kDate: {
      ASSIGN_OR_RETURN(int32_t v, ReadLittleEndian<int32_t>(bytes, type));
      return Value::Date(v);
    }
    case TypeId::kInt64: {
      ASSIGN_OR_RETURN(int64_t v, ReadLittleEndian<int64_t>(bytes, type));
      return Value::Int64(v);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      ASSIGN_OR_RETURN(int64_t micros, ReadLittleEndian<int64_t>(bytes, type));
      return Value(type, FloorDiv(micros, 1000));
    }
    case TypeId::kDouble: {
      ASSIGN_OR_RETURN(double v, ReadLittleEndian<double>(bytes, type));
      return Value::Double(v);
    }
    case TypeId::kString: return Value::String(std::string(bytes));
    case TypeId::kDecimal: {
      if (bytes.empty() || bytes.size() > 16) return Corruption("iceberg bound: {} bytes for a DECIMAL", bytes.size());
      return Value::Decimal(DecimalFromBytes(bytes), type.precision(), type.scale());
    }
    default: return Invalid("iceberg bound: no serialisation for {}", type.ToString());
  }
}

Result<Value> CoerceValue(const DataType& type, const Value& value) {
  const DataType& from = value.type();
  if (from == type) return value;
  if (value.is_null()) return Value::Null(type);
  if (from.IsIntegral()) {
    int64_t v = from.id() == TypeId::kInt32 ? value.int32() : value.int64();
    return IntegerAs(type, v);
  }
  if (from.id() == TypeId::kDecimal && type.id() == TypeId::kDecimal && type.scale() >= from.scale()) {
    return Value::Decimal(value.decimal() * columnar::Pow10(type.scale() - from.scale()), type.precision(),
                          type.scale());
  }
  if (from.id() == TypeId::kDate && IsTimestamp(type.id())) {
    return Value(type, int64_t{value.int32()} * kMillisPerDay);
  }
  if (IsTimestamp(from.id()) && IsTimestamp(type.id())) return Value(type, value.int64());
  return Invalid("cannot compare a {} with a {} column", from.ToString(), type.ToString());
}

}  // namespace kappa::table::iceberg
