// Helpers for the Kafka protocol tests: random messages driven by the
// Fields() tables, stripping of fields a version does not carry, gtest
// printing, and loading of the captured frames under data/.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "kafka/protocol/codec.h"
#include "kafka/protocol/debug_string.h"

namespace kappa::kafka {

// gtest prints messages through DebugString.
template <Described T>
void PrintTo(const T& message, std::ostream* os) {
  *os << DebugString(message);
}

namespace testing_util {

using Rng = std::mt19937_64;

template <typename T>
void Fill(T& v, Rng& rng, int16_t version, bool nullable);

template <Described T>
void FillStruct(T& v, Rng& rng, int16_t version) {
  (void)ForEachField<T>([&](const auto& field) {
    // Fields absent from the version get values too: encoding must skip them.
    Fill(v.*field.member, rng, version, field.NullableIn(version) || !field.ExistsIn(version));
    return OkStatus();
  });
}

inline std::string RandomBytes(Rng& rng, size_t max) {
  std::string s(rng() % (max + 1), '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

template <typename T>
void Fill(T& v, Rng& rng, int16_t version, bool nullable) {
  using namespace internal;
  if constexpr (IsOptional<T>::value) {
    if (nullable && rng() % 4 == 0) {
      v.reset();
    } else {
      Fill(v.emplace(), rng, version, false);
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    v = rng() % 2 == 0;
  } else if constexpr (kIsFixed<T>) {
    v = T(static_cast<WireType<T>>(rng()));
  } else if constexpr (std::is_same_v<T, std::string>) {
    v = RandomBytes(rng, 12);
  } else if constexpr (std::is_same_v<T, Bytes> || std::is_same_v<T, Records>) {
    v = T{RandomBytes(rng, 40)};
  } else if constexpr (IsVector<T>::value) {
    v.resize(rng() % 4);
    for (auto& e : v) Fill(e, rng, version, false);
  } else {
    FillStruct(v, rng, version);
  }
}

// Resets every field absent from `version` to its default, recursively:
// what a decoder of that version must produce.
template <typename T>
void StripAbsent(T& v, int16_t version) {
  using namespace internal;
  if constexpr (IsOptional<T>::value) {
    if (v) StripAbsent(*v, version);
  } else if constexpr (IsVector<T>::value) {
    for (auto& e : v) StripAbsent(e, version);
  } else if constexpr (Described<T>) {
    const T defaults{};
    (void)ForEachField<T>([&](const auto& field) {
      if (field.ExistsIn(version)) {
        StripAbsent(v.*field.member, version);
      } else {
        v.*field.member = defaults.*field.member;
      }
      return OkStatus();
    });
  }
}

inline std::filesystem::path DataDir() {
  return std::filesystem::path(__FILE__).parent_path() / "data";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A captured frame (with its 4-byte size) from data/<name>.bin.
inline std::string ReadCapture(const std::string& name) {
  return ReadFile(DataDir() / (name + ".bin"));
}

// Bytes from a hex string; spaces and newlines are ignored.
inline std::string Hex(std::string_view hex) {
  std::string out;
  int nibble = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  return out;
}

}  // namespace testing_util
}  // namespace kappa::kafka
