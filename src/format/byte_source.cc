#include "format/byte_source.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kappa::format {

Result<size_t> StringSource::Read(char* buf, size_t n) {
  size_t count = std::min({n, max_chunk_, data_.size() - pos_});
  std::memcpy(buf, data_.data() + pos_, count);
  pos_ += count;
  return count;
}

namespace {

// True when a read of fd would return at once (data, end of file or error).
bool Readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  int r = ::poll(&p, 1, 0);
  return r != 0;
}

}  // namespace

Result<size_t> FdSource::Read(char* buf, size_t n) {
  if (before_block_ && !Readable(fd_)) before_block_();
  while (true) {
    ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno != EINTR) return ErrnoError("read", "fd " + std::to_string(fd_), errno);
  }
}

}  // namespace kappa::format
