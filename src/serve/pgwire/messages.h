// The PostgreSQL wire protocol v3 message codec: frontend messages parsed
// from their bodies into plain structs, backend messages appended to a byte
// buffer. No I/O and no state: the session (session.h) decides what to send.
//
// Framing: the first packet of a connection has no type byte (int32 length
// including itself, then the body: a protocol code and, for StartupMessage,
// name/value pairs); every later message is one type byte, an int32 length
// including itself, then the body. Integers are big-endian. Parsing never
// trusts the peer: a malformed body is a kInvalidArgument Status.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace kappa::serve::pgwire {

inline constexpr int32_t kProtocol3 = 196608;  // 3.0
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;
// Longest message body we accept (a Query of many statements, a Bind of big
// parameters).
inline constexpr size_t kMaxMessageBytes = 64 << 20;

// ---- frontend --------------------------------------------------------------

struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancelRequest };
  Kind kind = Kind::kStartup;
  int32_t protocol = 0;
  std::map<std::string, std::string> parameters;  // user, database, application_name, ...
};

struct QueryMessage {
  std::string sql;
};
struct ParseMessage {
  std::string statement;
  std::string sql;
  std::vector<int32_t> param_types;  // 0 = unspecified
};
struct BindMessage {
  std::string portal;
  std::string statement;
  std::vector<int16_t> param_formats;  // none: all text; one: all alike
  std::vector<std::optional<std::string>> params;  // nullopt = NULL
  std::vector<int16_t> result_formats;
};
struct DescribeMessage {
  char kind = 'S';  // 'S' statement, 'P' portal
  std::string name;
};
struct ExecuteMessage {
  std::string portal;
  int32_t max_rows = 0;  // 0 = all
};
struct CloseMessage {
  char kind = 'S';
  std::string name;
};
struct SyncMessage {};
struct FlushMessage {};
struct TerminateMessage {};
struct PasswordMessage {
  std::string password;
};

using FrontendMessage =
    std::variant<QueryMessage, ParseMessage, BindMessage, DescribeMessage, ExecuteMessage,
                 CloseMessage, SyncMessage, FlushMessage, TerminateMessage, PasswordMessage>;

// `body` follows the length of the connection's first packet.
Result<StartupPacket> ParseStartupPacket(std::string_view body);
// `body` follows the type byte and length of a regular message.
Result<FrontendMessage> ParseFrontendMessage(char type, std::string_view body);

// The format code of result column / parameter `i` from a list of codes:
// empty = text, one = all alike, else per item. 0 text, 1 binary.
int16_t FormatAt(const std::vector<int16_t>& formats, size_t i);

// ---- backend ---------------------------------------------------------------

struct FieldDescription {
  std::string name;
  int32_t type_oid = 25;
  int16_t type_size = -1;
  int32_t type_modifier = -1;
  int16_t format = 0;
};

struct ErrorFields {
  std::string severity = "ERROR";  // ERROR, FATAL
  std::string sqlstate;            // "42601"
  std::string message;
  std::string detail;  // optional
};

// Appends backend messages to a buffer it does not own. `out` must outlive
// the writer.
class MessageWriter {
 public:
  explicit MessageWriter(std::string* out) : out_(out) {}

  void AuthenticationOk();
  void AuthenticationCleartextPassword();
  void AuthenticationMd5Password(const std::array<char, 4>& salt);
  void ParameterStatus(std::string_view name, std::string_view value);
  void BackendKeyData(int32_t process_id, int32_t secret_key);
  void ReadyForQuery(char status);  // 'I', 'T', 'E'
  void RowDescription(const std::vector<FieldDescription>& fields);
  void ParameterDescription(const std::vector<int32_t>& type_oids);
  void CommandComplete(std::string_view tag);
  void EmptyQueryResponse();
  void ErrorResponse(const ErrorFields& error);
  void NoticeResponse(const ErrorFields& notice);
  void ParseComplete();
  void BindComplete();
  void CloseComplete();
  void NoData();
  void PortalSuspended();

  // A DataRow is built in place: BeginDataRow, one AddNull/AddValue per
  // column (AddValueStart + appends to buffer() + AddValueEnd for values
  // encoded in place), EndDataRow.
  void BeginDataRow(int16_t columns);
  void AddNull();
  void AddValue(std::string_view bytes);
  void AddValueStart();
  void AddValueEnd();
  void EndDataRow();

  std::string& buffer() { return *out_; }

 private:
  void Begin(char type);
  void End();
  void Int16(int16_t v);
  void Int32(int32_t v);
  void CString(std::string_view s);
  void Fields(char type, const ErrorFields& e);

  std::string* out_;
  size_t message_start_ = 0;
  size_t value_start_ = 0;
};

// Big-endian helpers shared with the type codecs.
void AppendInt16(std::string* out, int16_t v);
void AppendInt32(std::string* out, int32_t v);
void AppendInt64(std::string* out, int64_t v);
int32_t ReadInt32(std::string_view bytes);  // REQUIRES: bytes.size() >= 4

}  // namespace kappa::serve::pgwire
