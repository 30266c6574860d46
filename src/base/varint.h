// Variable-length integers as Kafka encodes them: unsigned LEB128 (protocol
// compact lengths, tagged fields) and zig-zag signed varints (record fields).
// Decoders take a cursor and an end pointer and return false on truncation or
// on an encoding longer than the type allows; they never read past `end`.
#pragma once

#include <cstdint>
#include <string>

namespace kappa {

inline void AppendUVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline void AppendVarint(std::string* out, int64_t v) {
  AppendUVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

inline size_t VarintSize(int64_t v) {
  uint64_t u = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  size_t n = 1;
  while (u >= 0x80) { u >>= 7; ++n; }
  return n;
}

inline bool ReadUVarint(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    uint8_t b = *(*p)++;
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

inline bool ReadVarint(const uint8_t** p, const uint8_t* end, int64_t* v) {
  uint64_t u;
  if (!ReadUVarint(p, end, &u)) return false;
  *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  return true;
}

}  // namespace kappa
