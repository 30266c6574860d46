// One pg-wire connection's state machine, without the socket: startup
// (SSLRequest/GSSENCRequest answered 'N', authentication, ParameterStatus,
// BackendKeyData), the simple query protocol (several statements per Query),
// the extended protocol (prepared statements and portals; after an error,
// messages are discarded until Sync), transaction status I/T/E, and session
// settings. Statements go, in this order, to the session commands
// (commands.h), the catalog emulation (catalog.h) or the QueryRunner.
//
// Backend messages accumulate in output(); the connection writes them out
// whenever it has no more input to handle. While streaming a large result
// the session hands full buffers to `flush` itself.
//
// Thread rules: one coroutine drives a Session at a time, on the I/O thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/asio.h"
#include "serve/pgwire/catalog.h"
#include "serve/pgwire/commands.h"
#include "serve/pgwire/messages.h"
#include "serve/query_runner.h"

namespace kappa::serve::pgwire {

enum class AuthMethod { kTrust, kCleartext, kMd5 };

struct AuthConfig {
  AuthMethod method = AuthMethod::kTrust;
  std::string password;  // for kCleartext and kMd5; any user name is accepted
};

struct SessionOptions {
  AuthConfig auth;
  std::string server_version = "15.0 (Kappa)";
  int32_t process_id = 0;
  int32_t secret_key = 0;
  std::array<char, 4> md5_salt{};
};

class Session {
 public:
  enum class Phase { kStartup, kAuthenticating, kReady, kClosed };
  // Writes out and clears the bytes given; a failed write closes the session.
  using FlushFn = std::function<Awaitable<Status>(std::string& bytes)>;

  // `runner` must outlive the session.
  Session(QueryRunner* runner, SessionOptions options, FlushFn flush);

  // In kStartup: the connection's next untyped packet.
  void OnStartupPacket(const StartupPacket& packet);
  // In kAuthenticating or kReady: the next typed message.
  Awaitable<void> OnMessage(const FrontendMessage& message);
  // A message that could not be parsed: FATAL 08P01, then kClosed.
  void OnProtocolError(const Status& status);

  Phase phase() const { return phase_; }
  std::string& output() { return out_; }
  char transaction_status() const { return txn_; }

 private:
  struct Prepared {
    std::string sql;
    std::vector<int32_t> param_types;
  };
  struct Portal {
    std::string sql;
    // For a statement with untyped parameters: the prepared text, each
    // parameter's literal in `sql`, and the other reading of an untyped one
    // (types.h UntypedFallback) that RunPortal tries when `sql` does not
    // type-check near it.
    std::string prepared_sql;
    std::vector<std::string> literals;
    std::vector<std::optional<std::string>> fallbacks;
    std::vector<int16_t> result_formats;
    bool ran = false;
    std::optional<ErrorFields> error;
    QueryResult result;
    size_t batch = 0;  // next row: batches[batch], active row `row`
    size_t row = 0;
  };
  // What running one statement produced.
  struct Outcome {
    QueryResult result;
    std::optional<ErrorFields> error;
  };

  // startup and authentication
  void Start(const StartupPacket& packet);
  void OnPassword(const PasswordMessage& message);
  bool PasswordMatches(const std::string& sent) const;
  void CompleteStartup();
  void Fatal(const ErrorFields& error);

  // statements
  Awaitable<Outcome> RunStatement(const std::string& sql, bool describe_only);
  Outcome RunCommand(const Command& command, bool describe_only);
  Outcome SetSetting(const Command& command, bool describe_only);
  Outcome ShowSetting(const std::string& name);
  QueryOptions MakeQueryOptions(bool describe_only) const;
  SessionInfo Info() const;

  // protocols
  Awaitable<void> SimpleQuery(const std::string& sql);
  void Parse(const ParseMessage& m);
  void Bind(const BindMessage& m);
  Awaitable<void> Describe(const DescribeMessage& m);
  Awaitable<void> Execute(const ExecuteMessage& m);
  void Close(const CloseMessage& m);
  void Sync();
  void Fail(const ErrorFields& error);

  // results
  Awaitable<void> RunPortal(Portal& portal);
  std::optional<ErrorFields> CheckFormats(const Portal& portal) const;
  void DescribeRows(const columnar::Schema& schema, const std::vector<int16_t>& formats);
  Awaitable<Status> SendRows(Portal& portal, int64_t max_rows, int64_t* sent);
  void SendRow(const columnar::Batch& batch, uint32_t row, const std::vector<int16_t>& formats);

  QueryRunner* runner_;
  SessionOptions options_;
  FlushFn flush_;
  Phase phase_ = Phase::kStartup;
  std::string out_;
  MessageWriter writer_{&out_};
  std::string user_;
  std::string database_;
  std::map<std::string, std::string> settings_;  // lower-case names
  char txn_ = 'I';
  bool skip_until_sync_ = false;
  std::map<std::string, Prepared> statements_;
  std::map<std::string, Portal> portals_;
};

// "md5" + hex(md5(hex(md5(password + user)) + salt)), as libpq sends it.
std::string Md5PasswordHash(std::string_view user, std::string_view password,
                            const std::array<char, 4>& salt);
std::string Md5Hex(std::string_view data);

}  // namespace kappa::serve::pgwire
