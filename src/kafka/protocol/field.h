// The declarative description of a message. A message is a plain struct whose
// members carry the fields' C++ types and defaults; its static Fields()
// returns, in wire order, one descriptor per field: the name, the member, the
// versions the field exists in and the versions in which it may be null.
// That table is the single source of truth the codec (codec.h), the debug
// printer and the tests walk. A field absent from a version is neither read
// nor written there: decoding leaves the member's default, encoding skips it.
//
//   struct HeartbeatRequest {
//     std::string group_id;
//     std::optional<std::string> group_instance_id;
//     static constexpr auto Fields() {
//       using S = HeartbeatRequest;
//       return std::tuple{
//           F("group_id", &S::group_id),
//           F("group_instance_id", &S::group_instance_id).Since(3).Nullable()};
//     }
//   };
//
// Descriptors are constexpr values; nothing here allocates or is mutable.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "base/status.h"
#include "kafka/protocol/types.h"

namespace kappa::kafka {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

// One field of message Msg, stored in member of type T.
template <typename Msg, typename T>
struct Field {
  using Message = Msg;
  using Type = T;

  std::string_view name;
  T Msg::*member;
  VersionRange versions{};
  VersionRange nullable = kNoVersions;

  // The field exists from version v on.
  constexpr Field Since(int16_t v) const {
    Field f = *this;
    f.versions.min = v;
    return f;
  }
  // The field exists in versions lo..hi only.
  constexpr Field Versions(int16_t lo, int16_t hi) const {
    Field f = *this;
    f.versions = {lo, hi};
    return f;
  }
  // The field may be null in every version it exists in.
  constexpr Field Nullable() const { return NullableSince(0); }
  // The field may be null from version v on (before, null is malformed).
  constexpr Field NullableSince(int16_t v) const {
    static_assert(IsOptional<T>::value, "a nullable field needs a std::optional member");
    Field f = *this;
    f.nullable = {v, kMaxVersion};
    return f;
  }

  constexpr bool ExistsIn(int16_t v) const { return versions.Contains(v); }
  constexpr bool NullableIn(int16_t v) const { return nullable.Contains(v); }
};

// F("name", &Msg::member): a field present in every version, never null.
template <typename Msg, typename T>
constexpr Field<Msg, T> F(std::string_view name, T Msg::*member) {
  return Field<Msg, T>{name, member};
}

// A struct described by a Fields() table (a message or a nested struct).
template <typename T>
concept Described = requires { T::Fields(); };

// Calls fn(field) for each field of Msg in wire order, stopping at the first
// non-ok Status, which it returns.
template <Described Msg, typename Fn>
Status ForEachField(Fn&& fn) {
  Status status;
  std::apply([&](const auto&... field) { (... && (status = fn(field)).ok()); }, Msg::Fields());
  return status;
}

}  // namespace kappa::kafka
