// `kappa query "SELECT ..."` (and its twin `kappa sql`): runs one SQL statement through the server's
// HTTP API (POST /v1/query; src/serve/query_api.h) and prints the result:
// --format table (default: aligned columns as `kappa topic list` prints,
// NULL shown as NULL, then "(N rows)"), csv (header line, RFC 4180) or json
// (the server's {"columns", "rows"} body as is). Queries need a running
// `kappa server`: the one named by --server, or the one holding --data-dir.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "cli/command.h"

namespace kappa::cli {

void AddQueryCommand(CLI::App* app, CommandContext ctx);

// A /v1/query JSON body as text cells: column names, then rows; numbers keep
// the server's spelling ("12.50"), NULL becomes "NULL".
struct TextResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};
Result<TextResult> ParseQueryJson(const std::string& body);

}  // namespace kappa::cli
