// The session state machine without sockets: a Session over a QueryRunner
// with a fake QueryService, driven on an io_context.
#include <gtest/gtest.h>

#include "columnar/batch.h"
#include "serve/pgwire/session.h"
#include "serve/pgwire/types.h"

namespace kappa::serve::pgwire {
namespace {

using columnar::DataType;
using columnar::Value;

// Answers every query with the rows 1..3 of one BIGINT column "n", except
// SQL that mentions "nosuch" (an unknown table). Remembers the SQL it saw.
class FakeService : public QueryService {
 public:
  Result<QueryResult> Execute(std::string_view sql, const QueryOptions&) override {
    std::lock_guard lock(mu_);
    seen_.emplace_back(sql);
    if (sql.find("nosuch") != std::string_view::npos) return NotFound("table nosuch does not exist");
    columnar::Schema schema({{"n", DataType::Int64(), true}});
    columnar::BatchBuilder b(schema);
    for (int64_t i = 1; i <= 3; ++i) b.AppendRow({Value::Int64(i)});
    return QueryResult{schema, {b.Finish()}, ""};
  }
  Result<CatalogListing> ListCatalog() override {
    CatalogListing c;
    c.namespaces = {"default"};
    c.tables.push_back({"default", "orders", {{"id", DataType::Int64(), false}}});
    return c;
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> seen_;
};

// The backend messages in a byte string, as (type, body).
std::vector<std::pair<char, std::string>> Messages(const std::string& bytes) {
  std::vector<std::pair<char, std::string>> out;
  size_t pos = 0;
  while (pos + 5 <= bytes.size()) {
    int32_t len = ReadInt32(std::string_view(bytes).substr(pos + 1));
    out.emplace_back(bytes[pos], bytes.substr(pos + 5, len - 4));
    pos += 1 + len;
  }
  return out;
}

std::string Types(const std::vector<std::pair<char, std::string>>& messages) {
  std::string s;
  for (const auto& m : messages) s.push_back(m.first);
  return s;
}

class SessionTest : public ::testing::Test {
 protected:
  explicit SessionTest(AuthConfig auth = {}) {
    SessionOptions options;
    options.auth = std::move(auth);
    options.md5_salt = {'a', 'b', 'c', 'd'};
    session_ = std::make_unique<Session>(&runner_, options, [this](std::string& bytes) {
      flushed_ += bytes;
      bytes.clear();
      return [](void) -> Awaitable<Status> { co_return OkStatus(); }();
    });
  }

  void Startup(std::map<std::string, std::string> params = {{"user", "alice"}}) {
    session_->OnStartupPacket(StartupPacket{StartupPacket::Kind::kStartup, kProtocol3, params});
  }
  // Sends one message and returns everything the session wrote.
  std::vector<std::pair<char, std::string>> Send(FrontendMessage m) {
    asio::co_spawn(io_, session_->OnMessage(m), asio::detached);
    io_.restart();
    io_.run();
    std::string out = flushed_ + session_->output();
    flushed_.clear();
    session_->output().clear();
    return Messages(out);
  }
  std::vector<std::pair<char, std::string>> Query(const std::string& sql) {
    return Send(QueryMessage{sql});
  }
  std::string TakeOutput() {
    std::string out = session_->output();
    session_->output().clear();
    return out;
  }

  FakeService service_;
  QueryRunner runner_{&service_, 1};
  asio::io_context io_;
  std::string flushed_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, StartupWithoutPasswordSendsSettingsAndReady) {
  Startup({{"user", "alice"}, {"application_name", "psql"}});
  auto m = Messages(TakeOutput());
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.front().first, 'R');
  EXPECT_EQ(m.back(), std::make_pair('Z', std::string("I")));
  std::map<std::string, std::string> params;
  for (const auto& [type, body] : m) {
    if (type != 'S') continue;
    size_t nul = body.find('\0');
    params[body.substr(0, nul)] = body.substr(nul + 1, body.size() - nul - 2);
  }
  EXPECT_EQ(params["client_encoding"], "UTF8");
  EXPECT_EQ(params["server_encoding"], "UTF8");
  EXPECT_EQ(params["DateStyle"], "ISO, MDY");
  EXPECT_EQ(params["application_name"], "psql");
  EXPECT_EQ(params["server_version"], "15.0 (Kappa)");
  EXPECT_EQ(session_->phase(), Session::Phase::kReady);
}

TEST_F(SessionTest, SslRequestIsAnsweredN) {
  session_->OnStartupPacket(StartupPacket{StartupPacket::Kind::kSslRequest, kSslRequestCode, {}});
  EXPECT_EQ(TakeOutput(), "N");
  EXPECT_EQ(session_->phase(), Session::Phase::kStartup);
}

TEST_F(SessionTest, NonUtf8ClientEncodingIsRefused) {
  Startup({{"user", "alice"}, {"client_encoding", "LATIN1"}});
  auto m = Messages(TakeOutput());
  ASSERT_EQ(Types(m), "E");
  EXPECT_EQ(session_->phase(), Session::Phase::kClosed);
}

TEST_F(SessionTest, SimpleQueryStreamsRowsFromTheService) {
  Startup();
  TakeOutput();
  auto m = Query("SELECT n FROM t; SELECT n FROM t");
  EXPECT_EQ(Types(m), "TDDDCTDDDCZ");
  EXPECT_EQ(m[4].second, std::string("SELECT 3") + '\0');
  EXPECT_EQ(m[1].second.substr(2), std::string("\0\0\0\x01" "1", 5));
  EXPECT_EQ(service_.seen().size(), 2u);
}

TEST_F(SessionTest, ServiceErrorsBecomeSqlStates) {
  Startup();
  TakeOutput();
  auto m = Query("SELECT * FROM nosuch");
  ASSERT_EQ(Types(m), "EZ");
  EXPECT_NE(m[0].second.find("C42P01"), std::string::npos);
}

TEST_F(SessionTest, TransactionStatusFollowsBeginErrorRollback) {
  Startup();
  TakeOutput();
  EXPECT_EQ(Query("BEGIN").back().second, "T");
  EXPECT_EQ(Query("SELECT * FROM nosuch").back().second, "E");
  auto m = Query("SELECT n FROM t");
  EXPECT_NE(m[0].second.find("C25P02"), std::string::npos);
  EXPECT_EQ(Query("COMMIT")[0].second, std::string("ROLLBACK") + '\0');  // COMMIT of a failed txn
  EXPECT_EQ(session_->transaction_status(), 'I');
}

TEST_F(SessionTest, SetReportsParameterStatusAndShowReadsIt) {
  Startup();
  TakeOutput();
  auto m = Query("SET application_name TO 'dash'");
  EXPECT_EQ(Types(m), "SCZ");
  m = Query("SHOW application_name");
  ASSERT_EQ(Types(m), "TDCZ");
  EXPECT_NE(m[1].second.find("dash"), std::string::npos);
  EXPECT_EQ(Types(Query("SET client_encoding = 'SJIS'")), "EZ");
}

TEST_F(SessionTest, ExtendedProtocolSubstitutesParametersAndSuspends) {
  Startup();
  TakeOutput();
  EXPECT_EQ(Types(Send(ParseMessage{"", "SELECT n FROM t WHERE n > $1 AND s = $2", {kInt4Oid, 0}})), "1");
  EXPECT_EQ(Types(Send(BindMessage{"", "", {}, {std::string("1"), std::string("x'y")}, {}})), "2");
  EXPECT_EQ(Types(Send(DescribeMessage{'P', ""})), "T");
  EXPECT_EQ(Types(Send(ExecuteMessage{"", 2})), "DDs");
  EXPECT_EQ(Types(Send(ExecuteMessage{"", 2})), "DC");
  EXPECT_EQ(Types(Send(SyncMessage{})), "Z");
  EXPECT_EQ(service_.seen().back(), "SELECT n FROM t WHERE n >  1  AND s =  'x''y' ");
}

TEST_F(SessionTest, ExtendedErrorDiscardsUntilSync) {
  Startup();
  TakeOutput();
  Send(ParseMessage{"", "SELECT * FROM nosuch", {}});
  Send(BindMessage{"", "", {}, {}, {}});
  EXPECT_EQ(Types(Send(ExecuteMessage{"", 0})), "E");
  EXPECT_EQ(Types(Send(ParseMessage{"", "SELECT n FROM t", {}})), "");
  EXPECT_EQ(Types(Send(SyncMessage{})), "Z");
  EXPECT_EQ(Types(Send(ParseMessage{"", "SELECT n FROM t", {}})), "1");
}

TEST_F(SessionTest, BinaryResultsForBigint) {
  Startup();
  TakeOutput();
  Send(ParseMessage{"s", "SELECT n FROM t", {}});
  Send(BindMessage{"", "s", {}, {}, {1}});
  auto m = Send(ExecuteMessage{"", 1});
  ASSERT_EQ(Types(m), "Ds");
  EXPECT_EQ(m[0].second.substr(2), std::string("\0\0\0\x08\0\0\0\0\0\0\0\x01", 12));
}

TEST_F(SessionTest, CatalogQueriesAreAnsweredFromTheListing) {
  Startup();
  TakeOutput();
  auto m = Query("SELECT current_schema()");
  ASSERT_EQ(Types(m), "TDCZ");
  EXPECT_NE(m[1].second.find("default"), std::string::npos);
  EXPECT_TRUE(service_.seen().empty());
}

class Md5SessionTest : public SessionTest {
 protected:
  Md5SessionTest() : SessionTest(AuthConfig{AuthMethod::kMd5, "pw"}) {}
};

TEST_F(Md5SessionTest, AcceptsTheRightHashOnly) {
  Startup({{"user", "bob"}});
  auto m = Messages(TakeOutput());
  ASSERT_EQ(Types(m), "R");
  EXPECT_EQ(m[0].second, std::string("\0\0\0\x05" "abcd", 8));
  m = Send(PasswordMessage{Md5PasswordHash("bob", "pw", {'a', 'b', 'c', 'd'})});
  EXPECT_EQ(m.back().first, 'Z');
  EXPECT_EQ(session_->phase(), Session::Phase::kReady);
}

TEST_F(Md5SessionTest, RefusesAWrongPassword) {
  Startup({{"user", "bob"}});
  TakeOutput();
  auto m = Send(PasswordMessage{Md5PasswordHash("bob", "nope", {'a', 'b', 'c', 'd'})});
  ASSERT_EQ(Types(m), "E");
  EXPECT_NE(m[0].second.find("28P01"), std::string::npos);
  EXPECT_EQ(session_->phase(), Session::Phase::kClosed);
}

TEST(PgMd5, MatchesKnownDigests) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
}

}  // namespace
}  // namespace kappa::serve::pgwire
