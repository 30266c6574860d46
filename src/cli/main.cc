// The `kappa` command: parses the command line with CLI11, runs the chosen
// subcommand, and reports failure as one line on stderr.
#include <cstdio>

#include "cli/command.h"
#include "cli/consume_cmd.h"
#include "cli/ingest_cmd.h"
#include "cli/pipeline_cmd.h"
#include "cli/produce_cmd.h"
#include "cli/query_cmd.h"
#include "cli/server_cmd.h"
#include "cli/table_cmd.h"
#include "cli/topic_cmd.h"

namespace kappa::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

int RunMain(int argc, char** argv) {
  CLI::App app("Kappa: a streaming data platform in one binary.", "kappa");
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "kappa 0.1");
  GlobalOptions globals;
  app.add_option("--data-dir", globals.data_dir, "Data directory (env KAPPA_DATA_DIR)")
      ->envname("KAPPA_DATA_DIR")
      ->capture_default_str();
  app.add_option("--server", globals.server,
                 "Talk to the kappa server at this URL (e.g. http://127.0.0.1:8080) instead of "
                 "opening the data dir; by default the CLI uses the server that holds the data "
                 "dir, if one does (env KAPPA_SERVER)")
      ->envname("KAPPA_SERVER");

  CommandRegistry registry;
  CommandContext ctx{&globals, &registry};
  AddTopicCommands(&app, ctx);
  AddProduceCommand(&app, ctx);
  AddConsumeCommand(&app, ctx);
  AddIngestCommand(&app, ctx);
  AddPipelineCommands(&app, ctx);
  AddQueryCommand(&app, ctx);
  AddServerCommand(&app, ctx);
  AddTableCommands(&app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "kappa: error: {} (see --help)\n", e.what());
    return kExitUsage;
  }
  const CommandFn* fn = registry.Selected();
  if (fn == nullptr) {
    fmt::print(stderr, "kappa: error: a subcommand is required (see --help)\n");
    return kExitUsage;
  }
  Status st = (*fn)();
  std::fflush(stdout);
  if (st.ok()) return 0;
  fmt::print(stderr, "kappa: error: {}\n", st.message());
  return st.code() == StatusCode::kCancelled ? kExitInterrupted : kExitFailure;
}

}  // namespace
}  // namespace kappa::cli

int main(int argc, char** argv) { return kappa::cli::RunMain(argc, argv); }
