// Vocabulary of the Kafka wire protocol shared by every message definition:
// API keys, version ranges, and the C++ types that stand for the protocol's
// field types. The mapping from protocol type to C++ type is:
//
//   int8/int16/int32/int64   int8_t ... int64_t, an enum class over one of
//                            them (ApiKey, ErrorCode), or a StrongId
//                            (PartitionId, Offset)
//   bool                     bool (one byte, 0 or 1)
//   string                   std::string            (i16 length)
//   nullable string          std::optional<std::string>
//   bytes                    Bytes                  (i32 length)
//   nullable bytes           std::optional<Bytes>
//   records                  std::optional<Records> (i32 length, -1 = null)
//   [T]                      std::vector<T>         (i32 count)
//   nullable [T]             std::optional<std::vector<T>>
//
// In flexible versions lengths and counts are unsigned varints of n + 1
// (0 = null) and every struct ends with tagged fields. All types here are
// plain values: copyable, comparable, no invariants (Records may borrow its
// bytes from a request frame; see there).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace kappa::kafka {

// The APIs Kappa knows. Values are the protocol's api_key numbers; any other
// int16 is an unknown API (the enum may hold it, FindApi rejects it).
enum class ApiKey : int16_t {
  kProduce = 0,
  kFetch = 1,
  kListOffsets = 2,
  kMetadata = 3,
  kOffsetCommit = 8,
  kOffsetFetch = 9,
  kFindCoordinator = 10,
  kJoinGroup = 11,
  kHeartbeat = 12,
  kLeaveGroup = 13,
  kSyncGroup = 14,
  kApiVersions = 18,
  kCreateTopics = 19,
  kDeleteTopics = 20,
  kInitProducerId = 22,
};

// Highest version number the protocol can express; "vN+" ranges end here.
inline constexpr int16_t kMaxVersion = 0x7fff;

// An inclusive range of API versions. Empty when min > max.
struct VersionRange {
  int16_t min = 0;
  int16_t max = kMaxVersion;

  constexpr bool Contains(int16_t v) const { return v >= min && v <= max; }
  constexpr bool empty() const { return min > max; }
  constexpr bool operator==(const VersionRange&) const = default;
};

inline constexpr VersionRange kNoVersions{1, 0};

// Opaque bytes (group protocol metadata, assignments): i32 length on the
// wire, where a string has an i16 length.
struct Bytes {
  std::string data;
  auto operator<=>(const Bytes&) const = default;
};

// The records field of Produce and Fetch: zero or more record batches, kept
// as the bytes that crossed the wire. The codec does not look inside.
//
// A Records either owns its bytes (built to be encoded: a Fetch response,
// a test's request) or borrows them: DecodeRequest returns Records that view
// the frame body they were decoded from, so a Produce request's batches are
// never copied on their way to the log. A borrowed Records (and any copy of
// it) is valid only while that frame body is. Compared by content.
class Records {
 public:
  Records() = default;
  explicit Records(std::string bytes) : owned_(std::move(bytes)) {}
  // Views `bytes` without copying; they must outlive the Records.
  static Records Borrow(std::string_view bytes) {
    Records r;
    r.view_ = bytes;
    r.borrowed_ = true;
    return r;
  }

  std::string_view bytes() const { return borrowed_ ? view_ : std::string_view(owned_); }
  size_t size() const { return bytes().size(); }
  bool borrowed() const { return borrowed_; }
  // The owned bytes, to build in place; a borrowed Records first copies them.
  std::string& mutable_bytes() {
    if (borrowed_) {
      owned_.assign(view_);
      view_ = {};
      borrowed_ = false;
    }
    return owned_;
  }

  friend bool operator==(const Records& a, const Records& b) { return a.bytes() == b.bytes(); }
  friend auto operator<=>(const Records& a, const Records& b) { return a.bytes() <=> b.bytes(); }

 private:
  std::string owned_;
  std::string_view view_;
  bool borrowed_ = false;
};

}  // namespace kappa::kafka
