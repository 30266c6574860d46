// CRC-32C (Castagnoli), as Kafka's record batch v2 uses over
// attributes..end. Uses the SSE4.2 instruction when the CPU has it, a
// table otherwise. Thread-safe, no state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kappa {

// Extends `crc` (0 for a fresh checksum) over n bytes at data.
uint32_t Crc32cExtend(uint32_t crc, const uint8_t* data, size_t n);

inline uint32_t Crc32c(const uint8_t* data, size_t n) { return Crc32cExtend(0, data, n); }

}  // namespace kappa
