// `kappa produce TOPIC`: one record per stdin line. Each non-blank line must
// be a JSON value (checked with simdjson) and becomes the record value as
// written. With --key-field the key is that field of the object and picks
// the partition with Kafka's default partitioner; records without a key go
// to one partition per batch, round-robin. Records are batched (up to about
// 1 MiB, or whatever has arrived when stdin would block), appended, and
// acknowledged as durable before exit; a one-line summary goes to stderr.
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddProduceCommand(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
