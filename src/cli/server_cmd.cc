#include "cli/server_cmd.h"

#include "serve/pgwire/pg_server.h"
#include "serve/server.h"

namespace kappa::cli {
namespace {

struct PgAuthFlags {
  std::string password;
  std::string password_file;
  std::string method = "md5";
};

}  // namespace

void AddServerCommand(CLI::App* app, const CommandContext& ctx) {
  auto options = std::make_shared<serve::ServerOptions>();
  CLI::App* cmd = app->add_subcommand(
      "server", "Run the Kappa server: the log, the Kafka listener, the HTTP API and the "
      "PostgreSQL protocol listener");
  cmd->add_option("--http-listen", options->http_listen, "HTTP API address")
      ->capture_default_str();
  cmd->add_option("--kafka-listen", options->kafka_listen, "Kafka protocol address")
      ->capture_default_str();
  cmd->add_option("--pg-listen", options->pg_listen, "PostgreSQL wire protocol address")
      ->capture_default_str();
  auto pg = std::make_shared<PgAuthFlags>();
  cmd->add_option("--pg-password", pg->password,
                  "Password every PostgreSQL client must give (any user name); default: none, "
                  "any client may connect (env KAPPA_PG_PASSWORD)")
      ->envname("KAPPA_PG_PASSWORD");
  cmd->add_option("--pg-password-file", pg->password_file,
                  "Read the PostgreSQL password from the first line of this file");
  cmd->add_option("--pg-auth", pg->method,
                  "How clients send the password: md5 or password (cleartext)")
      ->check(CLI::IsMember({"md5", "password"}))
      ->capture_default_str();
  cmd->add_flag("!--no-auto-create-topics", options->auto_create_topics,
                "Refuse produce and metadata requests for unknown topics instead of "
                "creating them");
  GlobalOptions* globals = ctx.globals;
  ctx.registry->Add(cmd, [options, globals, pg]() -> Status {
    options->data_dir = globals->data_dir;
    ASSIGN_OR_RETURN(options->pg_auth,
                     serve::pgwire::MakeAuthConfig(pg->password, pg->password_file, pg->method));
    ASSIGN_OR_RETURN(auto server, serve::Server::Start(*options));
    return server->Run();
  });
}

}  // namespace kappa::cli
