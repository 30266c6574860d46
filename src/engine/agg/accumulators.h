// Accumulators hold the running state of one aggregate call (COUNT, SUM,
// AVG, MIN, MAX, COUNT DISTINCT) for every group of one operator state, in
// vectors indexed by group id (state/group_table.h), and are updated a batch
// at a time. Rows carry a sign: +1 adds a row (+I, +U), -1 retracts one
// (-U, -D), so aggregates over changelogs stay exact. Not thread-safe; one
// per operator state.
#pragma once

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "columnar/column.h"
#include "engine/state/state_io.h"

namespace kappa::engine {

// The rows of one batch to apply: row i goes to group gids[i], reads
// physical row rows[i] of `arg` (null for COUNT(*)), with sign signs[i]
// (null: every row +1).
struct AggRows {
  const uint32_t* gids = nullptr;
  const uint32_t* rows = nullptr;
  size_t count = 0;
  const columnar::Column* arg = nullptr;
  const int8_t* signs = nullptr;

  int8_t sign(size_t i) const { return signs ? signs[i] : 1; }
};

class Accumulators {
 public:
  virtual ~Accumulators() = default;
  // Makes group ids < groups valid; new ones start empty.
  virtual void Resize(uint32_t groups) = 0;
  // Empties group `gid` (an id about to be reused).
  virtual void Clear(uint32_t gid) = 0;
  virtual void Update(const AggRows& rows) = 0;
  // Folds group `from` into group `into` (session windows merging); `from`
  // is left empty.
  virtual void Merge(uint32_t into, uint32_t from) = 0;
  // Appends the aggregate's current value for `gid` to `out` (of the call's
  // result type); NULL where SQL says so (SUM of no rows).
  virtual void AppendResult(uint32_t gid, columnar::Column* out) const = 0;
  virtual void Save(uint32_t gid, StateWriter* w) const = 0;
  virtual Status Load(uint32_t gid, StateReader* r) = 0;
};

}  // namespace kappa::engine
