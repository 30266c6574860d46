// How `kappa ingest --resume` finds where an earlier run stopped, from the
// log itself. Every ingested record carries a header
//   kappa.src = "<file basename>:<physical line of the row>"
// Rows are routed to partitions by a function of the row alone (its key, or
// its row number for keyless rows), and each partition receives its rows in
// input order, in whole batches. After a crash each partition therefore
// holds a prefix of the rows routed to it, possibly a different prefix per
// partition. So a resumed run re-reads the input and skips a row exactly
// when its position is at or before the position of the last record of the
// partition it routes to: no row twice, none missing. See
// docs/format/ingest.md.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cli/log_client.h"

namespace kappa::cli {

inline constexpr std::string_view kSourceHeader = "kappa.src";

// A row's place in one ingest's input: the index of its file in the
// command's file list, then its physical line. Ordered as rows are read.
struct SourcePosition {
  int32_t file = 0;
  int64_t line = 0;
  auto operator<=>(const SourcePosition&) const = default;
};

// Per partition of `topic` (which has `partitions`): the position of its
// last record when that record's kappa.src names one of `basenames` (index
// = file index), else nullopt (empty partition, or last written by
// something else). Reads through `client`, so it works against a server.
Result<std::vector<std::optional<SourcePosition>>> FindResumePoints(
    LogClient* client, const std::string& topic, int32_t partitions,
    const std::vector<std::string>& basenames);

}  // namespace kappa::cli
