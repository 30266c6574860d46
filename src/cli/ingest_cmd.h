// `kappa ingest FILE... --topic T`: bulk-loads CSV or JSON-lines files
// (gzip or not) into a topic as JSON records, creating the topic with
// --partitions when it does not exist. Parsing runs on the main thread and
// appending on a second one (ThreadedAppender); durability is awaited once at
// the end. Malformed rows go to a rejects file, or stop the run with
// --on-error fail. A stopped or crashed run is continued with --resume
// (exact: see ingest_resume.h) or --skip-rows N. Progress goes to stderr when
// it is a terminal, and a one-line summary at the end. Details:
// docs/format/ingest.md.
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddIngestCommand(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
