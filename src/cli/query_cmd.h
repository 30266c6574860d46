// `kappa query "SELECT ..."` (and its twin `kappa sql`): runs one SQL
// statement and prints the result: --format table (default: aligned columns
// as `kappa topic list` prints, NULL shown as NULL, then "(N rows)"), csv
// (header line, RFC 4180) or json ({"columns", "rows"} as POST /v1/query
// answers). With a server (--server, or the one holding --data-dir) the
// statement goes to its HTTP API (POST /v1/query; src/serve/query_api.h)
// and sees the tables its deployed pipelines declare; without one, the same
// engine runs it in this process over the data dir's log and warehouse.
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
