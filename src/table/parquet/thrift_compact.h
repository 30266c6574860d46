// The Thrift compact protocol, as much of it as Parquet's metadata needs:
// structs, lists, i16/i32/i64 (zig-zag varints), bool (in the field header),
// double, binary. No maps or sets are written; the reader skips them.
//
// CompactWriter appends to a caller-owned string. CompactReader walks a
// borrowed byte range; every read is bounds-checked and a failure is sticky:
// after the first error every read returns a zero value and ok() is false, so
// decoders run to the end and check once. Nesting is limited (kMaxDepth) so
// a hostile input cannot exhaust the stack. Neither class is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace kappa::table::parquet {

// Compact protocol type nibbles.
enum class CType : uint8_t {
  kStop = 0,
  kTrue = 1,
  kFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class CompactWriter {
 public:
  // "*out" must outlive the writer.
  explicit CompactWriter(std::string* out) : out_(out) {}

  // A struct is BeginStruct, fields, EndStruct (which writes the stop byte).
  void BeginStruct() { last_ids_.push_back(0); }
  void EndStruct();

  void FieldBool(int16_t id, bool v) { FieldHeader(id, v ? CType::kTrue : CType::kFalse); }
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldDouble(int16_t id, double v);
  void FieldBinary(int16_t id, std::string_view v);
  // Field header of a nested struct; follow with BeginStruct ... EndStruct.
  void FieldStruct(int16_t id) { FieldHeader(id, CType::kStruct); }
  // Field header of a list of `size` elements of type `elem`; follow with the
  // elements (I32/Binary below, or BeginStruct ... EndStruct each).
  void FieldList(int16_t id, CType elem, size_t size);

  void I32(int32_t v);
  void Binary(std::string_view v);

 private:
  void FieldHeader(int16_t id, CType type);

  std::string* out_;
  std::vector<int16_t> last_ids_;
};

class CompactReader {
 public:
  static constexpr int kMaxDepth = 32;

  explicit CompactReader(ByteSpan data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool ok() const { return error_.empty(); }
  // Corruption naming what failed, or OK.
  Status status() const;
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  // Bytes consumed so far from the start of `data`.
  const uint8_t* position() const { return p_; }

  void BeginStruct();
  void EndStruct();
  // Reads the next field header. False at the stop byte or on error;
  // otherwise *id and *type are set. A bool field's value is in its type
  // (read it with BoolValue(type)).
  bool NextField(int16_t* id, CType* type);
  static bool BoolValue(CType type) { return type == CType::kTrue; }

  int32_t I32();
  int64_t I64();
  double Double();
  std::string Binary();
  // A list header: element type and count. The count is checked against the
  // bytes left (every element takes at least one byte).
  size_t ListBegin(CType* elem);
  // Skips a value of `type` (any type, nested up to kMaxDepth).
  void Skip(CType type);
  // Marks the input bad (a decoder found an invalid value).
  void Fail(std::string what);

 private:
  uint64_t UVarint();
  uint8_t Byte();

  const uint8_t* p_;
  const uint8_t* end_;
  std::vector<int16_t> last_ids_;
  int depth_ = 0;
  std::string error_;
};

}  // namespace kappa::table::parquet
