// A one-line, human-readable rendering of any Described message for logs
// and test failures, driven by the same Fields() table as the codec:
//   {acks: -1, timeout_ms: 30000, topics: [{name: "t", partitions: [...]}]}
// Every field is printed whatever the version. Strings are quoted with
// non-printable bytes escaped; Bytes and Records print only their size.
// Error codes print by name. Stateless; thread-safe.
#pragma once

#include <string>
#include <variant>

#include "kafka/protocol/codec.h"
#include "kafka/protocol/error_code.h"

namespace kappa::kafka {

namespace internal {

void AppendQuoted(std::string* out, std::string_view s);

template <typename T>
void AppendValue(std::string* out, const T& v) {
  if constexpr (IsOptional<T>::value) {
    if (v) {
      AppendValue(out, *v);
    } else {
      out->append("null");
    }
  } else if constexpr (std::is_same_v<T, ErrorCode>) {
    out->append(ErrorCodeName(v));
  } else if constexpr (std::is_same_v<T, bool>) {
    out->append(v ? "true" : "false");
  } else if constexpr (kIsFixed<T>) {
    fmt::format_to(std::back_inserter(*out), "{}", ToWire(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    AppendQuoted(out, v);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    fmt::format_to(std::back_inserter(*out), "<{} bytes>", v.data.size());
  } else if constexpr (std::is_same_v<T, Records>) {
    fmt::format_to(std::back_inserter(*out), "<{} bytes>", v.size());
  } else if constexpr (IsVector<T>::value) {
    out->push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out->append(", ");
      AppendValue(out, v[i]);
    }
    out->push_back(']');
  } else {
    out->push_back('{');
    bool first = true;
    (void)ForEachField<T>([&](const auto& field) {
      if (!first) out->append(", ");
      first = false;
      out->append(field.name).append(": ");
      AppendValue(out, v.*field.member);
      return OkStatus();
    });
    out->push_back('}');
  }
}

}  // namespace internal

template <Described T>
std::string DebugString(const T& message) {
  std::string out;
  internal::AppendValue(&out, message);
  return out;
}

// The body of any request or response variant.
template <typename... Ts>
std::string DebugString(const std::variant<Ts...>& body) {
  return std::visit([](const auto& m) { return DebugString(m); }, body);
}

}  // namespace kappa::kafka
