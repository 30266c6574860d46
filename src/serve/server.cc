#include "serve/server.h"

#include <unistd.h>

#include <csignal>

#include "fmt/format.h"
#include "base/asio.h"
#include "serve/http_server.h"
#include "serve/records_api.h"
#include "serve/server_info.h"
#include "serve/topics_api.h"
#include "spdlog/spdlog.h"

namespace kappa::serve {

struct Server::Impl {
  ServerOptions options;
  asio::io_context io{1};
  std::unique_ptr<log::Log> log;
  Router router;
  std::unique_ptr<HttpServer> http;
  asio::signal_set signals{io, SIGINT, SIGTERM};

  void Stop() {
    signals.cancel();
    if (http) http->Stop();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

std::string FormatEndpoint(const tcp::endpoint& ep) {
  return fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  log::LogOptions log_options;
  log_options.data_dir = options.data_dir;
  log_options.holder = "kappa server";
  ASSIGN_OR_RETURN(impl->log, log::Log::Open(log_options));
  AddTopicRoutes(&impl->router, impl->log.get());
  AddRecordRoutes(&impl->router, impl->log.get(), {options.auto_create_topics});
  impl->http = std::make_unique<HttpServer>(impl->io, impl->router);
  RETURN_IF_ERROR(impl->http->Listen(options.http_listen).WithContext("http"));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::string Server::http_address() const { return FormatEndpoint(impl_->http->endpoint()); }

Status Server::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down", signo);
    s.Stop();
  });
  // server.json first: a client that saw the "listening" lines finds it.
  ServerInfo info{static_cast<int64_t>(::getpid()), FormatEndpoint(s.http->endpoint()), ""};
  if (Status st = WriteServerInfo(s.options.data_dir, info); !st.ok()) {
    spdlog::warn("cannot write {}: {}", ServerInfoPath(s.options.data_dir), st.message());
  }
  fmt::print("kappa: http listening on {}\n", FormatEndpoint(s.http->endpoint()));
  std::fflush(stdout);
  s.io.run();
  RemoveServerInfo(s.options.data_dir);
  return s.log->Close();
}

void Server::Shutdown() {
  Impl* s = impl_.get();
  asio::post(s->io, [s] { s->Stop(); });
}

}  // namespace kappa::serve
