// `kappa table list|describe|history|diff`: the serving tables of the
// warehouse. Each asks the `kappa server` that holds the data dir (or the one
// named by --server) over HTTP (src/serve/tables_api.h); when no server runs
// it reads <data-dir>/warehouse itself with the same code, so the output is
// the same either way. --json prints the API's JSON body as is; otherwise:
//   list      one line per physical table: its aliases, snapshots, rows, size
//   describe  the table (after alias resolution), schema with field ids,
//             partitioning, primary key, current snapshot, files, rows, bytes
//   history   one line per snapshot, oldest first: operation, the pipeline,
//             version and epoch that committed it, rows added and deleted
//   diff A B  [--key COLS] [--sample N]: counts of rows only in A, only in
//             B and changed, then a sample of each (src/serve/table_diff.h)
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddTableCommands(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
