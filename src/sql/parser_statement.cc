// Statements: CREATE TABLE / VIEW, INSERT INTO, SET, EXPLAIN, DROP, queries.
#include <algorithm>
#include <cctype>

#include "sql/parser.h"

namespace kappa::sql {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Result<ast::Statement> Parser::Statement() {
  size_t start = Cur().offset;
  if (IsWord("SELECT") || IsWord("WITH") || IsSymbol("(") || IsWord("VALUES")) {
    ast::Statement s;
    s.kind = ast::StatementKind::kQuery;
    s.pos = start;
    ASSIGN_OR_RETURN(s.query, Query());
    return s;
  }
  if (IsWord("CREATE")) return Create(start);
  if (IsWord("INSERT")) {
    ast::Statement s;
    s.kind = ast::StatementKind::kInsert;
    s.pos = start;
    ASSIGN_OR_RETURN(s.insert, Insert());
    return s;
  }
  if (AcceptWord("SET")) return Set(start);
  if (AcceptWord("DROP")) return Drop(start);
  if (AcceptWord("EXPLAIN")) {
    if (AcceptWord("PLAN")) RETURN_IF_ERROR(ExpectWord("FOR"));
    ast::Statement s;
    s.kind = ast::StatementKind::kExplain;
    s.pos = start;
    if (IsWord("EXPLAIN")) return UnsupportedHere("EXPLAIN EXPLAIN");
    ASSIGN_OR_RETURN(ast::Statement inner, Statement());
    s.explained = std::make_shared<ast::Statement>(std::move(inner));
    return s;
  }
  for (std::string_view word : {"ALTER", "DELETE", "UPDATE", "USE", "SHOW", "DESCRIBE", "DESC",
                                "RESET", "LOAD", "UNLOAD", "ADD", "EXECUTE", "BEGIN", "MERGE",
                                "TRUNCATE", "CALL", "ANALYZE"}) {
    if (IsWord(word)) return UnsupportedHere(fmt::format("{} statements", word));
  }
  return Expected("a statement (SELECT, INSERT, CREATE, SET, EXPLAIN or DROP)");
}

Result<ast::Statement> Parser::Create(size_t start) {
  Advance();  // CREATE
  if (IsWord("OR") && IsWord("REPLACE", 1)) return UnsupportedHere("CREATE OR REPLACE");
  AcceptWord("TEMPORARY");
  ast::Statement s;
  s.pos = start;
  if (AcceptWord("TABLE")) {
    s.kind = ast::StatementKind::kCreateTable;
    ASSIGN_OR_RETURN(s.create_table, CreateTable());
    return s;
  }
  if (AcceptWord("VIEW")) {
    s.kind = ast::StatementKind::kCreateView;
    ASSIGN_OR_RETURN(s.create_view, CreateView());
    return s;
  }
  for (std::string_view word : {"FUNCTION", "CATALOG", "DATABASE", "SYSTEM", "MODEL"}) {
    if (IsWord(word)) return UnsupportedHere(fmt::format("CREATE {}", word));
  }
  return Expected("TABLE or VIEW");
}

Result<std::string> Parser::QualifiedName(const char* what) {
  ASSIGN_OR_RETURN(std::string name, Identifier(what));
  while (IsSymbol(".") && IsIdentifier(1)) {
    Advance();
    name += "." + Cur().text;
    Advance();
  }
  return name;
}

Result<std::vector<std::string>> Parser::ParenthesizedNames(const char* what) {
  RETURN_IF_ERROR(ExpectSymbol("("));
  std::vector<std::string> names;
  do {
    ASSIGN_OR_RETURN(std::string name, Identifier(what));
    names.push_back(std::move(name));
  } while (AcceptSymbol(","));
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return names;
}

Result<std::shared_ptr<ast::CreateTable>> Parser::CreateTable() {
  auto table = std::make_shared<ast::CreateTable>();
  if (AcceptWord("IF")) {
    RETURN_IF_ERROR(ExpectWord("NOT"));
    RETURN_IF_ERROR(ExpectWord("EXISTS"));
    table->if_not_exists = true;
  }
  ASSIGN_OR_RETURN(table->name, QualifiedName("a table name"));
  if (AcceptSymbol("(")) {
    do {
      RETURN_IF_ERROR(TableElement(table.get()));
    } while (AcceptSymbol(","));
    RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  RETURN_IF_ERROR(TableOptions(table.get()));
  if (AcceptWord("AS")) {
    if (!table->columns.empty()) {
      return ErrorAt(Prev().offset, "CREATE TABLE ... AS SELECT takes no column list");
    }
    ASSIGN_OR_RETURN(table->as_query, Query());
  } else if (table->columns.empty()) {
    return Expected("'(' and the column list");
  }
  return table;
}

Status Parser::TableOptions(ast::CreateTable* table) {
  if (AcceptWord("COMMENT")) {
    if (Cur().kind != TokenKind::kString) return Expected("a string");
    Advance();
  }
  if (AcceptWord("PARTITIONED")) {
    RETURN_IF_ERROR(ExpectWord("BY"));
    ASSIGN_OR_RETURN(table->partitioned_by, ParenthesizedNames("a column name"));
  }
  if (IsWord("LIKE")) return UnsupportedHere("CREATE TABLE ... LIKE");
  if (!AcceptWord("WITH")) return OkStatus();
  RETURN_IF_ERROR(ExpectSymbol("("));
  if (AcceptSymbol(")")) return OkStatus();
  do {
    if (Cur().kind != TokenKind::kString) return Expected("an option key in quotes ('key')");
    std::string key = Lower(Cur().text);
    size_t key_pos = Cur().offset;
    Advance();
    RETURN_IF_ERROR(ExpectSymbol("="));
    if (Cur().kind != TokenKind::kString) return Expected("an option value in quotes ('value')");
    for (const auto& [k, v] : table->options) {
      if (k == key) return ErrorAt(key_pos, fmt::format("option '{}' is given twice", key));
    }
    table->options.emplace_back(key, Cur().text);
    Advance();
  } while (AcceptSymbol(","));
  return ExpectSymbol(")");
}

Status Parser::TableElement(ast::CreateTable* table) {
  if (AcceptWord("WATERMARK")) {
    if (!table->watermark_column.empty()) {
      return ErrorAt(Prev().offset, "a table has at most one WATERMARK");
    }
    RETURN_IF_ERROR(ExpectWord("FOR"));
    table->watermark_pos = Cur().offset;
    ASSIGN_OR_RETURN(table->watermark_column, Identifier("a column name"));
    RETURN_IF_ERROR(ExpectWord("AS"));
    ASSIGN_OR_RETURN(table->watermark, Expression());
    return OkStatus();
  }
  if (AcceptWord("CONSTRAINT")) {
    ASSIGN_OR_RETURN(std::string ignored, Identifier("a constraint name"));
    (void)ignored;
    if (!IsWord("PRIMARY")) return Expected("PRIMARY KEY");
  }
  if (IsWord("PRIMARY") && IsWord("KEY", 1)) {
    if (!table->primary_key.empty()) return ErrorAt(Cur().offset, "a table has one PRIMARY KEY");
    table->primary_key_pos = Cur().offset;
    pos_ += 2;
    ASSIGN_OR_RETURN(table->primary_key, ParenthesizedNames("a column name"));
    if (!AcceptWord("NOT")) {
      return Expected("NOT ENFORCED (Flink does not enforce primary keys)");
    }
    return ExpectWord("ENFORCED");
  }
  if (IsWord("UNIQUE") || IsWord("CHECK") || IsWord("FOREIGN")) {
    return UnsupportedHere(fmt::format("{} constraints", Cur().text));
  }
  return ColumnDefinition(table);
}

Status Parser::ColumnDefinition(ast::CreateTable* table) {
  ast::ColumnDef column;
  column.pos = Cur().offset;
  ASSIGN_OR_RETURN(column.name, Identifier("a column definition"));
  for (const ast::ColumnDef& c : table->columns) {
    if (c.name == column.name) {
      return ErrorAt(column.pos, fmt::format("column '{}' is defined twice", column.name));
    }
  }
  if (AcceptWord("AS")) {
    ASSIGN_OR_RETURN(column.computed, Expression());
  } else {
    ASSIGN_OR_RETURN(column.type, Type());
    if (AcceptWord("NOT")) {
      RETURN_IF_ERROR(ExpectWord("NULL"));
      column.not_null = true;
    } else {
      AcceptWord("NULL");
    }
    if (IsWord("METADATA")) return UnsupportedHere("METADATA columns");
    if (IsWord("PRIMARY") && IsWord("KEY", 1)) {
      if (!table->primary_key.empty()) {
        return ErrorAt(Cur().offset, "a table has one PRIMARY KEY");
      }
      table->primary_key_pos = Cur().offset;
      pos_ += 2;
      if (!AcceptWord("NOT")) return Expected("NOT ENFORCED (Flink does not enforce primary keys)");
      RETURN_IF_ERROR(ExpectWord("ENFORCED"));
      table->primary_key = {column.name};
    }
  }
  if (AcceptWord("COMMENT")) {
    if (Cur().kind != TokenKind::kString) return Expected("a string");
    Advance();
  }
  table->columns.push_back(std::move(column));
  return OkStatus();
}

Result<std::shared_ptr<ast::CreateView>> Parser::CreateView() {
  auto view = std::make_shared<ast::CreateView>();
  if (AcceptWord("IF")) {
    RETURN_IF_ERROR(ExpectWord("NOT"));
    RETURN_IF_ERROR(ExpectWord("EXISTS"));
    view->if_not_exists = true;
  }
  ASSIGN_OR_RETURN(view->name, QualifiedName("a view name"));
  if (IsSymbol("(")) {
    ASSIGN_OR_RETURN(view->columns, ParenthesizedNames("a column name"));
  }
  RETURN_IF_ERROR(ExpectWord("AS"));
  ASSIGN_OR_RETURN(view->query, Query());
  return view;
}

Result<std::shared_ptr<ast::Insert>> Parser::Insert() {
  Advance();  // INSERT
  if (IsWord("OVERWRITE")) return UnsupportedHere("INSERT OVERWRITE");
  RETURN_IF_ERROR(ExpectWord("INTO"));
  auto insert = std::make_shared<ast::Insert>();
  insert->target_pos = Cur().offset;
  ASSIGN_OR_RETURN(insert->target, QualifiedName("a table name"));
  if (IsWord("PARTITION")) return UnsupportedHere("INSERT ... PARTITION");
  if (AcceptSymbol("(")) {
    do {
      size_t pos = Cur().offset;
      ASSIGN_OR_RETURN(std::string name, Identifier("a column name"));
      insert->columns.emplace_back(std::move(name), pos);
    } while (AcceptSymbol(","));
    RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  if (!IsWord("SELECT") && !IsWord("WITH") && !IsSymbol("(") && !IsWord("VALUES")) {
    return Expected("a query (SELECT ...)");
  }
  ASSIGN_OR_RETURN(insert->query, Query());
  return insert;
}

Result<ast::Statement> Parser::Set(size_t start) {
  ast::Statement s;
  s.kind = ast::StatementKind::kSet;
  s.pos = start;
  auto text = [this](const char* what) -> Result<std::string> {
    if (Cur().kind == TokenKind::kString) {
      std::string t = Cur().text;
      Advance();
      return t;
    }
    return Expected(what);
  };
  ASSIGN_OR_RETURN(s.key, text("a key in quotes ('key')"));
  RETURN_IF_ERROR(ExpectSymbol("="));
  ASSIGN_OR_RETURN(s.value, text("a value in quotes ('value')"));
  return s;
}

Result<ast::Statement> Parser::Drop(size_t start) {
  ast::Statement s;
  s.kind = ast::StatementKind::kDrop;
  s.pos = start;
  AcceptWord("TEMPORARY");
  if (AcceptWord("VIEW")) {
    s.drop_view = true;
  } else if (!AcceptWord("TABLE")) {
    return Expected("TABLE or VIEW");
  }
  if (AcceptWord("IF")) {
    RETURN_IF_ERROR(ExpectWord("EXISTS"));
    s.if_exists = true;
  }
  ASSIGN_OR_RETURN(s.drop_name, QualifiedName(s.drop_view ? "a view name" : "a table name"));
  return s;
}

}  // namespace kappa::sql
