#include "serve/pgwire/session.h"

#include <boost/uuid/detail/md5.hpp>
#include <cstdio>

#include "fmt/format.h"
#include "serve/pgwire/errors.h"
#include "spdlog/spdlog.h"
#include "serve/pgwire/sql_text.h"
#include "serve/pgwire/types.h"

namespace kappa::serve::pgwire {
namespace {

// Result rows are handed to the connection in chunks of about this size.
constexpr size_t kFlushBytes = 256 << 10;

// Settings a client learns of through ParameterStatus, by lower-case name.
const std::map<std::string, std::string>& ReportedNames() {
  static const std::map<std::string, std::string> kNames = {
      {"application_name", "application_name"},
      {"client_encoding", "client_encoding"},
      {"datestyle", "DateStyle"},
      {"integer_datetimes", "integer_datetimes"},
      {"intervalstyle", "IntervalStyle"},
      {"is_superuser", "is_superuser"},
      {"server_encoding", "server_encoding"},
      {"server_version", "server_version"},
      {"session_authorization", "session_authorization"},
      {"standard_conforming_strings", "standard_conforming_strings"},
      {"timezone", "TimeZone"},
  };
  return kNames;
}

std::map<std::string, std::string> DefaultSettings(const std::string& server_version) {
  return {
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"datestyle", "ISO, MDY"},
      {"default_transaction_isolation", "read committed"},
      {"default_transaction_read_only", "off"},
      {"extra_float_digits", "1"},
      {"integer_datetimes", "on"},
      {"intervalstyle", "postgres"},
      {"is_superuser", "on"},
      {"lc_messages", "C"},
      {"max_identifier_length", "63"},
      {"search_path", "\"default\""},
      {"server_encoding", "UTF8"},
      {"server_version", server_version},
      {"server_version_num", "150000"},
      {"standard_conforming_strings", "on"},
      {"statement_timeout", "0"},
      {"timezone", "UTC"},
      {"transaction_isolation", "read committed"},
      {"transaction_read_only", "off"},
  };
}

bool IsUtf8Name(std::string value) {
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value == "utf8" || value == "utf-8" || value == "unicode";
}

QueryResult OneTextColumn(const std::string& column, const std::vector<std::string>& values,
                          std::string tag) {
  columnar::Schema schema({columnar::Field{column, columnar::DataType::String(), true}});
  columnar::BatchBuilder builder(schema);
  for (const std::string& v : values) builder.AppendRow({columnar::Value::String(v)});
  return QueryResult{schema, {builder.Finish()}, std::move(tag)};
}

QueryResult TagOnly(std::string tag) { return QueryResult{{}, {}, std::move(tag)}; }

// Where "line L, column C: ..." (a compile error's position) points in `sql`.
std::optional<size_t> ErrorOffset(std::string_view message, std::string_view sql) {
  unsigned line = 0, column = 0;
  if (std::sscanf(std::string(message.substr(0, 40)).c_str(), "line %u, column %u", &line, &column) != 2 ||
      line == 0 || column == 0) {
    return std::nullopt;
  }
  size_t pos = 0;
  for (unsigned l = 1; l < line; ++l) {
    pos = sql.find('\n', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
  }
  return pos + column - 1;
}

// The engine names an unaliased expression EXPR$n; Postgres names it after
// its function ("count") or "?column?", and clients read rows by those names
// (node-postgres: rows[0].count).
void RenameGeneratedColumns(const std::string& normalized, columnar::Schema* schema) {
  bool generated = false;
  for (const columnar::Field& f : schema->fields()) generated = generated || f.name.starts_with("EXPR$");
  if (!generated) return;
  std::vector<std::string> names = PostgresColumnNames(normalized);
  if (names.size() != schema->size()) return;
  std::vector<columnar::Field> fields = schema->fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name.starts_with("EXPR$") && !names[i].empty()) fields[i].name = names[i];
  }
  *schema = columnar::Schema(std::move(fields));
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  boost::uuids::detail::md5 md5;
  md5.process_bytes(data.data(), data.size());
  boost::uuids::detail::md5::digest_type digest;
  md5.get_digest(digest);
  // Boost 1.74 keeps each 32-bit word of the digest byte-swapped.
  std::string hex;
  for (unsigned int word : digest) fmt::format_to(std::back_inserter(hex), "{:08x}", word);
  return hex;
}

std::string Md5PasswordHash(std::string_view user, std::string_view password,
                            const std::array<char, 4>& salt) {
  std::string inner = Md5Hex(std::string(password) + std::string(user));
  return "md5" + Md5Hex(inner + std::string(salt.data(), salt.size()));
}

Session::Session(QueryRunner* runner, SessionOptions options, FlushFn flush)
    : runner_(runner), options_(std::move(options)), flush_(std::move(flush)),
      settings_(DefaultSettings(options_.server_version)) {}

// ---- startup ---------------------------------------------------------------

void Session::OnStartupPacket(const StartupPacket& packet) {
  switch (packet.kind) {
    case StartupPacket::Kind::kSslRequest:
    case StartupPacket::Kind::kGssEncRequest:
      out_.push_back('N');  // no encryption; the client goes on in plain text
      return;
    case StartupPacket::Kind::kCancelRequest:
      phase_ = Phase::kClosed;  // accepted and ignored: queries are not cancellable yet
      return;
    case StartupPacket::Kind::kStartup:
      Start(packet);
      return;
  }
}

void Session::Start(const StartupPacket& packet) {
  auto param = [&](const char* name) {
    auto it = packet.parameters.find(name);
    return it == packet.parameters.end() ? std::string() : it->second;
  };
  user_ = param("user");
  database_ = param("database").empty() ? user_ : param("database");
  if (user_.empty()) {
    Fatal(MakeError("28000", "no PostgreSQL user name specified in startup packet"));
    return;
  }
  settings_["application_name"] = param("application_name");
  if (std::string enc = param("client_encoding"); !enc.empty() && !IsUtf8Name(enc)) {
    Fatal(MakeError("22023", fmt::format("client_encoding {} is not supported: Kappa speaks UTF8",
                                         enc)));
    return;
  }
  switch (options_.auth.method) {
    case AuthMethod::kTrust:
      CompleteStartup();
      return;
    case AuthMethod::kCleartext:
      writer_.AuthenticationCleartextPassword();
      phase_ = Phase::kAuthenticating;
      return;
    case AuthMethod::kMd5:
      writer_.AuthenticationMd5Password(options_.md5_salt);
      phase_ = Phase::kAuthenticating;
      return;
  }
}

bool Session::PasswordMatches(const std::string& sent) const {
  if (options_.auth.method == AuthMethod::kCleartext) return sent == options_.auth.password;
  return sent == Md5PasswordHash(user_, options_.auth.password, options_.md5_salt);
}

void Session::OnPassword(const PasswordMessage& message) {
  if (!PasswordMatches(message.password)) {
    Fatal(MakeError("28P01", fmt::format("password authentication failed for user \"{}\"", user_)));
    return;
  }
  CompleteStartup();
}

void Session::CompleteStartup() {
  writer_.AuthenticationOk();
  for (const auto& [name, display] : ReportedNames()) {
    if (name == "session_authorization") {
      writer_.ParameterStatus(display, user_);
    } else {
      writer_.ParameterStatus(display, settings_[name]);
    }
  }
  writer_.BackendKeyData(options_.process_id, options_.secret_key);
  writer_.ReadyForQuery(txn_);
  phase_ = Phase::kReady;
}

void Session::Fatal(const ErrorFields& error) {
  ErrorFields fatal = error;
  fatal.severity = "FATAL";
  writer_.ErrorResponse(fatal);
  phase_ = Phase::kClosed;
}

void Session::OnProtocolError(const Status& status) {
  Fatal(MakeError("08P01", fmt::format("invalid message: {}", status.message())));
}

// ---- dispatch --------------------------------------------------------------

Awaitable<void> Session::OnMessage(const FrontendMessage& message) {
  if (phase_ == Phase::kAuthenticating) {
    if (const auto* p = std::get_if<PasswordMessage>(&message)) {
      OnPassword(*p);
    } else {
      Fatal(MakeError("08P01", "expected a password message"));
    }
    co_return;
  }
  if (std::holds_alternative<TerminateMessage>(message)) {
    phase_ = Phase::kClosed;
    co_return;
  }
  if (std::holds_alternative<SyncMessage>(message)) {
    Sync();
    co_return;
  }
  if (skip_until_sync_ || std::holds_alternative<FlushMessage>(message)) co_return;
  if (const auto* q = std::get_if<QueryMessage>(&message)) {
    co_await SimpleQuery(q->sql);
  } else if (const auto* p = std::get_if<ParseMessage>(&message)) {
    Parse(*p);
  } else if (const auto* b = std::get_if<BindMessage>(&message)) {
    Bind(*b);
  } else if (const auto* d = std::get_if<DescribeMessage>(&message)) {
    co_await Describe(*d);
  } else if (const auto* e = std::get_if<ExecuteMessage>(&message)) {
    co_await Execute(*e);
  } else if (const auto* c = std::get_if<CloseMessage>(&message)) {
    Close(*c);
  } else {
    Fail(MakeError("08P01", "unexpected password message"));
  }
}

// ---- statements ------------------------------------------------------------

SessionInfo Session::Info() const {
  SessionInfo info;
  info.user = user_;
  info.database = database_;
  info.server_version = options_.server_version;
  return info;
}

QueryOptions Session::MakeQueryOptions(bool describe_only) const {
  QueryOptions options;
  options.describe_only = describe_only;
  return options;
}

Awaitable<Session::Outcome> Session::RunStatement(const std::string& sql, bool describe_only) {
  std::optional<Command> command = ParseCommand(sql);
  if (txn_ == 'E' && !(command && (command->kind == CommandKind::kCommit ||
                                   command->kind == CommandKind::kRollback))) {
    co_return Outcome{{}, MakeError("25P02", "current transaction is aborted, commands ignored "
                                             "until end of transaction block")};
  }
  if (command) co_return RunCommand(*command, describe_only);
  std::string normalized = Normalize(sql);
  spdlog::debug("pg statement: {}", normalized);
  Result<QueryResult> result = Internal("unreached");
  if (IsCatalogQuery(normalized)) {
    Result<CatalogListing> catalog = co_await runner_->ListCatalog();
    if (!catalog.ok()) co_return Outcome{{}, ErrorFor(catalog.status())};
    result = AnswerCatalogQuery(normalized, *catalog, Info());
  } else {
    // named: g++ 12 mishandles temporaries in co_await expressions
    std::string text = RewriteLiteralCasts(sql);
    QueryOptions options = MakeQueryOptions(describe_only);
    result = co_await runner_->Execute(std::move(text), std::move(options));
  }
  if (!result.ok()) co_return Outcome{{}, ErrorFor(result.status())};
  RenameGeneratedColumns(normalized, &result->schema);
  if (result->command_tag.empty()) result->command_tag = fmt::format("SELECT {}", result->row_count());
  co_return Outcome{std::move(*result), std::nullopt};
}

Session::Outcome Session::RunCommand(const Command& command, bool describe_only) {
  if (command.kind == CommandKind::kShow) return ShowSetting(command.name);
  if (command.kind == CommandKind::kSet) return SetSetting(command, describe_only);
  Outcome outcome{TagOnly(CommandTag(command)), std::nullopt};
  if (describe_only) return outcome;
  switch (command.kind) {
    case CommandKind::kBegin:
      if (txn_ == 'T') {
        writer_.NoticeResponse({"WARNING", "25001", "there is already a transaction in progress", ""});
      }
      txn_ = 'T';
      break;
    case CommandKind::kCommit:
    case CommandKind::kRollback:
      if (txn_ == 'I') {
        writer_.NoticeResponse({"WARNING", "25P01", "there is no transaction in progress", ""});
      }
      if (txn_ == 'E') outcome.result.command_tag = "ROLLBACK";
      txn_ = 'I';
      break;
    case CommandKind::kReset:
      if (command.name == "all") {
        settings_ = DefaultSettings(options_.server_version);
      } else if (std::string def = DefaultSettings(options_.server_version)[command.name];
                 !def.empty()) {
        settings_[command.name] = def;
      }
      break;
    case CommandKind::kDiscard:
      statements_.clear();
      portals_.clear();
      break;
    case CommandKind::kDeallocate:
      if (command.name == "all") {
        statements_.clear();
      } else {
        statements_.erase(command.name);
      }
      break;
    default:
      break;
  }
  return outcome;
}

Session::Outcome Session::SetSetting(const Command& command, bool describe_only) {
  Outcome outcome{TagOnly("SET"), std::nullopt};
  if (command.name == "client_encoding" && !IsUtf8Name(command.value) &&
      command.value != "default") {
    outcome.error = MakeError(
        "0A000", fmt::format("client_encoding {} is not supported: Kappa speaks UTF8", command.value));
    return outcome;
  }
  if (describe_only) return outcome;
  std::string value = command.value;
  if (value == "default" || value == "DEFAULT") value = DefaultSettings(options_.server_version)[command.name];
  if (command.name == "client_encoding") value = "UTF8";
  settings_[command.name] = value;
  auto reported = ReportedNames().find(command.name);
  if (reported != ReportedNames().end()) writer_.ParameterStatus(reported->second, value);
  return outcome;
}

Session::Outcome Session::ShowSetting(const std::string& name) {
  if (name == "all") {
    std::vector<std::string> rows;
    for (const auto& [n, v] : settings_) rows.push_back(n + " = " + v);
    return Outcome{OneTextColumn("setting", rows, "SHOW"), std::nullopt};
  }
  auto it = settings_.find(name);
  if (it == settings_.end()) {
    return Outcome{{}, MakeError("42704", fmt::format("unrecognized configuration parameter \"{}\"", name))};
  }
  return Outcome{OneTextColumn(name, {it->second}, "SHOW"), std::nullopt};
}

// ---- simple query protocol -------------------------------------------------

Awaitable<void> Session::SimpleQuery(const std::string& sql) {
  std::vector<std::string> statements = SplitStatements(sql);
  if (statements.empty()) writer_.EmptyQueryResponse();
  for (const std::string& statement : statements) {
    Portal portal;
    portal.sql = statement;
    co_await RunPortal(portal);
    if (portal.error) {
      writer_.ErrorResponse(*portal.error);
      if (txn_ == 'T') txn_ = 'E';
      break;
    }
    if (portal.result.schema.size() > 0) DescribeRows(portal.result.schema, {});
    int64_t sent = 0;
    if (Status st = co_await SendRows(portal, 0, &sent); !st.ok()) co_return;
  }
  writer_.ReadyForQuery(txn_);
}

// ---- extended query protocol -----------------------------------------------

void Session::Fail(const ErrorFields& error) {
  writer_.ErrorResponse(error);
  skip_until_sync_ = true;
  if (txn_ == 'T') txn_ = 'E';
}

void Session::Parse(const ParseMessage& m) {
  if (!m.statement.empty() && statements_.contains(m.statement)) {
    Fail(MakeError("42P05", fmt::format("prepared statement \"{}\" already exists", m.statement)));
    return;
  }
  std::vector<std::string> statements = SplitStatements(m.sql);
  if (statements.size() > 1) {
    Fail(MakeError("42601", "cannot insert multiple commands into a prepared statement"));
    return;
  }
  statements_[m.statement] = Prepared{statements.empty() ? "" : statements[0], m.param_types};
  writer_.ParseComplete();
}

void Session::Bind(const BindMessage& m) {
  auto it = statements_.find(m.statement);
  if (it == statements_.end()) {
    Fail(MakeError("26000", fmt::format("prepared statement \"{}\" does not exist", m.statement)));
    return;
  }
  const Prepared& prepared = it->second;
  size_t wanted = static_cast<size_t>(MaxParameter(prepared.sql));
  if (m.params.size() != wanted) {
    Fail(MakeError("08P01", fmt::format("bind message supplies {} parameters, but prepared "
                                        "statement \"{}\" requires {}",
                                        m.params.size(), m.statement, wanted)));
    return;
  }
  std::vector<std::string> literals;
  std::vector<std::optional<std::string>> fallbacks;
  bool any_fallback = false;
  for (size_t i = 0; i < m.params.size(); ++i) {
    int32_t oid = i < prepared.param_types.size() ? prepared.param_types[i] : 0;
    int16_t format = FormatAt(m.param_formats, i);
    Result<std::string> literal = ParameterLiteral(oid, format, m.params[i]);
    if (!literal.ok()) {
      bool unsupported = literal.status().code() == StatusCode::kUnimplemented;
      Fail(MakeError(unsupported ? "0A000" : "22P02", std::string(literal.status().message())));
      return;
    }
    literals.push_back(std::move(*literal));
    fallbacks.push_back(UntypedFallback(oid, format, m.params[i]));
    any_fallback = any_fallback || fallbacks.back().has_value();
  }
  Result<std::string> sql = SubstituteParameters(prepared.sql, literals);
  if (!sql.ok()) {
    Fail(MakeError("08P01", std::string(sql.status().message())));
    return;
  }
  Portal portal;
  portal.sql = std::move(*sql);
  if (any_fallback) {
    portal.prepared_sql = prepared.sql;
    portal.literals = std::move(literals);
    portal.fallbacks = std::move(fallbacks);
  }
  portal.result_formats = m.result_formats;
  portals_[m.portal] = std::move(portal);
  writer_.BindComplete();
}

Awaitable<void> Session::Describe(const DescribeMessage& m) {
  if (m.kind == 'P') {
    auto it = portals_.find(m.name);
    if (it == portals_.end()) {
      Fail(MakeError("34000", fmt::format("portal \"{}\" does not exist", m.name)));
      co_return;
    }
    co_await RunPortal(it->second);
    if (it->second.error) {
      Fail(*it->second.error);
      co_return;
    }
    DescribeRows(it->second.result.schema, it->second.result_formats);
    co_return;
  }
  auto it = statements_.find(m.name);
  if (it == statements_.end()) {
    Fail(MakeError("26000", fmt::format("prepared statement \"{}\" does not exist", m.name)));
    co_return;
  }
  std::string sql = it->second.sql;
  std::vector<int32_t> types = it->second.param_types;
  int params = MaxParameter(sql);
  types.resize(static_cast<size_t>(params), 0);
  for (int32_t& t : types) t = t == 0 ? kTextOid : t;
  Result<std::string> described = SubstituteParameters(sql, std::vector<std::string>(params, "NULL"));
  Outcome outcome = co_await RunStatement(described.ok() ? *described : sql, true);
  if (outcome.error) {
    Fail(*outcome.error);
    co_return;
  }
  writer_.ParameterDescription(types);
  DescribeRows(outcome.result.schema, {});
}

Awaitable<void> Session::Execute(const ExecuteMessage& m) {
  auto it = portals_.find(m.portal);
  if (it == portals_.end()) {
    Fail(MakeError("34000", fmt::format("portal \"{}\" does not exist", m.portal)));
    co_return;
  }
  Portal& portal = it->second;
  co_await RunPortal(portal);
  if (portal.error) {
    Fail(*portal.error);
    co_return;
  }
  int64_t sent = 0;
  co_await SendRows(portal, m.max_rows, &sent);
}

void Session::Close(const CloseMessage& m) {
  if (m.kind == 'S') {
    statements_.erase(m.name);
  } else {
    portals_.erase(m.name);
  }
  writer_.CloseComplete();
}

void Session::Sync() {
  skip_until_sync_ = false;
  if (txn_ == 'I') portals_.clear();  // portals end with their transaction
  writer_.ReadyForQuery(txn_);
}

// ---- results ---------------------------------------------------------------

Awaitable<void> Session::RunPortal(Portal& portal) {
  if (portal.ran) co_return;
  portal.ran = true;
  if (portal.sql.empty()) {
    portal.result = TagOnly("");
    co_return;
  }
  Outcome outcome = co_await RunStatement(portal.sql, false);
  // Untyped parameters: while the statement does not type-check, give the
  // first untyped parameter at or after the error its other reading (a
  // string instead of a number, boolean or timestamp), as Postgres would
  // have typed the unknown literal from its context.
  while (outcome.error && outcome.error->sqlstate == "42601" && !portal.fallbacks.empty()) {
    std::vector<size_t> offsets;
    Result<std::string> current = SubstituteParameters(portal.prepared_sql, portal.literals, &offsets);
    std::optional<size_t> at = ErrorOffset(outcome.error->message, portal.sql);
    if (!current.ok() || !at) break;
    std::optional<size_t> pick;
    for (size_t i = 0; i < portal.fallbacks.size(); ++i) {
      if (!portal.fallbacks[i] || offsets[i] == std::string::npos || offsets[i] < *at) continue;
      if (!pick || offsets[i] < offsets[*pick]) pick = i;
    }
    if (!pick) break;
    portal.literals[*pick] = std::move(*portal.fallbacks[*pick]);
    portal.fallbacks[*pick].reset();
    Result<std::string> retry = SubstituteParameters(portal.prepared_sql, portal.literals);
    if (!retry.ok()) break;
    portal.sql = std::move(*retry);
    outcome = co_await RunStatement(portal.sql, false);
  }
  portal.result = std::move(outcome.result);
  portal.error = outcome.error;
  if (!portal.error) portal.error = CheckFormats(portal);
}

std::optional<ErrorFields> Session::CheckFormats(const Portal& portal) const {
  const columnar::Schema& schema = portal.result.schema;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (FormatAt(portal.result_formats, i) == 1 && !BinarySupported(schema.field(i).type)) {
      return MakeError("0A000", fmt::format("binary format for column \"{}\" of type {} is not "
                                            "supported; request text format",
                                            schema.field(i).name, PgTypeFor(schema.field(i).type).name));
    }
  }
  return std::nullopt;
}

void Session::DescribeRows(const columnar::Schema& schema, const std::vector<int16_t>& formats) {
  if (schema.size() == 0) {
    writer_.NoData();
    return;
  }
  std::vector<FieldDescription> fields;
  for (size_t i = 0; i < schema.size(); ++i) {
    PgType t = PgTypeFor(schema.field(i).type);
    fields.push_back({schema.field(i).name, t.oid, t.size, t.modifier, FormatAt(formats, i)});
  }
  writer_.RowDescription(fields);
}

Awaitable<Status> Session::SendRows(Portal& portal, int64_t max_rows, int64_t* sent) {
  const QueryResult& result = portal.result;
  if (result.schema.size() == 0) {
    if (result.command_tag.empty()) {
      writer_.EmptyQueryResponse();
    } else {
      writer_.CommandComplete(result.command_tag);
    }
    co_return OkStatus();
  }
  while (portal.batch < result.batches.size()) {
    const columnar::Batch& batch = result.batches[portal.batch];
    if (portal.row >= batch.active_rows()) {
      ++portal.batch;
      portal.row = 0;
      continue;
    }
    if (max_rows > 0 && *sent == max_rows) {
      writer_.PortalSuspended();
      co_return OkStatus();
    }
    SendRow(batch, batch.row(portal.row++), portal.result_formats);
    ++*sent;
    if (out_.size() >= kFlushBytes) {
      if (Status st = co_await flush_(out_); !st.ok()) {
        phase_ = Phase::kClosed;
        co_return st;
      }
    }
  }
  writer_.CommandComplete(fmt::format("SELECT {}", *sent));
  co_return OkStatus();
}

void Session::SendRow(const columnar::Batch& batch, uint32_t row,
                      const std::vector<int16_t>& formats) {
  writer_.BeginDataRow(static_cast<int16_t>(batch.num_columns()));
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const columnar::Column& col = *batch.columns[c];
    if (col.IsNull(row) || col.type().id() == columnar::TypeId::kNull) {
      writer_.AddNull();
      continue;
    }
    writer_.AddValueStart();
    if (FormatAt(formats, c) == 1) {
      AppendBinary(col, row, &out_);
    } else {
      AppendText(col, row, &out_);
    }
    writer_.AddValueEnd();
  }
  writer_.EndDataRow();
}

}  // namespace kappa::serve::pgwire
