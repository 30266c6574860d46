#include "sql/lexer.h"

#include <cctype>

#include "sql/source_error.h"

namespace kappa::sql {

namespace {

bool IsWordStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsWordChar(unsigned char c) { return IsWordStart(c) || std::isdigit(c) || c == '$'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      RETURN_IF_ERROR(SkipSpaceAndComments());
      if (pos_ >= sql_.size()) break;
      ASSIGN_OR_RETURN(Token token, Next());
      out.push_back(std::move(token));
    }
    Token end;
    end.offset = sql_.size();
    out.push_back(end);
    return out;
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }

  Status SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = sql_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (c == '/' && Peek(1) == '*') {
        size_t end = sql_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) {
          return SyntaxError(sql_, pos_, "unterminated comment: expected '*/'");
        }
        pos_ = end + 2;
      } else {
        break;
      }
    }
    return OkStatus();
  }

  Token Make(TokenKind kind, size_t start, std::string text) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    t.offset = start;
    t.length = pos_ - start;
    return t;
  }

  Result<Token> Next() {
    size_t start = pos_;
    char c = sql_[pos_];
    if (IsWordStart(static_cast<unsigned char>(c))) {
      while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
      return Make(TokenKind::kWord, start, std::string(sql_.substr(start, pos_ - start)));
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(start);
    if (c == '\'') return Quoted(start, '\'', TokenKind::kString, "string literal");
    if (c == '`') return Quoted(start, '`', TokenKind::kQuotedWord, "quoted identifier");
    if (c == '"') {
      return SyntaxError(sql_, start,
                         "double quotes are not identifier quotes in Flink SQL: use `name` for "
                         "identifiers and 'text' for strings");
    }
    return Symbol(start);
  }

  Result<Token> Number(size_t start) {
    TokenKind kind = TokenKind::kInteger;
    while (IsDigit(Peek())) ++pos_;
    if (Peek() == '.' && !(Peek(1) == '.')) {
      kind = TokenKind::kDecimal;
      ++pos_;
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t save = pos_;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (IsDigit(Peek())) {
        kind = TokenKind::kFloat;
        while (IsDigit(Peek())) ++pos_;
      } else {
        pos_ = save;
      }
    }
    if (IsWordStart(static_cast<unsigned char>(Peek()))) {
      return SyntaxError(sql_, pos_, "expected a space or an operator after a number");
    }
    return Make(kind, start, std::string(sql_.substr(start, pos_ - start)));
  }

  Result<Token> Quoted(size_t start, char quote, TokenKind kind, const char* what) {
    std::string text;
    ++pos_;
    while (true) {
      if (pos_ >= sql_.size()) {
        return SyntaxError(sql_, start, fmt::format("unterminated {}: expected a closing {}",
                                                    what, quote));
      }
      char c = sql_[pos_++];
      if (c == quote) {
        if (Peek() != quote) break;
        ++pos_;
      }
      text += c;
    }
    return Make(kind, start, std::move(text));
  }

  Result<Token> Symbol(size_t start) {
    static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "||", "=>"};
    for (std::string_view two : kTwo) {
      if (sql_.substr(pos_, 2) == two) {
        pos_ += 2;
        return Make(TokenKind::kSymbol, start, std::string(two == "!=" ? "<>" : two));
      }
    }
    static constexpr std::string_view kOne = "(),;.*+-/%=<>[]";
    char c = sql_[pos_];
    if (kOne.find(c) == std::string_view::npos) {
      return SyntaxError(sql_, start, fmt::format("unexpected character '{}'", c));
    }
    ++pos_;
    return Make(TokenKind::kSymbol, start, std::string(1, c));
  }

  std::string_view sql_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view sql) { return Lexer(sql).Run(); }

std::string Describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd: return "end of input";
    case TokenKind::kString: return "'" + token.text + "'";
    case TokenKind::kQuotedWord: return "`" + token.text + "`";
    default: return "'" + token.text + "'";
  }
}

}  // namespace kappa::sql
