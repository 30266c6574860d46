// A ReadBuffer is the window of a ByteSource that a tokenizer is looking at.
// Tokenizers return string_views into it, so nothing is copied per field.
// Fill() drops the prefix the caller has consumed, moves the unconsumed tail
// to the front and reads more after it, growing the buffer (up to max_size)
// when a single record is larger than what it holds. At least kPadding
// readable bytes always follow data() + size() (simdjson reads past the end
// of its input). Views into the buffer are invalidated by Fill(). Not
// thread-safe.
#pragma once

#include <cstddef>
#include <memory>

#include "base/status.h"
#include "format/byte_source.h"

namespace kappa::format {

class ReadBuffer {
 public:
  static constexpr size_t kPadding = 64;

  // `source` must outlive the buffer.
  ReadBuffer(ByteSource* source, size_t initial_size, size_t max_size);

  const char* data() const { return buf_.get(); }
  size_t size() const { return size_; }
  // True once the source reported its end; size() holds all that is left.
  bool eof() const { return eof_; }

  // Discards the first `consumed` bytes and reads more. Returns the number of
  // new bytes; 0 means the source has ended (eof() is then true). Fails with
  // Exhausted when the unconsumed bytes already fill max_size.
  Result<size_t> Fill(size_t consumed);

 private:
  Status Grow();

  ByteSource* source_;
  std::unique_ptr<char[]> buf_;
  size_t capacity_;
  size_t max_size_;
  size_t size_ = 0;
  bool eof_ = false;
};

}  // namespace kappa::format
