#include "cli/server_cmd.h"

#include "serve/server.h"

namespace kappa::cli {

void AddServerCommand(CLI::App* app, const CommandContext& ctx) {
  auto options = std::make_shared<serve::ServerOptions>();
  CLI::App* cmd = app->add_subcommand(
      "server", "Run the Kappa server: the log, the Kafka listener and the HTTP API");
  cmd->add_option("--http-listen", options->http_listen, "HTTP API address")
      ->capture_default_str();
  cmd->add_option("--kafka-listen", options->kafka_listen, "Kafka protocol address")
      ->capture_default_str();
  cmd->add_flag("!--no-auto-create-topics", options->auto_create_topics,
                "Refuse produce and metadata requests for unknown topics instead of "
                "creating them");
  GlobalOptions* globals = ctx.globals;
  ctx.registry->Add(cmd, [options, globals]() -> Status {
    options->data_dir = globals->data_dir;
    ASSIGN_OR_RETURN(auto server, serve::Server::Start(*options));
    return server->Run();
  });
}

}  // namespace kappa::cli
