// `kappa server`: hosts the log and its listeners until SIGINT/SIGTERM.
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddServerCommand(CLI::App* app, const CommandContext& ctx);

}  // namespace kappa::cli
