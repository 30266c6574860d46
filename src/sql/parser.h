// The recursive-descent parser for Kappa's subset of the Flink SQL dialect.
// ParseScript turns a whole file (statements separated by ';') into ASTs;
// the first error stops it and names the line, column and what was expected.
// A feature outside the subset is refused by name ("unsupported: ...").
// The Parser object is used by one thread for one parse; `sql` must outlive it
// and the returned ASTs hold no reference into it.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "sql/ast.h"
#include "sql/lexer.h"
#include "sql/source_error.h"

namespace kappa::sql {

Result<std::vector<ast::Statement>> ParseScript(std::string_view sql);

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens);

  Result<std::vector<ast::Statement>> Script();

 private:
  // Statements (parser_statement.cc).
  Result<ast::Statement> Statement();
  Result<ast::Statement> Create(size_t start);
  Result<std::shared_ptr<ast::CreateTable>> CreateTable();
  Status TableElement(ast::CreateTable* table);
  Status ColumnDefinition(ast::CreateTable* table);
  Status TableOptions(ast::CreateTable* table);
  Result<std::shared_ptr<ast::CreateView>> CreateView();
  Result<std::shared_ptr<ast::Insert>> Insert();
  Result<ast::Statement> Set(size_t start);
  Result<ast::Statement> Drop(size_t start);
  Result<std::vector<std::string>> ParenthesizedNames(const char* what);
  Result<std::string> QualifiedName(const char* what);

  // Types (parser_type.cc).
  Result<columnar::DataType> Type();
  Result<columnar::DataType> RowType();
  Result<std::pair<int, int>> Precision(int default_p, int default_s, bool allow_scale);

  // Queries (parser_query.cc).
  Result<ast::QueryPtr> Query();
  Result<ast::QueryPtr> QueryBody();
  Result<ast::QueryPtr> QueryTerm();
  Result<std::shared_ptr<ast::Select>> Select();
  Status SelectList(ast::Select* select);
  Result<std::vector<ast::ExprPtr>> GroupBy();
  Result<std::vector<ast::OrderItem>> OrderBy();
  Status LimitOffset(ast::Query* query);
  Result<ast::TableRefPtr> From();
  Result<ast::TableRefPtr> JoinedTable();
  Result<ast::TableRefPtr> TableFactor();
  Result<ast::TableRefPtr> NamedTable();
  Result<ast::TableRefPtr> WindowTable(size_t start);
  Result<ast::TableRefPtr> WindowInput();
  Status Alias(ast::TableRef* ref);
  bool IsJoinStart() const;

  // Expressions (parser_expr.cc, parser_primary.cc).
 public:
  Result<ast::ExprPtr> Expression();

 private:
  Result<ast::ExprPtr> Or();
  Result<ast::ExprPtr> And();
  Result<ast::ExprPtr> Not();
  Result<ast::ExprPtr> Predicate();
  Result<ast::ExprPtr> PredicateTail(ast::ExprPtr left, size_t start);
  Result<ast::ExprPtr> Concat();
  Result<ast::ExprPtr> Additive();
  Result<ast::ExprPtr> Multiplicative();
  Result<ast::ExprPtr> Unary();
  Result<ast::ExprPtr> Primary();
  Result<ast::ExprPtr> Literal();
  Result<ast::ExprPtr> TypedLiteral(ast::LiteralKind kind);
  Result<ast::ExprPtr> Interval();
  Result<ast::ExprPtr> Case();
  Result<ast::ExprPtr> Cast(bool try_cast);
  Result<ast::ExprPtr> Extract();
  Result<ast::ExprPtr> Substring();
  Result<ast::ExprPtr> Trim();
  Result<ast::ExprPtr> Position();
  Result<ast::ExprPtr> FloorCeil(const std::string& name);
  Result<ast::ExprPtr> NameOrCall();
  Result<ast::ExprPtr> Call(std::string name, size_t start);
  Result<ast::ExprPtr> Over(ast::ExprPtr call);
  Result<std::string> TimeUnit(const char* what);
  Result<ast::ExprPtr> Parenthesized();
  ast::ExprPtr Finish(ast::ExprPtr e, size_t start) const;
  ast::ExprPtr UnitLiteral(const std::string& unit, size_t pos) const;

  // Token helpers (parser.cc).
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Peek(size_t ahead) const;
  const Token& Prev() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }
  void Advance() { if (Cur().kind != TokenKind::kEnd) ++pos_; }
  bool IsWord(std::string_view word, size_t ahead = 0) const;
  bool AcceptWord(std::string_view word);
  Status ExpectWord(std::string_view word);
  bool IsSymbol(std::string_view symbol, size_t ahead = 0) const;
  bool AcceptSymbol(std::string_view symbol);
  Status ExpectSymbol(std::string_view symbol);
  bool IsIdentifier(size_t ahead = 0) const;
  Result<std::string> Identifier(const char* what);
  Status Expected(std::string_view what) const;
  Status UnsupportedHere(std::string_view feature) const;
  Status ErrorAt(size_t offset, std::string_view message) const;
  Status CheckHeight(const ast::Expr& e) const;
  static constexpr int kMaxExpressionHeight = 1000;
  static constexpr int kMaxChain = 1000;  // UNION ALL terms, joined tables
  size_t PrevEnd() const;

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;  // nesting, bounded so hostile input cannot overflow the stack
};

// Whether `word` is reserved: it cannot be a bare identifier or alias.
bool IsReservedWord(std::string_view word);

}  // namespace kappa::sql
