// Parquet's RLE/bit-packed hybrid encoding of small unsigned integers
// (definition levels, dictionary indices, RLE booleans):
//
//   hybrid      := run*
//   run         := rle-run | bit-packed-run
//   rle-run     := varint(count << 1) value:ceil(bit_width/8) bytes LE
//   bit-packed  := varint(groups << 1 | 1) groups*bit_width bytes
//                  (8 values per group, packed LSB first)
//
// The encoder emits RLE runs for 8 or more repeats and bit-packs the rest.
// The decoder is bounds-checked and stops with Corruption on truncated or
// malformed input.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace kappa::table::parquet {

// Bits needed for values up to max_value (0 for 0).
int BitWidth(uint64_t max_value);

// Appends the hybrid encoding of `values` (each < 2^bit_width) to *out.
// REQUIRES: 0 <= bit_width <= 32.
void EncodeHybrid(std::span<const uint32_t> values, int bit_width, std::string* out);
void EncodeHybrid(std::span<const uint8_t> values, int bit_width, std::string* out);

// Decodes exactly `count` values from `data` into out[0..count).
// REQUIRES: out has room for count values.
Status DecodeHybrid(ByteSpan data, int bit_width, size_t count, uint32_t* out);

// Packs bits LSB first: booleans in PLAIN encoding.
void PackBits(std::span<const uint8_t> bits, std::string* out);

}  // namespace kappa::table::parquet
