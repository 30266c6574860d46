// Decodes one column chunk (every page of one leaf column in one row group)
// into a Kappa column. Pages: dictionary (PLAIN), data page v1 and v2;
// values PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (booleans);
// definition levels RLE/bit-packed hybrid; codecs as codec.h. Every length,
// count and index is checked against the bytes present: corrupt input gives
// Corruption, an encoding this reader lacks gives Unimplemented. Stateless;
// safe to call from several threads on different chunks.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "columnar/column.h"
#include "table/parquet/metadata.h"
#include "table/parquet/schema.h"

namespace kappa::table::parquet {

// Largest page (uncompressed bytes) and value count a page may claim.
inline constexpr size_t kMaxPageBytes = size_t{1} << 30;
inline constexpr int64_t kMaxPageValues = int64_t{1} << 26;

// `chunk` holds the chunk's bytes (from its first page to the end of its
// last); `num_rows` is the row group's row count. When `defs` is set it
// receives each row's definition level (ROW columns need them).
Result<columnar::ColumnPtr> ReadColumnChunk(const LeafColumn& leaf, const ColumnMetaData& meta, ByteSpan chunk,
                                            int64_t num_rows, std::vector<uint8_t>* defs);

// The PLAIN encoding of n values of `leaf` as a column of leaf.type.
Result<columnar::ColumnPtr> DecodePlain(const LeafColumn& leaf, ByteSpan data, size_t n);

}  // namespace kappa::table::parquet
