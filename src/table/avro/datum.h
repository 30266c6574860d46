// A generic Avro value (a "datum") and its binary encoding. A Datum is a plain
// tree of values that owns its children; its meaning comes from the schema it
// is encoded or decoded with:
//   null -> kNull; boolean -> kBoolean; int, long -> kLong (`l`);
//   float, double -> kDouble (`d`); bytes, string, fixed -> kBytes (`s`);
//   record -> kRecord (`items`, one per field in schema order);
//   array -> kArray (`items`); map -> kMap (`entries`).
// A union has no Datum of its own: encoding picks the first branch whose
// type matches the datum's kind, decoding returns the branch's datum.
// Decoding is bounds-checked: truncated or malformed input gives a DataLoss
// status, never a read past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "table/avro/schema.h"

namespace kappa::table::avro {

struct Datum {
  enum class Kind : uint8_t { kNull, kBoolean, kLong, kDouble, kBytes, kRecord, kArray, kMap };

  Kind kind = Kind::kNull;
  bool b = false;
  int64_t l = 0;
  double d = 0;
  std::string s;
  std::vector<Datum> items;
  std::vector<std::pair<std::string, Datum>> entries;

  static Datum Null() { return Datum(); }
  static Datum Boolean(bool v);
  static Datum Long(int64_t v);
  static Datum Double(double v);
  static Datum Bytes(std::string v);
  static Datum Record(std::vector<Datum> fields);
  static Datum Array(std::vector<Datum> elements);
  static Datum Map(std::vector<std::pair<std::string, Datum>> entries);

  bool is_null() const { return kind == Kind::kNull; }
  friend bool operator==(const Datum& a, const Datum& b) = default;
};

// Appends the binary encoding of `datum` as `schema` to *out. Invalid when
// the datum does not fit the schema (wrong kind, int out of range, record
// field count, fixed size).
Status Encode(const Node& schema, const Datum& datum, std::string* out);

// A cursor over encoded bytes; `data` must outlive it.
class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  // Decodes one datum written with `schema` and advances past it.
  Result<Datum> Decode(const Node& schema);
  Result<int64_t> ReadLong();
  Result<std::string_view> ReadBytes();
  Result<std::string_view> ReadFixed(size_t n);

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool done() const { return pos_ == data_.size(); }

 private:
  Result<Datum> DecodeAt(const Node& schema, int depth);
  Result<Datum> DecodeRecord(const Node& schema, int depth);
  Result<Datum> DecodeArray(const Node& schema, int depth);
  Result<Datum> DecodeMap(const Node& schema, int depth);
  Result<Datum> DecodeUnion(const Node& schema, int depth);
  // The item count of the next array/map block (0 at the end); counts are
  // bounded by the bytes left unless an item may encode to nothing.
  Result<int64_t> ReadBlockCount(bool may_be_empty);

  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace kappa::table::avro
