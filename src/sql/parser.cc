#include "sql/parser.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "sql/source_error.h"

namespace kappa::sql {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool IsReservedWord(std::string_view word) {
  static constexpr std::array<std::string_view, 62> kReserved = {
      "ALL",      "AND",       "AS",        "BETWEEN",   "BY",         "CASE",    "CREATE",
      "CROSS",    "DESCRIPTOR", "DISTINCT", "DROP",      "ELSE",       "END",     "ESCAPE",
      "EXCEPT",   "EXISTS",    "EXPLAIN",   "FALSE",     "FETCH",      "FOR",     "FROM",
      "FULL",     "GROUP",     "HAVING",    "IN",        "INNER",      "INSERT",  "INTERSECT",
      "INTO",     "IS",        "JOIN",      "LATERAL",   "LEFT",       "LIKE",    "LIMIT",
      "MATCH_RECOGNIZE", "MINUS", "NATURAL", "NOT",      "NULL",       "OFFSET",  "ON",
      "OR",       "ORDER",     "OUTER",     "OVER",      "PARTITION",  "QUALIFY", "RIGHT",
      "SELECT",   "SET",       "TABLE",     "THEN",      "TRUE",       "UNION",   "USING",
      "VALUES",   "WHEN",      "WHERE",     "WINDOW",    "WITH",       "UNNEST"};
  return std::any_of(kReserved.begin(), kReserved.end(),
                     [&](std::string_view r) { return EqualsIgnoreCase(r, word); });
}

Result<std::vector<ast::Statement>> ParseScript(std::string_view sql) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(sql));
  Parser parser(sql, std::move(tokens));
  return parser.Script();
}

Parser::Parser(std::string_view sql, std::vector<Token> tokens)
    : sql_(sql), tokens_(std::move(tokens)) {}

const Token& Parser::Peek(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

bool Parser::IsWord(std::string_view word, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kWord && EqualsIgnoreCase(t.text, word);
}

bool Parser::AcceptWord(std::string_view word) {
  if (!IsWord(word)) return false;
  Advance();
  return true;
}

Status Parser::ExpectWord(std::string_view word) {
  if (AcceptWord(word)) return OkStatus();
  return Expected(fmt::format("'{}'", word));
}

bool Parser::IsSymbol(std::string_view symbol, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kSymbol && t.text == symbol;
}

bool Parser::AcceptSymbol(std::string_view symbol) {
  if (!IsSymbol(symbol)) return false;
  Advance();
  return true;
}

Status Parser::ExpectSymbol(std::string_view symbol) {
  if (AcceptSymbol(symbol)) return OkStatus();
  return Expected(fmt::format("'{}'", symbol));
}

bool Parser::IsIdentifier(size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kQuotedWord ||
         (t.kind == TokenKind::kWord && !IsReservedWord(t.text));
}

Result<std::string> Parser::Identifier(const char* what) {
  if (!IsIdentifier()) return Expected(what);
  std::string name = Cur().text;
  Advance();
  return name;
}

Status Parser::Expected(std::string_view what) const {
  std::string message = pos_ == 0 ? fmt::format("expected {}, found {}", what, Describe(Cur()))
                                  : fmt::format("expected {} after {}, found {}", what,
                                                Describe(Prev()), Describe(Cur()));
  return ErrorAt(Cur().offset, message);
}

Status Parser::UnsupportedHere(std::string_view feature) const {
  return Unsupported(sql_, Cur().offset, feature);
}

Status Parser::ErrorAt(size_t offset, std::string_view message) const {
  return SyntaxError(sql_, offset, message);
}

Status Parser::CheckHeight(const ast::Expr& e) const {
  if (e.height <= kMaxExpressionHeight) return OkStatus();
  return ErrorAt(e.pos, "the expression is nested too deeply");
}

size_t Parser::PrevEnd() const { return Prev().offset + Prev().length; }

ast::ExprPtr Parser::Finish(ast::ExprPtr e, size_t start) const {
  int height = 0;
  for (const ast::ExprPtr& a : e->args) height = std::max(height, a ? a->height : 0);
  for (const auto& [w, t] : e->whens) height = std::max({height, w->height, t->height});
  for (const ast::ExprPtr& x : {e->operand, e->else_expr, e->filter}) {
    if (x) height = std::max(height, x->height);
  }
  e->height = height + 1;
  e->pos = start;
  e->end = std::max(PrevEnd(), start);
  return e;
}

Result<std::vector<ast::Statement>> Parser::Script() {
  std::vector<ast::Statement> out;
  while (true) {
    while (AcceptSymbol(";")) {
    }
    if (Cur().kind == TokenKind::kEnd) break;
    ASSIGN_OR_RETURN(ast::Statement statement, Statement());
    statement.end = PrevEnd();
    out.push_back(std::move(statement));
    if (Cur().kind != TokenKind::kEnd && !IsSymbol(";")) {
      return Expected("';' or the end of the statement");
    }
  }
  return out;
}

}  // namespace kappa::sql
