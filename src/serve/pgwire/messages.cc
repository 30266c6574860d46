#include "serve/pgwire/messages.h"

#include <array>
#include <cstring>

namespace kappa::serve::pgwire {
namespace {

// Reads a message body front to back; every read checks the bounds.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : rest_(body) {}

  Result<int16_t> Int16() {
    if (rest_.size() < 2) return Truncated();
    auto v = static_cast<int16_t>((static_cast<uint8_t>(rest_[0]) << 8) |
                                  static_cast<uint8_t>(rest_[1]));
    rest_.remove_prefix(2);
    return v;
  }
  Result<int32_t> Int32() {
    if (rest_.size() < 4) return Truncated();
    int32_t v = ReadInt32(rest_);
    rest_.remove_prefix(4);
    return v;
  }
  Result<std::string> CString() {
    size_t end = rest_.find('\0');
    if (end == std::string_view::npos) return Invalid("message string is not terminated");
    std::string s(rest_.substr(0, end));
    rest_.remove_prefix(end + 1);
    return s;
  }
  Result<std::string> Bytes(size_t n) {
    if (rest_.size() < n) return Truncated();
    std::string s(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return s;
  }
  Result<char> Byte() {
    if (rest_.empty()) return Truncated();
    char c = rest_[0];
    rest_.remove_prefix(1);
    return c;
  }
  // A count that cannot exceed what the rest of the body could hold.
  Result<size_t> Count(size_t min_bytes_each) {
    ASSIGN_OR_RETURN(int16_t n, Int16());
    if (n < 0 || static_cast<size_t>(n) * min_bytes_each > rest_.size()) {
      return Invalid("message count {} does not fit the message", n);
    }
    return static_cast<size_t>(n);
  }
  bool empty() const { return rest_.empty(); }

 private:
  static Status Truncated() { return Invalid("message is shorter than its fields"); }
  std::string_view rest_;
};

Result<StartupPacket> ParseStartupParameters(BodyReader& r, StartupPacket packet) {
  while (true) {
    ASSIGN_OR_RETURN(std::string name, r.CString());
    if (name.empty()) break;
    ASSIGN_OR_RETURN(std::string value, r.CString());
    packet.parameters[name] = std::move(value);
  }
  return packet;
}

Result<ParseMessage> ParseParse(BodyReader& r) {
  ParseMessage m;
  ASSIGN_OR_RETURN(m.statement, r.CString());
  ASSIGN_OR_RETURN(m.sql, r.CString());
  ASSIGN_OR_RETURN(size_t n, r.Count(4));
  for (size_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(int32_t oid, r.Int32());
    m.param_types.push_back(oid);
  }
  return m;
}

Result<std::vector<int16_t>> ParseFormats(BodyReader& r) {
  ASSIGN_OR_RETURN(size_t n, r.Count(2));
  std::vector<int16_t> formats;
  for (size_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(int16_t f, r.Int16());
    if (f != 0 && f != 1) return Invalid("unknown format code {}", f);
    formats.push_back(f);
  }
  return formats;
}

Result<BindMessage> ParseBind(BodyReader& r) {
  BindMessage m;
  ASSIGN_OR_RETURN(m.portal, r.CString());
  ASSIGN_OR_RETURN(m.statement, r.CString());
  ASSIGN_OR_RETURN(m.param_formats, ParseFormats(r));
  ASSIGN_OR_RETURN(size_t n, r.Count(4));
  for (size_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(int32_t len, r.Int32());
    if (len == -1) {
      m.params.emplace_back(std::nullopt);
      continue;
    }
    if (len < 0) return Invalid("parameter {} has length {}", i + 1, len);
    ASSIGN_OR_RETURN(std::string value, r.Bytes(static_cast<size_t>(len)));
    m.params.emplace_back(std::move(value));
  }
  if (m.param_formats.size() > 1 && m.param_formats.size() != m.params.size()) {
    return Invalid("bind message has {} parameter formats but {} parameters",
                   m.param_formats.size(), m.params.size());
  }
  ASSIGN_OR_RETURN(m.result_formats, ParseFormats(r));
  return m;
}

Result<char> StatementOrPortal(BodyReader& r) {
  ASSIGN_OR_RETURN(char kind, r.Byte());
  if (kind != 'S' && kind != 'P') return Invalid("expected 'S' or 'P', got byte {}", int{kind});
  return kind;
}

}  // namespace

Result<StartupPacket> ParseStartupPacket(std::string_view body) {
  BodyReader r(body);
  StartupPacket packet;
  ASSIGN_OR_RETURN(packet.protocol, r.Int32());
  switch (packet.protocol) {
    case kSslRequestCode:
      packet.kind = StartupPacket::Kind::kSslRequest;
      return packet;
    case kGssEncRequestCode:
      packet.kind = StartupPacket::Kind::kGssEncRequest;
      return packet;
    case kCancelRequestCode:
      packet.kind = StartupPacket::Kind::kCancelRequest;
      return packet;
    default:
      break;
  }
  if (packet.protocol >> 16 != 3) {
    return Invalid("unsupported frontend protocol {}.{}: server supports 3.0",
                   packet.protocol >> 16, packet.protocol & 0xffff);
  }
  return ParseStartupParameters(r, std::move(packet));
}

Result<FrontendMessage> ParseFrontendMessage(char type, std::string_view body) {
  BodyReader r(body);
  switch (type) {
    case 'Q': {
      ASSIGN_OR_RETURN(std::string sql, r.CString());
      return FrontendMessage(QueryMessage{std::move(sql)});
    }
    case 'P': {
      ASSIGN_OR_RETURN(ParseMessage m, ParseParse(r));
      return FrontendMessage(std::move(m));
    }
    case 'B': {
      ASSIGN_OR_RETURN(BindMessage m, ParseBind(r));
      return FrontendMessage(std::move(m));
    }
    case 'D': {
      ASSIGN_OR_RETURN(char kind, StatementOrPortal(r));
      ASSIGN_OR_RETURN(std::string name, r.CString());
      return FrontendMessage(DescribeMessage{kind, std::move(name)});
    }
    case 'E': {
      ASSIGN_OR_RETURN(std::string portal, r.CString());
      ASSIGN_OR_RETURN(int32_t max_rows, r.Int32());
      return FrontendMessage(ExecuteMessage{std::move(portal), max_rows});
    }
    case 'C': {
      ASSIGN_OR_RETURN(char kind, StatementOrPortal(r));
      ASSIGN_OR_RETURN(std::string name, r.CString());
      return FrontendMessage(CloseMessage{kind, std::move(name)});
    }
    case 'S':
      return FrontendMessage(SyncMessage{});
    case 'H':
      return FrontendMessage(FlushMessage{});
    case 'X':
      return FrontendMessage(TerminateMessage{});
    case 'p': {
      ASSIGN_OR_RETURN(std::string password, r.CString());
      return FrontendMessage(PasswordMessage{std::move(password)});
    }
    default:
      return Invalid("unknown message type byte {}", int{static_cast<uint8_t>(type)});
  }
}

int16_t FormatAt(const std::vector<int16_t>& formats, size_t i) {
  if (formats.empty()) return 0;
  if (formats.size() == 1) return formats[0];
  return i < formats.size() ? formats[i] : 0;
}

// ---- backend ---------------------------------------------------------------

void AppendInt16(std::string* out, int16_t v) {
  auto u = static_cast<uint16_t>(v);
  out->push_back(static_cast<char>(u >> 8));
  out->push_back(static_cast<char>(u & 0xff));
}

void AppendInt32(std::string* out, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((u >> shift) & 0xff));
}

void AppendInt64(std::string* out, int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((u >> shift) & 0xff));
}

int32_t ReadInt32(std::string_view bytes) {
  uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u = (u << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<int32_t>(u);
}

void MessageWriter::Begin(char type) {
  out_->push_back(type);
  message_start_ = out_->size();
  AppendInt32(out_, 0);
}

void MessageWriter::End() {
  auto len = static_cast<uint32_t>(out_->size() - message_start_);
  for (int i = 0; i < 4; ++i) {
    (*out_)[message_start_ + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  }
}

void MessageWriter::Int16(int16_t v) { AppendInt16(out_, v); }
void MessageWriter::Int32(int32_t v) { AppendInt32(out_, v); }

void MessageWriter::CString(std::string_view s) {
  // A NUL inside would end the string early for the client: drop it.
  for (char c : s) {
    if (c != '\0') out_->push_back(c);
  }
  out_->push_back('\0');
}

void MessageWriter::AuthenticationOk() {
  Begin('R');
  Int32(0);
  End();
}

void MessageWriter::AuthenticationCleartextPassword() {
  Begin('R');
  Int32(3);
  End();
}

void MessageWriter::AuthenticationMd5Password(const std::array<char, 4>& salt) {
  Begin('R');
  Int32(5);
  out_->append(salt.data(), salt.size());
  End();
}

void MessageWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  CString(name);
  CString(value);
  End();
}

void MessageWriter::BackendKeyData(int32_t process_id, int32_t secret_key) {
  Begin('K');
  Int32(process_id);
  Int32(secret_key);
  End();
}

void MessageWriter::ReadyForQuery(char status) {
  Begin('Z');
  out_->push_back(status);
  End();
}

void MessageWriter::RowDescription(const std::vector<FieldDescription>& fields) {
  Begin('T');
  Int16(static_cast<int16_t>(fields.size()));
  for (const FieldDescription& f : fields) {
    CString(f.name);
    Int32(0);  // table oid
    Int16(0);  // column number
    Int32(f.type_oid);
    Int16(f.type_size);
    Int32(f.type_modifier);
    Int16(f.format);
  }
  End();
}

void MessageWriter::ParameterDescription(const std::vector<int32_t>& type_oids) {
  Begin('t');
  Int16(static_cast<int16_t>(type_oids.size()));
  for (int32_t oid : type_oids) Int32(oid);
  End();
}

void MessageWriter::CommandComplete(std::string_view tag) {
  Begin('C');
  CString(tag);
  End();
}

void MessageWriter::EmptyQueryResponse() {
  Begin('I');
  End();
}

void MessageWriter::Fields(char type, const ErrorFields& e) {
  Begin(type);
  out_->push_back('S');
  CString(e.severity);
  out_->push_back('V');
  CString(e.severity);
  out_->push_back('C');
  CString(e.sqlstate);
  out_->push_back('M');
  CString(e.message);
  if (!e.detail.empty()) {
    out_->push_back('D');
    CString(e.detail);
  }
  out_->push_back('\0');
  End();
}

void MessageWriter::ErrorResponse(const ErrorFields& error) { Fields('E', error); }
void MessageWriter::NoticeResponse(const ErrorFields& notice) { Fields('N', notice); }

void MessageWriter::ParseComplete() {
  Begin('1');
  End();
}

void MessageWriter::BindComplete() {
  Begin('2');
  End();
}

void MessageWriter::CloseComplete() {
  Begin('3');
  End();
}

void MessageWriter::NoData() {
  Begin('n');
  End();
}

void MessageWriter::PortalSuspended() {
  Begin('s');
  End();
}

void MessageWriter::BeginDataRow(int16_t columns) {
  Begin('D');
  Int16(columns);
}

void MessageWriter::AddNull() { Int32(-1); }

void MessageWriter::AddValue(std::string_view bytes) {
  Int32(static_cast<int32_t>(bytes.size()));
  out_->append(bytes);
}

void MessageWriter::AddValueStart() {
  value_start_ = out_->size();
  Int32(0);
}

void MessageWriter::AddValueEnd() {
  auto len = static_cast<uint32_t>(out_->size() - value_start_ - 4);
  for (int i = 0; i < 4; ++i) {
    (*out_)[value_start_ + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  }
}

void MessageWriter::EndDataRow() { End(); }

}  // namespace kappa::serve::pgwire
