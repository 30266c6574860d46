#include "format/read_buffer.h"

#include <algorithm>
#include <cstring>

namespace kappa::format {

ReadBuffer::ReadBuffer(ByteSource* source, size_t initial_size, size_t max_size)
    : source_(source),
      buf_(new char[initial_size + kPadding]),
      capacity_(initial_size),
      max_size_(std::max(initial_size, max_size)) {
  std::memset(buf_.get(), 0, kPadding);
}

Status ReadBuffer::Grow() {
  if (capacity_ >= max_size_) {
    return Exhausted("a single record is larger than {} bytes", max_size_);
  }
  size_t capacity = std::min(capacity_ * 2, max_size_);
  std::unique_ptr<char[]> bigger(new char[capacity + kPadding]);
  std::memcpy(bigger.get(), buf_.get(), size_);
  buf_ = std::move(bigger);
  capacity_ = capacity;
  return OkStatus();
}

Result<size_t> ReadBuffer::Fill(size_t consumed) {
  std::memmove(buf_.get(), buf_.get() + consumed, size_ - consumed);
  size_ -= consumed;
  if (eof_) {
    std::memset(buf_.get() + size_, 0, kPadding);
    return size_t{0};
  }
  if (size_ == capacity_) RETURN_IF_ERROR(Grow());
  ASSIGN_OR_RETURN(size_t got, source_->Read(buf_.get() + size_, capacity_ - size_));
  size_ += got;
  eof_ = got == 0;
  std::memset(buf_.get() + size_, 0, kPadding);
  return got;
}

}  // namespace kappa::format
