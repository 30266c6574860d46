// RunBoundedQuery runs one query plan to completion with the streaming
// engine's operators (`kappa sql`, and queries over serving tables): each
// source topic is read from its start (per 'scan.startup.mode') to the end
// offsets it has when the query starts; each serving table is read at one
// snapshot (source/table_source.h: projection and pruning from the plan).
// Batch semantics: WATERMARK declarations are ignored, so no row is late and
// every window closes at the end of input, where aggregates emit their final
// rows; the answer does not depend on the order partitions are read in.
// The rows come back as batches (+I only; an updating plan gives its final
// rows).
//
// Blocking; thread-safe (each call builds its own dataflow).
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "columnar/batch.h"
#include "engine/source/topic_source.h"
#include "log/log.h"
#include "sql/plan.h"
#include "table/catalog.h"

namespace kappa::engine {

struct QueryOptions {
  log::Log* log = nullptr;  // must outlive the call
  // Tasks; 0 = the sources' partitions capped at the core count.
  int parallelism = 0;
  CommittedOffsetLookup committed_offsets;
  // Where serving tables ('connector' = 'iceberg' or none) are read from
  // when their TableDef carries no kappa.location (source/table_source.h);
  // must outlive the call; may be null.
  const table::Catalog* catalog = nullptr;
};

struct QueryResult {
  columnar::Schema schema;
  std::vector<columnar::Batch> batches;
  int64_t malformed = 0;  // records that did not decode (skipped)
  int64_t late = 0;       // always 0: bounded queries assign no watermarks

  size_t num_rows() const;
  // Every row, in order, as Values (tests, small results).
  std::vector<std::vector<columnar::Value>> Rows() const;
};

Result<QueryResult> RunBoundedQuery(const sql::PlanPtr& plan, const QueryOptions& options);

}  // namespace kappa::engine
