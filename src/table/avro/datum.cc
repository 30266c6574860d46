#include "table/avro/datum.h"

#include <cstring>
#include <limits>

#include "base/bytes.h"
#include "base/varint.h"

namespace kappa::table::avro {
namespace {

constexpr int kMaxDepth = 64;
// Elements that may encode to zero bytes cannot be bounded by the input
// size; this caps how many one block may claim.
constexpr int64_t kMaxEmptyElements = 1 << 20;

using Kind = Datum::Kind;

Status Mismatch(const Node& schema, const Datum& datum) {
  return Invalid("avro: a datum of kind {} does not fit type {}", static_cast<int>(datum.kind),
                 TypeName(schema.type));
}

void EncodeBytes(std::string_view v, std::string* out) {
  AppendVarint(out, static_cast<int64_t>(v.size()));
  out->append(v);
}

bool BranchFits(const Node& branch, const Datum& d) {
  switch (branch.type) {
    case Type::kNull: return d.kind == Kind::kNull;
    case Type::kBoolean: return d.kind == Kind::kBoolean;
    case Type::kInt: return d.kind == Kind::kLong && d.l >= INT32_MIN && d.l <= INT32_MAX;
    case Type::kLong: return d.kind == Kind::kLong;
    case Type::kFloat:
    case Type::kDouble: return d.kind == Kind::kDouble;
    case Type::kBytes:
    case Type::kString: return d.kind == Kind::kBytes;
    case Type::kFixed: return d.kind == Kind::kBytes && d.s.size() == branch.fixed_size;
    case Type::kRecord: return d.kind == Kind::kRecord && d.items.size() == branch.fields.size();
    case Type::kArray: return d.kind == Kind::kArray;
    case Type::kMap: return d.kind == Kind::kMap;
    case Type::kUnion: return false;
  }
  return false;
}

Status EncodeUnion(const Node& schema, const Datum& d, std::string* out) {
  for (size_t i = 0; i < schema.branches.size(); ++i) {
    if (!BranchFits(*schema.branches[i], d)) continue;
    AppendVarint(out, static_cast<int64_t>(i));
    return Encode(*schema.branches[i], d, out);
  }
  return Mismatch(schema, d);
}

Status EncodeRecord(const Node& schema, const Datum& d, std::string* out) {
  if (d.items.size() != schema.fields.size()) {
    return Invalid("avro: record {} has {} fields, datum has {}", schema.name, schema.fields.size(),
                   d.items.size());
  }
  for (size_t i = 0; i < d.items.size(); ++i) {
    Status st = Encode(*schema.fields[i].type, d.items[i], out);
    if (!st.ok()) return st.WithContext(schema.fields[i].name);
  }
  return OkStatus();
}

Status EncodeArray(const Node& schema, const Datum& d, std::string* out) {
  if (!d.items.empty()) {
    AppendVarint(out, static_cast<int64_t>(d.items.size()));
    for (const Datum& item : d.items) RETURN_IF_ERROR(Encode(*schema.items, item, out));
  }
  out->push_back(0);
  return OkStatus();
}

Status EncodeMap(const Node& schema, const Datum& d, std::string* out) {
  if (!d.entries.empty()) {
    AppendVarint(out, static_cast<int64_t>(d.entries.size()));
    for (const auto& [key, value] : d.entries) {
      EncodeBytes(key, out);
      RETURN_IF_ERROR(Encode(*schema.values, value, out));
    }
  }
  out->push_back(0);
  return OkStatus();
}

}  // namespace

Datum Datum::Boolean(bool v) {
  Datum d;
  d.kind = Kind::kBoolean;
  d.b = v;
  return d;
}

Datum Datum::Long(int64_t v) {
  Datum d;
  d.kind = Kind::kLong;
  d.l = v;
  return d;
}

Datum Datum::Double(double v) {
  Datum d;
  d.kind = Kind::kDouble;
  d.d = v;
  return d;
}

Datum Datum::Bytes(std::string v) {
  Datum d;
  d.kind = Kind::kBytes;
  d.s = std::move(v);
  return d;
}

Datum Datum::Record(std::vector<Datum> fields) {
  Datum d;
  d.kind = Kind::kRecord;
  d.items = std::move(fields);
  return d;
}

Datum Datum::Array(std::vector<Datum> elements) {
  Datum d;
  d.kind = Kind::kArray;
  d.items = std::move(elements);
  return d;
}

Datum Datum::Map(std::vector<std::pair<std::string, Datum>> entries) {
  Datum d;
  d.kind = Kind::kMap;
  d.entries = std::move(entries);
  return d;
}

Status Encode(const Node& schema, const Datum& d, std::string* out) {
  if (schema.type == Type::kUnion) return EncodeUnion(schema, d, out);
  if (!BranchFits(schema, d)) return Mismatch(schema, d);
  switch (schema.type) {
    case Type::kNull: return OkStatus();
    case Type::kBoolean: out->push_back(d.b ? 1 : 0); return OkStatus();
    case Type::kInt:
    case Type::kLong: AppendVarint(out, d.l); return OkStatus();
    case Type::kFloat: AppendLE(out, static_cast<float>(d.d)); return OkStatus();
    case Type::kDouble: AppendLE(out, d.d); return OkStatus();
    case Type::kBytes:
    case Type::kString: EncodeBytes(d.s, out); return OkStatus();
    case Type::kFixed: out->append(d.s); return OkStatus();
    case Type::kRecord: return EncodeRecord(schema, d, out);
    case Type::kArray: return EncodeArray(schema, d, out);
    case Type::kMap: return EncodeMap(schema, d, out);
    case Type::kUnion: break;
  }
  return Mismatch(schema, d);
}

Result<Datum> Decoder::Decode(const Node& schema) { return DecodeAt(schema, 0); }

Result<int64_t> Decoder::ReadLong() {
  const auto* p = reinterpret_cast<const uint8_t*>(data_.data()) + pos_;
  const auto* end = reinterpret_cast<const uint8_t*>(data_.data()) + data_.size();
  const auto* start = p;
  int64_t v;
  if (!ReadVarint(&p, end, &v)) return Corruption("avro: truncated or overlong varint at byte {}", pos_);
  pos_ += static_cast<size_t>(p - start);
  return v;
}

Result<std::string_view> Decoder::ReadFixed(size_t n) {
  if (n > remaining()) return Corruption("avro: {} bytes needed at byte {}, {} left", n, pos_, remaining());
  std::string_view v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

Result<std::string_view> Decoder::ReadBytes() {
  ASSIGN_OR_RETURN(int64_t n, ReadLong());
  if (n < 0) return Corruption("avro: negative length {} at byte {}", n, pos_);
  return ReadFixed(static_cast<size_t>(n));
}

Result<Datum> Decoder::DecodeAt(const Node& schema, int depth) {
  if (depth > kMaxDepth) return Corruption("avro: datum nested deeper than {}", kMaxDepth);
  switch (schema.type) {
    case Type::kNull: return Datum::Null();
    case Type::kBoolean: {
      ASSIGN_OR_RETURN(std::string_view b, ReadFixed(1));
      if (b[0] != 0 && b[0] != 1) return Corruption("avro: boolean byte {} at {}", int(b[0]), pos_ - 1);
      return Datum::Boolean(b[0] == 1);
    }
    case Type::kInt: {
      ASSIGN_OR_RETURN(int64_t v, ReadLong());
      if (v < INT32_MIN || v > INT32_MAX) return Corruption("avro: int {} out of range", v);
      return Datum::Long(v);
    }
    case Type::kLong: {
      ASSIGN_OR_RETURN(int64_t v, ReadLong());
      return Datum::Long(v);
    }
    case Type::kFloat: {
      ASSIGN_OR_RETURN(std::string_view b, ReadFixed(4));
      return Datum::Double(LoadLE<float>(reinterpret_cast<const uint8_t*>(b.data())));
    }
    case Type::kDouble: {
      ASSIGN_OR_RETURN(std::string_view b, ReadFixed(8));
      return Datum::Double(LoadLE<double>(reinterpret_cast<const uint8_t*>(b.data())));
    }
    case Type::kBytes:
    case Type::kString: {
      ASSIGN_OR_RETURN(std::string_view b, ReadBytes());
      return Datum::Bytes(std::string(b));
    }
    case Type::kFixed: {
      ASSIGN_OR_RETURN(std::string_view b, ReadFixed(schema.fixed_size));
      return Datum::Bytes(std::string(b));
    }
    case Type::kRecord: return DecodeRecord(schema, depth);
    case Type::kArray: return DecodeArray(schema, depth);
    case Type::kMap: return DecodeMap(schema, depth);
    case Type::kUnion: return DecodeUnion(schema, depth);
  }
  return Corruption("avro: unknown type");
}

Result<Datum> Decoder::DecodeRecord(const Node& schema, int depth) {
  std::vector<Datum> fields;
  fields.reserve(schema.fields.size());
  for (const FieldDef& f : schema.fields) {
    ASSIGN_OR_RETURN(Datum d, DecodeAt(*f.type, depth + 1));
    fields.push_back(std::move(d));
  }
  return Datum::Record(std::move(fields));
}

Result<int64_t> Decoder::ReadBlockCount(bool may_be_empty) {
  ASSIGN_OR_RETURN(int64_t count, ReadLong());
  if (count < 0) {
    if (count == std::numeric_limits<int64_t>::min()) return Corruption("avro: bad block count");
    count = -count;
    ASSIGN_OR_RETURN(int64_t block_bytes, ReadLong());
    if (block_bytes < 0) return Corruption("avro: negative block size {}", block_bytes);
  }
  int64_t limit = may_be_empty ? kMaxEmptyElements : static_cast<int64_t>(remaining());
  if (count > limit) return Corruption("avro: block of {} items with {} bytes left", count, remaining());
  return count;
}

Result<Datum> Decoder::DecodeArray(const Node& schema, int depth) {
  std::vector<Datum> items;
  for (;;) {
    ASSIGN_OR_RETURN(int64_t count, ReadBlockCount(schema.items->MayBeEmpty()));
    if (count == 0) break;
    for (int64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(Datum d, DecodeAt(*schema.items, depth + 1));
      items.push_back(std::move(d));
    }
  }
  return Datum::Array(std::move(items));
}

Result<Datum> Decoder::DecodeMap(const Node& schema, int depth) {
  std::vector<std::pair<std::string, Datum>> entries;
  for (;;) {
    // A key takes at least one byte, so counts are bounded by the input.
    ASSIGN_OR_RETURN(int64_t count, ReadBlockCount(/*may_be_empty=*/false));
    if (count == 0) break;
    for (int64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(std::string_view key, ReadBytes());
      ASSIGN_OR_RETURN(Datum value, DecodeAt(*schema.values, depth + 1));
      entries.emplace_back(std::string(key), std::move(value));
    }
  }
  return Datum::Map(std::move(entries));
}

Result<Datum> Decoder::DecodeUnion(const Node& schema, int depth) {
  ASSIGN_OR_RETURN(int64_t index, ReadLong());
  if (index < 0 || index >= static_cast<int64_t>(schema.branches.size())) {
    return Corruption("avro: union branch {} of {}", index, schema.branches.size());
  }
  return DecodeAt(*schema.branches[static_cast<size_t>(index)], depth + 1);
}

}  // namespace kappa::table::avro
