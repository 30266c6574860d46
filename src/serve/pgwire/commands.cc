#include "serve/pgwire/commands.h"

#include <regex>

#include "serve/pgwire/sql_text.h"

namespace kappa::serve::pgwire {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return v;
}

std::optional<Command> ParseSet(const std::string& original) {
  static const std::regex kTimeZone(R"re(^set\s+(?:session\s+|local\s+)?time\s+zone\s+(.+?)\s*;?\s*$)re",
                                    std::regex::icase);
  static const std::regex kSet(
      R"re(^set\s+(?:session\s+|local\s+)?([a-z_][a-z0-9_.]*)\s*(?:=|\s+to\s+|\s)\s*(.+?)\s*;?\s*$)re",
      std::regex::icase);
  std::smatch m;
  if (std::regex_match(original, m, kTimeZone)) {
    return Command{CommandKind::kSet, "timezone", Unquote(m[1].str())};
  }
  if (std::regex_match(original, m, kSet)) {
    return Command{CommandKind::kSet, Lower(m[1].str()), Unquote(m[2].str())};
  }
  return std::nullopt;
}

bool IsOneOf(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (s == w) return true;
  }
  return false;
}

}  // namespace

std::optional<Command> ParseCommand(std::string_view statement) {
  std::string n = Normalize(statement);
  if (IsOneOf(n, {"begin", "begin work", "begin transaction"}) || n.starts_with("start transaction") ||
      n.starts_with("begin transaction ") || n.starts_with("begin isolation") ||
      n.starts_with("begin read")) {
    return Command{CommandKind::kBegin, "", ""};
  }
  if (IsOneOf(n, {"commit", "commit work", "commit transaction", "end", "end work",
                  "end transaction"})) {
    return Command{CommandKind::kCommit, "", ""};
  }
  if (IsOneOf(n, {"rollback", "rollback work", "rollback transaction", "abort", "abort work",
                  "abort transaction"})) {
    return Command{CommandKind::kRollback, "", ""};
  }
  if (n.starts_with("set ")) {
    std::string original(statement);
    while (!original.empty() && std::isspace(static_cast<unsigned char>(original.front()))) {
      original.erase(0, 1);
    }
    return ParseSet(original);
  }
  static const std::regex kShowReset(R"re(^(show|reset) ([a-z_][a-z0-9_.]*)$)re");
  std::smatch m;
  if (std::regex_match(n, m, kShowReset)) {
    CommandKind kind = m[1].str() == "show" ? CommandKind::kShow : CommandKind::kReset;
    return Command{kind, m[2].str(), ""};
  }
  if (n.starts_with("show time zone")) return Command{CommandKind::kShow, "timezone", ""};
  if (n.starts_with("discard ")) return Command{CommandKind::kDiscard, n.substr(8), ""};
  static const std::regex kDeallocate(R"re(^deallocate (?:prepare )?("?)([^"]+)\1$)re");
  if (std::regex_match(n, m, kDeallocate)) {
    return Command{CommandKind::kDeallocate, m[2].str(), ""};
  }
  return std::nullopt;
}

std::string CommandTag(const Command& command) {
  switch (command.kind) {
    case CommandKind::kBegin: return "BEGIN";
    case CommandKind::kCommit: return "COMMIT";
    case CommandKind::kRollback: return "ROLLBACK";
    case CommandKind::kSet: return "SET";
    case CommandKind::kReset: return "RESET";
    case CommandKind::kShow: return "SHOW";
    case CommandKind::kDiscard: return "DISCARD ALL";
    case CommandKind::kDeallocate: return command.name == "all" ? "DEALLOCATE ALL" : "DEALLOCATE";
  }
  return "";
}

}  // namespace kappa::serve::pgwire
