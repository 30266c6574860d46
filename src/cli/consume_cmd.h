// `kappa consume TOPIC`: prints record values, one per line, from every
// partition (or one with --partition), taking turns a read at a time.
// --from earliest (default) | latest | OFFSET (per partition) | TIMESTAMP
// (ISO-8601; each partition starts at its first record with a timestamp at
// or after it, as Kafka's offsetsForTimes). Stops at the end of the log or
// after --max records; --follow keeps waiting for more until SIGINT/SIGTERM.
// --with-meta prints one JSON object per record instead: partition, offset,
// timestamp, key, headers and value (as strings).
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddConsumeCommand(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
