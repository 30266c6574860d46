// InputFile reads a file front to back, inflating it when it is gzip. The
// format is detected from the first two bytes (1f 8b), not from the name;
// concatenated gzip members (as `cat a.gz b.gz` makes) read as one stream.
// Truncated or corrupt gzip data gives a Corruption status naming the file.
// file_position() reports how much of the file on disk has been consumed,
// for progress reporting. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/file.h"
#include "base/status.h"
#include "format/byte_source.h"

namespace kappa::format {

class InputFile : public ByteSource {
 public:
  ~InputFile() override;
  static Result<std::unique_ptr<InputFile>> Open(const std::string& path);

  Result<size_t> Read(char* buf, size_t n) override;

  const std::string& path() const { return file_.path(); }
  bool gzip() const { return gz_ != nullptr; }
  uint64_t file_size() const { return file_.Size(); }
  // Bytes of the file (compressed bytes, for gzip) read so far.
  uint64_t file_position() const { return pos_; }

 private:
  struct Gz;  // zlib state, only for gzip files
  explicit InputFile(File file);
  Result<size_t> ReadRaw(char* buf, size_t n);
  Result<size_t> ReadGzip(char* buf, size_t n);

  File file_;
  uint64_t pos_ = 0;
  std::unique_ptr<Gz> gz_;
};

}  // namespace kappa::format
