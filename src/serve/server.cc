#include "serve/server.h"

#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "fmt/format.h"
#include "base/asio.h"
#include "engine/sink/iceberg_sink.h"
#include "serve/engine_query_service.h"
#include "serve/http_server.h"
#include "serve/iceberg_rest.h"
#include "serve/kafka_server.h"
#include "pipeline/engine_hooks.h"
#include "pipeline/registry.h"
#include "serve/pgwire/pg_server.h"
#include "serve/pipelines_api.h"
#include "serve/query_api.h"
#include "serve/query_runner.h"
#include "serve/records_api.h"
#include "serve/server_info.h"
#include "serve/tables_api.h"
#include "serve/topics_api.h"
#include "spdlog/spdlog.h"

namespace kappa::serve {

// Queries run on their own threads, off the I/O thread.
constexpr size_t kQueryThreads = 2;

struct Server::Impl {
  ServerOptions options;
  asio::io_context io{1};
  std::unique_ptr<log::Log> log;
  std::unique_ptr<table::Catalog> catalog;
  std::unique_ptr<pipeline::Registry> pipelines;
  std::unique_ptr<QueryService> engine_queries;
  Router router;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<KafkaServer> kafka;
  // Declared after io: destroyed first, so that its workers finish while
  // the io_context they resume on still exists.
  std::unique_ptr<QueryRunner> queries;
  std::unique_ptr<pgwire::PgServer> pg;
  asio::signal_set signals{io, SIGINT, SIGTERM};

  // Promotes versions deployed with --promote-when-caught-up once they are.
  std::thread ticker;
  std::mutex ticker_mu;
  std::condition_variable ticker_cv;
  bool ticker_stop = false;
  void StartTicker() {
    ticker = std::thread([this] {
      std::unique_lock lock(ticker_mu);
      while (!ticker_cv.wait_for(lock, std::chrono::milliseconds(500), [this] { return ticker_stop; })) {
        lock.unlock();
        pipelines->Tick();
        lock.lock();
      }
    });
  }
  void StopPipelines() {
    {
      std::lock_guard lock(ticker_mu);
      ticker_stop = true;
    }
    ticker_cv.notify_all();
    if (ticker.joinable()) ticker.join();
    if (pipelines) pipelines->StopAll();
  }

  void Stop() {
    signals.cancel();
    if (http) http->Stop();
    if (kafka) kafka->Stop();
    if (pg) pg->Stop();
    StartShutdownWatchdog();
  }

  // In-flight requests get kShutdownGrace to finish; then the io_context is
  // stopped (a client that never reads its responses cannot hold us up).
  static constexpr auto kShutdownGrace = std::chrono::seconds(10);
  std::mutex watchdog_mu;
  std::condition_variable watchdog_cv;
  bool io_done = false;
  std::thread watchdog;
  void StartShutdownWatchdog() {
    if (watchdog.joinable()) return;
    watchdog = std::thread([this] {
      std::unique_lock lock(watchdog_mu);
      if (!watchdog_cv.wait_for(lock, kShutdownGrace, [this] { return io_done; })) {
        spdlog::warn("requests still in flight after {} s, stopping", kShutdownGrace.count());
        io.stop();
      }
    });
  }
  void JoinShutdownWatchdog() {
    {
      std::lock_guard lock(watchdog_mu);
      io_done = true;
    }
    watchdog_cv.notify_all();
    if (watchdog.joinable()) watchdog.join();
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
  ASSIGN_OR_RETURN(impl->catalog, table::Catalog::Open(options.data_dir + "/warehouse"));
  AddTableRoutes(&impl->router, impl->catalog.get());
  AddIcebergRestRoutes(&impl->router, impl->catalog.get());
  pipeline::EngineEnv env;
  env.log = impl->log.get();
  env.catalog = impl->catalog.get();
  env.table_sinks = engine::MakeIcebergSinkFactory(impl->catalog.get());
  ASSIGN_OR_RETURN(impl->pipelines,
                   pipeline::Registry::Open(options.data_dir, pipeline::MakeEngineHooks(env)));
  AddPipelineRoutes(&impl->router, impl->pipelines.get());
  QueryService* queries = options.query_service;
  if (queries == nullptr) {
    impl->engine_queries = std::make_unique<EngineQueryService>(impl->log.get(), impl->catalog.get(),
                                                               impl->pipelines.get());
    queries = impl->engine_queries.get();
  }
  impl->queries = std::make_unique<QueryRunner>(queries, kQueryThreads);
  AddQueryRoutes(&impl->router, impl->queries.get());
  impl->http = std::make_unique<HttpServer>(impl->io, impl->router);
  RETURN_IF_ERROR(impl->http->Listen(options.http_listen).WithContext("http"));
  KafkaServerOptions kafka_options{options.kafka_listen, options.data_dir + "/groups",
                                   options.auto_create_topics};
  auto kafka = KafkaServer::Start(impl->io, impl->log.get(), kafka_options);
  if (!kafka.ok()) return kafka.status().WithContext("kafka");
  impl->kafka = std::move(*kafka);
  impl->pg = std::make_unique<pgwire::PgServer>(
      impl->io, impl->queries.get(), pgwire::PgServerOptions{options.pg_listen, options.pg_auth});
  RETURN_IF_ERROR(impl->pg->Listen().WithContext("pg"));
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
  ServerInfo info{static_cast<int64_t>(::getpid()), FormatEndpoint(s.http->endpoint()),
                  FormatEndpoint(s.kafka->endpoint()), FormatEndpoint(s.pg->endpoint())};
  if (Status st = WriteServerInfo(s.options.data_dir, info); !st.ok()) {
    spdlog::warn("cannot write {}: {}", ServerInfoPath(s.options.data_dir), st.message());
  }
  fmt::print("kappa: http listening on {}\n", FormatEndpoint(s.http->endpoint()));
  fmt::print("kappa: kafka listening on {}\n", FormatEndpoint(s.kafka->endpoint()));
  fmt::print("kappa: pg listening on {}\n", FormatEndpoint(s.pg->endpoint()));
  std::fflush(stdout);
  s.StartTicker();
  s.io.run();
  s.JoinShutdownWatchdog();
  s.StopPipelines();  // each version takes a final checkpoint
  RemoveServerInfo(s.options.data_dir);
  return s.log->Close();
}

void Server::Shutdown() {
  Impl* s = impl_.get();
  asio::post(s->io, [s] { s->Stop(); });
}

}  // namespace kappa::serve
