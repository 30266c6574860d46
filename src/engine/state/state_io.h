// Snapshot bytes of operator state. A StateWriter appends fixed-width
// little-endian integers, varints and length-prefixed strings to a buffer;
// a StateReader reads them back with every length bounds-checked, so a
// damaged snapshot gives a DataLoss status, never a crash. The encoding is
// private to each operator (docs/format/checkpoint.md describes the
// envelope around it). Neither is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "columnar/types.h"

namespace kappa::engine {

class StateWriter {
 public:
  StateWriter() = default;

  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v);
  void I64(int64_t v);
  void I128(columnar::Int128 v);
  void F64(double v);
  void UVarint(uint64_t v);
  // A varint length, then the bytes.
  void Bytes(std::string_view v);

  const std::string& data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class StateReader {
 public:
  // `data` must outlive the reader; views returned by Bytes() point into it.
  explicit StateReader(std::string_view data, std::string_view what = "snapshot")
      : data_(data), what_(what) {}

  Status U8(uint8_t* v);
  Status U32(uint32_t* v);
  Status I64(int64_t* v);
  Status I128(columnar::Int128* v);
  Status F64(double* v);
  Status UVarint(uint64_t* v);
  Status Bytes(std::string_view* v);

  bool done() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  // DataLoss unless every byte was read.
  Status ExpectEnd() const;

 private:
  Status Need(size_t n) const;

  std::string_view data_;
  std::string_view what_;
  size_t pos_ = 0;
};

}  // namespace kappa::engine
