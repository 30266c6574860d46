// Page compression codecs: UNCOMPRESSED, SNAPPY (a raw snappy block), ZSTD
// (a standard frame) and, for reading only, GZIP (a gzip or zlib stream).
// Decompress checks the output against the page header's uncompressed size,
// so a corrupt page cannot make it allocate more than that.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "table/parquet/metadata.h"

namespace kappa::table::parquet {

// Appends the compressed `data` to *out. REQUIRES: codec is UNCOMPRESSED,
// SNAPPY or ZSTD.
void Compress(Codec codec, int zstd_level, std::string_view data, std::string* out);

// Decompresses `data`, which must expand to exactly `uncompressed_size` bytes.
Result<std::string> Decompress(Codec codec, std::string_view data, size_t uncompressed_size);

// "SNAPPY", "ZSTD", ...
const char* CodecName(Codec codec);

}  // namespace kappa::table::parquet
