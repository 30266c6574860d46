#include "serve/pgwire/sql_text.h"

#include <cctype>
#include <charconv>
#include <map>
#include <regex>

namespace kappa::serve::pgwire {
namespace internal {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// End of a '...' string starting at `start` (the quote); backslash escapes
// when `escapes` (E'...').
size_t QuotedEnd(std::string_view sql, size_t start, char quote, bool escapes) {
  size_t i = start + 1;
  while (i < sql.size()) {
    if (escapes && sql[i] == '\\') {
      i += 2;
      continue;
    }
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

size_t BlockCommentEnd(std::string_view sql, size_t start) {
  int depth = 0;
  size_t i = start;
  while (i + 1 < sql.size()) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      i += 2;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// A $tag$ opener at `start`, or 0.
size_t DollarTagLength(std::string_view sql, size_t start) {
  size_t i = start + 1;
  if (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) return 0;
  while (i < sql.size() && sql[i] != '$') {
    if (!IsIdentChar(sql[i]) || sql[i] == '$') return 0;
    ++i;
  }
  return i < sql.size() ? i - start + 1 : 0;
}

size_t DollarQuotedEnd(std::string_view sql, size_t start, size_t tag_length) {
  std::string_view tag = sql.substr(start, tag_length);
  size_t close = sql.find(tag, start + tag_length);
  return close == std::string_view::npos ? sql.size() : close + tag_length;
}

size_t ParameterEnd(std::string_view sql, size_t start) {
  size_t i = start + 1;
  while (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) ++i;
  return i;
}

bool StartsEscapeString(std::string_view sql, size_t i) {
  return (sql[i] == 'e' || sql[i] == 'E') && i + 1 < sql.size() && sql[i + 1] == '\'' &&
         (i == 0 || !IsIdentChar(sql[i - 1]));
}

// Code runs until something else could start.
size_t CodeEnd(std::string_view sql, size_t start) {
  size_t i = start;
  while (i < sql.size()) {
    char c = sql[i];
    bool next_dash = i + 1 < sql.size() && sql[i + 1] == '-';
    bool next_star = i + 1 < sql.size() && sql[i + 1] == '*';
    if (c == '\'' || c == '"' || (c == '-' && next_dash) || (c == '/' && next_star)) break;
    if (StartsEscapeString(sql, i)) break;
    if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) break;
    ++i;
  }
  return i == start ? start + 1 : i;
}

}  // namespace

size_t PieceEnd(std::string_view sql, size_t start, SqlPiece* kind) {
  char c = sql[start];
  *kind = SqlPiece::kCode;
  if (StartsEscapeString(sql, start)) {
    *kind = SqlPiece::kString;
    return QuotedEnd(sql, start + 1, '\'', true);
  }
  if (c == '\'') {
    *kind = SqlPiece::kString;
    return QuotedEnd(sql, start, '\'', false);
  }
  if (c == '"') {
    *kind = SqlPiece::kIdentifier;
    return QuotedEnd(sql, start, '"', false);
  }
  if (c == '-' && start + 1 < sql.size() && sql[start + 1] == '-') {
    *kind = SqlPiece::kComment;
    size_t nl = sql.find('\n', start);
    return nl == std::string_view::npos ? sql.size() : nl + 1;
  }
  if (c == '/' && start + 1 < sql.size() && sql[start + 1] == '*') {
    *kind = SqlPiece::kComment;
    return BlockCommentEnd(sql, start);
  }
  if (c == '$' && (start == 0 || !IsIdentChar(sql[start - 1]))) {
    if (start + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[start + 1]))) {
      *kind = SqlPiece::kParameter;
      return ParameterEnd(sql, start);
    }
    if (size_t tag = DollarTagLength(sql, start); tag > 0) {
      *kind = SqlPiece::kString;
      return DollarQuotedEnd(sql, start, tag);
    }
  }
  return CodeEnd(sql, start);
}

}  // namespace internal

namespace {

bool IsBlank(std::string_view s) {
  bool blank = true;
  ForEachPiece(s, [&](SqlPiece kind, std::string_view text) {
    if (kind == SqlPiece::kComment) return;
    for (char c : text) {
      if (!std::isspace(static_cast<unsigned char>(c))) blank = false;
    }
  });
  return blank;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

int ParameterNumber(std::string_view piece) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(piece.data() + 1, piece.data() + piece.size(), n);
  return ec == std::errc() ? n : -1;
}

}  // namespace

std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  auto finish = [&] {
    if (!IsBlank(current)) out.push_back(Trim(current));
    current.clear();
  };
  ForEachPiece(sql, [&](SqlPiece kind, std::string_view text) {
    if (kind != SqlPiece::kCode) {
      current.append(text);
      return;
    }
    for (char c : text) {
      if (c == ';') {
        finish();
      } else {
        current.push_back(c);
      }
    }
  });
  finish();
  return out;
}

int MaxParameter(std::string_view sql) {
  int max = 0;
  ForEachPiece(sql, [&](SqlPiece kind, std::string_view text) {
    if (kind == SqlPiece::kParameter) max = std::max(max, ParameterNumber(text));
  });
  return max;
}

Result<std::string> SubstituteParameters(std::string_view sql,
                                         const std::vector<std::string>& literals,
                                         std::vector<size_t>* offsets) {
  std::string out;
  Status status;
  if (offsets != nullptr) offsets->assign(literals.size(), std::string::npos);
  ForEachPiece(sql, [&](SqlPiece kind, std::string_view text) {
    if (kind != SqlPiece::kParameter) {
      out.append(text);
      return;
    }
    int n = ParameterNumber(text);
    if (n < 1 || static_cast<size_t>(n) > literals.size()) {
      if (status.ok()) status = Invalid("there is no parameter {}", text);
      return;
    }
    out.push_back(' ');
    if (offsets != nullptr && (*offsets)[n - 1] == std::string::npos) (*offsets)[n - 1] = out.size();
    out.append(literals[n - 1]);
    out.push_back(' ');
  });
  if (!status.ok()) return status;
  return out;
}

std::string RewriteLiteralCasts(std::string_view sql) {
  static const std::regex kCast(
      R"re(^::\s*(timestamp\s+without\s+time\s+zone|timestamp\s+with\s+time\s+zone|double\s+precision|character\s+varying|[a-z_][a-z0-9_]*)(\s*\(\s*\d+\s*\))?)re",
      std::regex::icase);
  static const std::map<std::string, std::string> kTypes = {
      {"date", "DATE"},
      {"timestamp", "TIMESTAMP(3)"},
      {"timestamp without time zone", "TIMESTAMP(3)"},
      {"timestamptz", "TIMESTAMP_LTZ(3)"},
      {"timestamp with time zone", "TIMESTAMP_LTZ(3)"},
      {"float", "DOUBLE"},
      {"float4", "DOUBLE"},
      {"float8", "DOUBLE"},
      {"real", "DOUBLE"},
      {"double precision", "DOUBLE"},
      {"smallint", "INT"},
      {"int", "INT"},
      {"int2", "INT"},
      {"int4", "INT"},
      {"integer", "INT"},
      {"bigint", "BIGINT"},
      {"int8", "BIGINT"},
      {"bool", "BOOLEAN"},
      {"boolean", "BOOLEAN"},
      {"text", "STRING"},
      {"varchar", "STRING"},
      {"character varying", "STRING"},
  };
  std::vector<std::pair<SqlPiece, std::string_view>> pieces;
  ForEachPiece(sql, [&](SqlPiece kind, std::string_view text) { pieces.emplace_back(kind, text); });
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    auto [kind, text] = pieces[i];
    if (kind == SqlPiece::kString && text.starts_with('\'') && i + 1 < pieces.size() &&
        pieces[i + 1].first == SqlPiece::kCode) {
      std::string_view next = pieces[i + 1].second;
      std::match_results<std::string_view::const_iterator> m;
      if (std::regex_search(next.begin(), next.end(), m, kCast)) {
        std::string name;
        bool space = false;
        for (char c : m[1].str()) {
          if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
          }
          if (space && !name.empty()) name.push_back(' ');
          space = false;
          name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        auto type = kTypes.find(name);
        if (type != kTypes.end()) {
          out.append("CAST(").append(text).append(" AS ").append(type->second).append(")");
          out.append(next.substr(static_cast<size_t>(m.length(0))));
          ++i;
          continue;
        }
      }
    }
    out.append(text);
  }
  return out;
}

std::string Normalize(std::string_view sql) {
  std::string out;
  bool space = false;
  ForEachPiece(sql, [&](SqlPiece kind, std::string_view text) {
    if (kind == SqlPiece::kComment) {
      space = true;
      return;
    }
    if (kind != SqlPiece::kCode) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.append(text);
      return;
    }
    for (char c : text) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = true;
        continue;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  });
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace kappa::serve::pgwire
