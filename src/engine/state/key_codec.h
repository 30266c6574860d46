// Keys of keyed state: the values of some columns of one row encoded into
// bytes, so that two rows have equal encodings exactly when their key values
// are equal (NULL equals NULL, as GROUP BY has it; -0.0 equals 0.0; every
// NaN is one key). Encodings are what group tables hash and store, what
// checkpoints save, and what the exchange hashes with StableHash to pick a
// task, so they must not change between releases without a checkpoint
// format bump (docs/format/checkpoint.md).
//
// Per cell: a null byte (1 = NULL) and, when not NULL, the value: BOOLEAN 1
// byte, INT/DATE 4, BIGINT/TIMESTAMP*/INTERVAL 8, DOUBLE 8, DECIMAL 16 (all
// little-endian), STRING a u32 length then the bytes, ROW its fields.
//
// Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"

namespace kappa::engine {

// Appends the encoding of row `row` of `column`.
void EncodeCell(const columnar::Column& column, uint32_t row, std::string* out);
// Appends the encoding of a Value of `type`.
void EncodeValue(const columnar::Value& value, std::string* out);

// Decodes one cell of `type` at the front of *in (advancing it) and appends
// it to `out`. DataLoss when the bytes are truncated.
Status DecodeCell(std::string_view* in, columnar::Column* out);
// Decodes one cell of `type` at the front of *in (advancing it) as a Value.
Result<columnar::Value> DecodeValue(std::string_view* in, const columnar::DataType& type);

// A deterministic 64-bit hash of bytes, the same in every process and run
// (exchange routing and state sharding depend on it surviving restarts).
uint64_t StableHash(std::string_view bytes);

// Encodes the key columns of every active row of a batch into one reused
// buffer. Not thread-safe; one per operator state.
class KeyEncoder {
 public:
  explicit KeyEncoder(std::vector<int> key_columns) : key_columns_(std::move(key_columns)) {}

  // Encodes the keys of every active row of `batch`; key(i) is then the key
  // of active row i.
  void Encode(const columnar::Batch& batch);
  size_t size() const { return offsets_.size() - 1; }
  std::string_view key(size_t i) const {
    return std::string_view(buffer_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  const std::vector<int>& key_columns() const { return key_columns_; }

 private:
  std::vector<int> key_columns_;
  std::string buffer_;
  std::vector<uint32_t> offsets_{0};
};

// Decodes keys made by KeyEncoder into columns of the given types.
class KeyDecoder {
 public:
  explicit KeyDecoder(std::vector<columnar::DataType> types) : types_(std::move(types)) {}

  const std::vector<columnar::DataType>& types() const { return types_; }
  // Fresh columns, one per key column.
  std::vector<std::shared_ptr<columnar::Column>> MakeColumns() const;
  // Appends the fields of `key` to `columns` (from MakeColumns).
  Status AppendKey(std::string_view key,
                   const std::vector<std::shared_ptr<columnar::Column>>& columns) const;

 private:
  std::vector<columnar::DataType> types_;
};

}  // namespace kappa::engine
