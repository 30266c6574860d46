// A ByteSource is a stream of bytes read front to back: a file (see
// input_file.h), a descriptor such as stdin, or a string in tests. Readers in
// this module (csv_reader.h, line_reader.h) pull from one through a
// ReadBuffer. A ByteSource is used by one thread at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::format {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n (> 0) bytes into buf and returns how many; 0 only at the
  // end of the stream.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

// The bytes of a string, handed out at most max_chunk at a time (tests use a
// small max_chunk to exercise every buffer boundary).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data, size_t max_chunk = SIZE_MAX)
      : data_(std::move(data)), max_chunk_(max_chunk) {}
  Result<size_t> Read(char* buf, size_t n) override;

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t max_chunk_;
};

// Reads a file descriptor it does not own (stdin). When a read would block,
// calls before_block first (if set), then blocks: producers use it to flush
// what they have batched while the writer on the other end is quiet.
class FdSource : public ByteSource {
 public:
  explicit FdSource(int fd, std::function<void()> before_block = {})
      : fd_(fd), before_block_(std::move(before_block)) {}
  Result<size_t> Read(char* buf, size_t n) override;

 private:
  int fd_;
  std::function<void()> before_block_;
};

}  // namespace kappa::format
