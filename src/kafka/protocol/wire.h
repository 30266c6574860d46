// The primitive encodings of the Kafka protocol: big-endian fixed-width
// integers, unsigned varints, length and count prefixes (classic i16/i32 or
// flexible "n + 1" varints, where 0 means null) and tagged-field sections.
//
// Reader borrows the bytes it decodes: they must outlive the Reader and every
// string_view it returns. It never reads past its end and never trusts a
// length before checking it against the bytes that remain. Its errors are
// Status values whose code tells what went wrong:
//   kOutOfRange       the input ends before the value does (truncated frame,
//                     or a length or count larger than what remains)
//   kInvalidArgument  the bytes are impossible (negative length other than
//                     -1, varint too long, ...)
// Writer appends to a std::string it borrows; its only errors are values the
// protocol cannot express (a string longer than 32767 bytes).
// Neither type is thread-safe; both are cheap to create per message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace kappa::kafka {

// Length of a string whose i16 prefix allows at most this many bytes.
inline constexpr size_t kMaxStringSize = 0x7fff;

// The status Reader returns when the input ends early.
template <typename... Args>
Status Truncated(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kOutOfRange, fmt::format(f, std::forward<Args>(args)...));
}

class Reader {
 public:
  // "data" must outlive the Reader and the views it returns.
  explicit Reader(ByteSpan data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  // The bytes not read yet.
  ByteSpan rest() const { return data_.subspan(pos_); }

  template <typename T>
  Result<T> Fixed() {
    if (remaining() < sizeof(T)) return Truncated("need {} bytes, {} left", sizeof(T), remaining());
    T v = LoadBE<T>(data_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }

  Result<uint64_t> UVarint();
  // The next n bytes, or kOutOfRange when fewer remain.
  Result<std::string_view> Take(size_t n);

  // Length prefixes; nullopt means null. Each length is checked against the
  // bytes that remain, so a caller may allocate it.
  Result<std::optional<size_t>> StringLength(bool flexible);
  Result<std::optional<size_t>> BytesLength(bool flexible);
  // An array count; each element needs at least min_element_size bytes, so
  // count * min_element_size must fit in what remains.
  Result<std::optional<size_t>> ArrayCount(bool flexible, size_t min_element_size);

  // Reads a tagged-field section and ignores its fields (Kappa defines no
  // tagged fields yet; unknown tags are skippable by design).
  Status SkipTaggedFields();

 private:
  Result<std::optional<size_t>> CompactLength(const char* what);
  Result<std::optional<size_t>> CheckedLength(int64_t n, const char* what);

  ByteSpan data_;
  size_t pos_ = 0;
};

class Writer {
 public:
  // "out" must outlive the Writer; bytes are appended to it.
  explicit Writer(std::string* out) : out_(out) {}

  template <typename T>
  void Fixed(T v) {
    AppendBE(out_, v);
  }
  void UVarint(uint64_t v);
  void Raw(std::string_view bytes) { out_->append(bytes); }

  // Length prefixes; nullopt writes null.
  Status StringLength(std::optional<size_t> n, bool flexible);
  Status BytesLength(std::optional<size_t> n, bool flexible);
  Status ArrayCount(std::optional<size_t> n, bool flexible);
  // An empty tagged-field section.
  void NoTaggedFields() { UVarint(0); }

 private:
  Status Length32(std::optional<size_t> n, bool flexible, const char* what);

  std::string* out_;
};

}  // namespace kappa::kafka
