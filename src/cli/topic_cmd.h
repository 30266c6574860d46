// `kappa topic create|list|describe|delete`: topic administration on the
// log in --data-dir. Listing commands print a table, or JSON with --json.
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddTopicCommands(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
