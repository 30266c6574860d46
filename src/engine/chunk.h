// A Chunk is what flows between operators: a Batch plus where its rows came
// from. Rows read from a source carry their split (one partition of one
// source topic) and offsets; after a watermark assigner they also carry, per
// physical row, the watermark of their split just before that row, which is
// what decides lateness (ARCHITECTURE.md: a record is late only against its
// own partition's watermark). Operators that keep physical rows in place
// (filter, project) pass this provenance through; others drop it.
// A Chunk is a value; its vectors are shared and immutable.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "columnar/batch.h"

namespace kappa::engine {

inline constexpr int64_t kMinWatermark = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();

struct Chunk {
  columnar::Batch batch;
  // Index of the split (Job-wide, see SplitInfo) the rows were read from;
  // -1 once rows of several splits may mix.
  int32_t split = -1;
  // Offset of each physical row in its partition, or null.
  std::shared_ptr<const std::vector<int64_t>> offsets;
  // The split's watermark before each physical row, or null.
  std::shared_ptr<const std::vector<int64_t>> row_watermarks;

  Chunk() = default;
  explicit Chunk(columnar::Batch b) : batch(std::move(b)) {}

  // The same provenance around another batch with the same physical rows.
  Chunk WithBatch(columnar::Batch b) const {
    Chunk c = *this;
    c.batch = std::move(b);
    return c;
  }
};

}  // namespace kappa::engine
