// The compression codecs of Kafka record batches (attributes bits 0-2), with
// Kafka's framing: gzip (RFC 1952), snappy (raw, or the xerial-framed stream
// the Java client writes; both are accepted), lz4 (LZ4 frame format) and
// zstd (frame format). Thread-safe, stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kappa::log {

enum class Compression : int8_t { kNone = 0, kGzip = 1, kSnappy = 2, kLz4 = 3, kZstd = 4 };

std::string_view CompressionName(Compression c);
// "none", "gzip", "snappy", "lz4", "zstd".
Result<Compression> ParseCompression(std::string_view name);

// Appends the compressed form of `in` to *out.
Status Compress(Compression c, std::string_view in, std::string* out);
// Appends the decompressed form of `in` to *out. Corrupt input gives a
// Corruption status, never a crash; output is capped at `max_size` bytes.
Status Decompress(Compression c, std::string_view in, std::string* out,
                  size_t max_size = size_t{1} << 30);

}  // namespace kappa::log
