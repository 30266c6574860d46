// Errors are values. A Status says whether an operation succeeded and, when
// it did not, why (a code and a one-line message); a Result<T> holds either a
// T or the Status that prevented it. No exception crosses a module boundary:
// third-party exceptions are caught at the edge and turned into a Status.
// Protocol error codes (Kafka, SQLSTATE) are derived from StatusCode only at
// the protocol edge. Both types are cheap to move; an ok Status allocates
// nothing.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "fmt/format.h"

namespace kappa {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from a user or a peer
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // not now: a lock is held, a state forbids it
  kOutOfRange,          // an offset or position beyond what exists
  kDataLoss,            // stored bytes are corrupt
  kUnavailable,         // I/O failure
  kResourceExhausted,   // disk full, a limit reached
  kUnimplemented,       // a feature we refuse by name
  kInternal,            // a bug
  kCancelled,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  // "NOT_FOUND: topic x does not exist", or "OK".
  std::string ToString() const;
  // The same status with "context: " before the message.
  Status WithContext(std::string_view context) const;

  friend std::ostream& operator<<(std::ostream& os, const Status& s) {
    return os << s.ToString();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

inline Status OkStatus() { return Status(); }

// A T or the Status explaining its absence. REQUIRES: a Result built from a
// Status is built from a non-ok one.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : value_(value) {}             // NOLINT: implicit by design
  Result(T&& value) : value_(std::move(value)) {}       // NOLINT
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status(StatusCode::kInternal, "Result built from ok Status");
  }
  template <typename U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, T>) &&
             (!std::is_same_v<std::decay_t<U>, Status>)
  Result(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Formatting constructors: Invalid("bad {} at {}", what, where).
#define KAPPA_STATUS_MAKER(Name, Code)                                          \
  template <typename... Args>                                                   \
  Status Name(fmt::format_string<Args...> f, Args&&... args) {                  \
    return Status(StatusCode::Code, fmt::format(f, std::forward<Args>(args)...)); \
  }
KAPPA_STATUS_MAKER(Invalid, kInvalidArgument)
KAPPA_STATUS_MAKER(NotFound, kNotFound)
KAPPA_STATUS_MAKER(AlreadyExists, kAlreadyExists)
KAPPA_STATUS_MAKER(Busy, kFailedPrecondition)
KAPPA_STATUS_MAKER(OutOfRange, kOutOfRange)
KAPPA_STATUS_MAKER(Corruption, kDataLoss)
KAPPA_STATUS_MAKER(IoError, kUnavailable)
KAPPA_STATUS_MAKER(Exhausted, kResourceExhausted)
KAPPA_STATUS_MAKER(Unimplemented, kUnimplemented)
KAPPA_STATUS_MAKER(Internal, kInternal)
#undef KAPPA_STATUS_MAKER

// An I/O error from errno, naming the operation and the path.
Status ErrnoError(std::string_view op, std::string_view path, int err);

}  // namespace kappa

template <>
struct fmt::formatter<kappa::Status> : fmt::formatter<std::string> {
  auto format(const kappa::Status& s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string>::format(s.ToString(), ctx);
  }
};

#define KAPPA_CONCAT_INNER(a, b) a##b
#define KAPPA_CONCAT(a, b) KAPPA_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::kappa::Status _st = (expr);              \
    if (!_st.ok()) return _st;                 \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(*tmp)

// ASSIGN_OR_RETURN(auto x, MakeX()); declares x or returns MakeX's error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(KAPPA_CONCAT(_result_, __LINE__), lhs, expr)
