// StrongId<Tag, T> is an integer that cannot be mixed up with another kind of
// integer: an Offset is not a PartitionId. It compares, hashes, prints and
// supports the arithmetic that makes sense for positions (id + n, id - id).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

#include "fmt/format.h"

namespace kappa {

template <typename Tag, typename T>
class StrongId {
 public:
  using value_type = T;
  constexpr StrongId() = default;
  constexpr explicit StrongId(T v) : v_(v) {}
  constexpr T value() const { return v_; }

  constexpr auto operator<=>(const StrongId&) const = default;
  constexpr StrongId operator+(T n) const { return StrongId(v_ + n); }
  constexpr StrongId operator-(T n) const { return StrongId(v_ - n); }
  constexpr T operator-(StrongId o) const { return v_ - o.v_; }
  constexpr StrongId& operator+=(T n) { v_ += n; return *this; }
  constexpr StrongId& operator++() { ++v_; return *this; }

  template <typename H>
  friend H AbslHashValue(H h, StrongId id) { return H::combine(std::move(h), id.v_); }

 private:
  T v_{};
};

struct OffsetTag {};
struct PartitionTag {};
struct EpochTag {};

// Position of a record within a partition: dense, from 0.
using Offset = StrongId<OffsetTag, int64_t>;
// Index of a partition within a topic, from 0.
using PartitionId = StrongId<PartitionTag, int32_t>;
// Checkpoint epoch of a pipeline.
using Epoch = StrongId<EpochTag, int64_t>;

}  // namespace kappa

template <typename Tag, typename T>
struct std::hash<kappa::StrongId<Tag, T>> {
  size_t operator()(kappa::StrongId<Tag, T> id) const { return std::hash<T>()(id.value()); }
};

template <typename Tag, typename T>
struct fmt::formatter<kappa::StrongId<Tag, T>> : fmt::formatter<T> {
  auto format(kappa::StrongId<Tag, T> id, fmt::format_context& ctx) const {
    return fmt::formatter<T>::format(id.value(), ctx);
  }
};
