#include "engine/state/key_codec.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "base/bytes.h"

namespace kappa::engine {

using columnar::Column;
using columnar::DataType;
using columnar::Int128;
using columnar::TypeId;
using columnar::Value;

namespace {

double Canonical(double v) {
  if (v == 0) return 0.0;  // -0.0 and 0.0 are one key
  if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

template <typename T>
bool Take(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

Status Truncated() { return Corruption("state key is truncated"); }

}  // namespace

void EncodeCell(const Column& column, uint32_t row, std::string* out) {
  if (column.IsNull(row)) {
    out->push_back(1);
    return;
  }
  out->push_back(0);
  switch (column.type().id()) {
    case TypeId::kNull: return;
    case TypeId::kBoolean: out->push_back(static_cast<char>(column.values<uint8_t>()[row])); return;
    case TypeId::kInt32:
    case TypeId::kDate: AppendLE(out, column.values<int32_t>()[row]); return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: AppendLE(out, column.values<int64_t>()[row]); return;
    case TypeId::kDouble: AppendLE(out, Canonical(column.values<double>()[row])); return;
    case TypeId::kDecimal: AppendLE(out, column.values<Int128>()[row]); return;
    case TypeId::kString: {
      std::string_view s = column.GetString(row);
      AppendLE(out, static_cast<uint32_t>(s.size()));
      out->append(s);
      return;
    }
    case TypeId::kRow:
      for (const columnar::ColumnPtr& child : column.children()) EncodeCell(*child, row, out);
      return;
  }
}

void EncodeValue(const Value& value, std::string* out) {
  if (value.is_null()) {
    out->push_back(1);
    return;
  }
  out->push_back(0);
  switch (value.type().id()) {
    case TypeId::kNull: return;
    case TypeId::kBoolean: out->push_back(value.boolean() ? 1 : 0); return;
    case TypeId::kInt32:
    case TypeId::kDate: AppendLE(out, value.int32()); return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: AppendLE(out, value.int64()); return;
    case TypeId::kDouble: AppendLE(out, Canonical(value.float64())); return;
    case TypeId::kDecimal: AppendLE(out, value.decimal()); return;
    case TypeId::kString:
      AppendLE(out, static_cast<uint32_t>(value.string().size()));
      out->append(value.string());
      return;
    case TypeId::kRow:
      for (const Value& field : value.row()) EncodeValue(field, out);
      return;
  }
}

Result<Value> DecodeValue(std::string_view* in, const DataType& type) {
  uint8_t is_null = 0;
  if (!Take(in, &is_null)) return Truncated();
  if (is_null) return Value::Null(type);
  switch (type.id()) {
    case TypeId::kNull: return Value::Null(type);
    case TypeId::kBoolean: {
      uint8_t v;
      if (!Take(in, &v)) return Truncated();
      return Value(type, v != 0);
    }
    case TypeId::kInt32:
    case TypeId::kDate: {
      int32_t v;
      if (!Take(in, &v)) return Truncated();
      return Value(type, v);
    }
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: {
      int64_t v;
      if (!Take(in, &v)) return Truncated();
      return Value(type, v);
    }
    case TypeId::kDouble: {
      double v;
      if (!Take(in, &v)) return Truncated();
      return Value(type, v);
    }
    case TypeId::kDecimal: {
      Int128 v;
      if (!Take(in, &v)) return Truncated();
      return Value(type, v);
    }
    case TypeId::kString: {
      uint32_t n;
      if (!Take(in, &n) || in->size() < n) return Truncated();
      std::string s(in->substr(0, n));
      in->remove_prefix(n);
      return Value(type, std::move(s));
    }
    case TypeId::kRow: {
      std::vector<Value> fields;
      for (const columnar::Field& f : type.fields()) {
        ASSIGN_OR_RETURN(Value v, DecodeValue(in, f.type));
        fields.push_back(std::move(v));
      }
      return Value(type, std::move(fields));
    }
  }
  return Truncated();
}

template <typename T>
static Status AppendFixed(std::string_view* in, Column* out) {
  T v;
  if (!Take(in, &v)) return Truncated();
  out->Append<T>(v);
  return OkStatus();
}

Status DecodeCell(std::string_view* in, Column* out) {
  if (out->type().id() == TypeId::kRow) {
    ASSIGN_OR_RETURN(Value v, DecodeValue(in, out->type()));
    out->AppendValue(v);
    return OkStatus();
  }
  uint8_t is_null = 0;
  if (!Take(in, &is_null)) return Truncated();
  if (is_null) {
    out->AppendNull();
    return OkStatus();
  }
  switch (out->type().id()) {
    case TypeId::kNull: out->AppendNull(); return OkStatus();
    case TypeId::kBoolean: return AppendFixed<uint8_t>(in, out);
    case TypeId::kInt32:
    case TypeId::kDate: return AppendFixed<int32_t>(in, out);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return AppendFixed<int64_t>(in, out);
    case TypeId::kDouble: return AppendFixed<double>(in, out);
    case TypeId::kDecimal: return AppendFixed<Int128>(in, out);
    case TypeId::kString: {
      uint32_t n;
      if (!Take(in, &n) || in->size() < n) return Truncated();
      out->AppendString(in->substr(0, n));
      in->remove_prefix(n);
      return OkStatus();
    }
    case TypeId::kRow: break;
  }
  return Truncated();
}

uint64_t StableHash(std::string_view bytes) {
  // FNV-1a over 8-byte words, then a murmur3 finalizer: fixed, portable, fast
  // enough for one hash per row.
  uint64_t h = 0xcbf29ce484222325ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<uint8_t>(bytes[i])) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

void KeyEncoder::Encode(const columnar::Batch& batch) {
  buffer_.clear();
  offsets_.assign(1, 0);
  size_t n = batch.active_rows();
  offsets_.reserve(n + 1);
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = batch.row(i);
    for (int c : key_columns_) EncodeCell(*batch.columns[c], r, &buffer_);
    offsets_.push_back(static_cast<uint32_t>(buffer_.size()));
  }
}

std::vector<std::shared_ptr<Column>> KeyDecoder::MakeColumns() const {
  std::vector<std::shared_ptr<Column>> out;
  for (const DataType& t : types_) out.push_back(std::make_shared<Column>(t));
  return out;
}

Status KeyDecoder::AppendKey(std::string_view key,
                             const std::vector<std::shared_ptr<Column>>& columns) const {
  for (size_t i = 0; i < types_.size(); ++i) RETURN_IF_ERROR(DecodeCell(&key, columns[i].get()));
  if (!key.empty()) return Corruption("state key has {} trailing bytes", key.size());
  return OkStatus();
}

}  // namespace kappa::engine
