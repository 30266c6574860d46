// `kappa pipeline deploy|list|status|wait|stop|start|promote|retire|rollback|drop`:
// the pipeline registry of a running `kappa server`, over its HTTP API
// (src/serve/pipelines_api.h). Pipelines run inside the server, so every
// command needs one (found through --server or the data dir).
#pragma once

#include "cli/command.h"

namespace kappa::cli {

void AddPipelineCommands(CLI::App* app, CommandContext ctx);

}  // namespace kappa::cli
