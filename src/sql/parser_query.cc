// Queries: WITH, SELECT, UNION ALL, ORDER BY, LIMIT/OFFSET, FROM clauses
// (tables with time travel, subqueries, joins, window TVFs).
#include "sql/parser.h"

namespace kappa::sql {

Result<ast::QueryPtr> Parser::Query() {
  if (++depth_ > 200) return ErrorAt(Cur().offset, "the query is nested too deeply");
  size_t start = Cur().offset;
  std::vector<ast::With> with;
  if (AcceptWord("WITH")) {
    if (IsWord("RECURSIVE")) return UnsupportedHere("WITH RECURSIVE");
    do {
      ast::With w;
      w.pos = Cur().offset;
      ASSIGN_OR_RETURN(w.name, Identifier("a name for the WITH query"));
      if (IsSymbol("(")) return UnsupportedHere("column lists in WITH");
      RETURN_IF_ERROR(ExpectWord("AS"));
      RETURN_IF_ERROR(ExpectSymbol("("));
      ASSIGN_OR_RETURN(w.query, Query());
      RETURN_IF_ERROR(ExpectSymbol(")"));
      with.push_back(std::move(w));
    } while (AcceptSymbol(","));
  }
  ASSIGN_OR_RETURN(ast::QueryPtr query, QueryBody());
  if (!with.empty()) {
    // WITH applies to the whole query, including its ORDER BY and LIMIT.
    auto outer = std::make_shared<ast::Query>();
    outer->with = std::move(with);
    outer->left = query;
    query = outer;
  }
  if (IsWord("ORDER")) {
    ASSIGN_OR_RETURN(query->order_by, OrderBy());
  }
  RETURN_IF_ERROR(LimitOffset(query.get()));
  query->pos = start;
  query->end = PrevEnd();
  --depth_;
  return query;
}

Result<ast::QueryPtr> Parser::QueryBody() {
  ASSIGN_OR_RETURN(ast::QueryPtr left, QueryTerm());
  int terms = 1;
  while (IsWord("UNION") || IsWord("INTERSECT") || IsWord("EXCEPT") || IsWord("MINUS")) {
    if (!IsWord("UNION")) return UnsupportedHere(Cur().text);
    Advance();
    if (!AcceptWord("ALL")) {
      return UnsupportedHere("UNION without ALL (write UNION ALL, or SELECT DISTINCT over it)");
    }
    if (++terms > kMaxChain) return ErrorAt(Cur().offset, "too many UNION ALL terms");
    ASSIGN_OR_RETURN(ast::QueryPtr right, QueryTerm());
    auto u = std::make_shared<ast::Query>();
    u->pos = left->pos;
    u->left = left;
    u->right = right;
    left = u;
  }
  return left;
}

Result<ast::QueryPtr> Parser::QueryTerm() {
  if (AcceptSymbol("(")) {
    ASSIGN_OR_RETURN(ast::QueryPtr inner, Query());
    RETURN_IF_ERROR(ExpectSymbol(")"));
    return inner;
  }
  if (IsWord("VALUES")) return UnsupportedHere("VALUES (use SELECT without FROM)");
  if (!IsWord("SELECT")) return Expected("SELECT");
  auto query = std::make_shared<ast::Query>();
  query->pos = Cur().offset;
  ASSIGN_OR_RETURN(query->select, Select());
  query->end = PrevEnd();
  return query;
}

Result<std::shared_ptr<ast::Select>> Parser::Select() {
  auto select = std::make_shared<ast::Select>();
  select->pos = Cur().offset;
  Advance();  // SELECT
  if (AcceptWord("DISTINCT")) {
    select->distinct = true;
  } else {
    AcceptWord("ALL");
  }
  RETURN_IF_ERROR(SelectList(select.get()));
  if (AcceptWord("FROM")) {
    ASSIGN_OR_RETURN(select->from, From());
  }
  if (AcceptWord("WHERE")) {
    ASSIGN_OR_RETURN(select->where, Expression());
  }
  if (IsWord("GROUP")) {
    ASSIGN_OR_RETURN(select->group_by, GroupBy());
  }
  if (AcceptWord("HAVING")) {
    ASSIGN_OR_RETURN(select->having, Expression());
  }
  if (IsWord("WINDOW")) return UnsupportedHere("WINDOW clause");
  if (IsWord("QUALIFY")) return UnsupportedHere("QUALIFY");
  return select;
}

Status Parser::SelectList(ast::Select* select) {
  do {
    ast::SelectItem item;
    size_t start = Cur().offset;
    if (IsSymbol("*")) {
      Advance();
      auto star = std::make_shared<ast::Expr>();
      star->kind = ast::ExprKind::kStar;
      item.expr = Finish(star, start);
    } else {
      if (IsWord("FROM")) return Expected("a select item");
      ASSIGN_OR_RETURN(item.expr, Expression());
      if (AcceptWord("AS")) {
        ASSIGN_OR_RETURN(item.alias, Identifier("an alias"));
      } else if (IsIdentifier()) {
        item.alias = Cur().text;
        Advance();
      }
    }
    select->items.push_back(std::move(item));
  } while (AcceptSymbol(","));
  return OkStatus();
}

Result<std::vector<ast::ExprPtr>> Parser::GroupBy() {
  Advance();  // GROUP
  RETURN_IF_ERROR(ExpectWord("BY"));
  std::vector<ast::ExprPtr> out;
  do {
    for (std::string_view word : {"GROUPING", "ROLLUP", "CUBE"}) {
      if (IsWord(word)) return UnsupportedHere(fmt::format("GROUP BY {}", word));
    }
    size_t start = Cur().offset;
    ASSIGN_OR_RETURN(ast::ExprPtr e, Expression());
    if (e->kind == ast::ExprKind::kCall &&
        (e->op == "TUMBLE" || e->op == "HOP" || e->op == "SESSION" || e->op == "CUMULATE")) {
      return Unsupported(sql_, start,
                         fmt::format("group window function {} in GROUP BY (use the window "
                                     "TVF: FROM TABLE({}(TABLE t, DESCRIPTOR(ts), ...)) GROUP BY "
                                     "window_start, window_end)", e->op, e->op));
    }
    out.push_back(std::move(e));
  } while (AcceptSymbol(","));
  return out;
}

Result<std::vector<ast::OrderItem>> Parser::OrderBy() {
  Advance();  // ORDER
  RETURN_IF_ERROR(ExpectWord("BY"));
  std::vector<ast::OrderItem> out;
  do {
    ast::OrderItem item;
    ASSIGN_OR_RETURN(item.expr, Expression());
    if (AcceptWord("DESC")) {
      item.ascending = false;
    } else {
      AcceptWord("ASC");
    }
    if (AcceptWord("NULLS")) {
      if (AcceptWord("FIRST")) {
        item.nulls_first = true;
      } else if (AcceptWord("LAST")) {
        item.nulls_first = false;
      } else {
        return Expected("FIRST or LAST");
      }
    }
    out.push_back(std::move(item));
  } while (AcceptSymbol(","));
  return out;
}

Status Parser::LimitOffset(ast::Query* query) {
  auto count = [this](const char* what) -> Result<int64_t> {
    if (Cur().kind != TokenKind::kInteger || Cur().text.size() > 18) return Expected(what);
    int64_t n = std::stoll(Cur().text);
    Advance();
    return n;
  };
  if (IsWord("LIMIT")) {
    query->limit_pos = Cur().offset;
    Advance();
    ASSIGN_OR_RETURN(query->limit, count("a row count"));
  }
  if (AcceptWord("OFFSET")) {
    ASSIGN_OR_RETURN(query->offset, count("a row count"));
    if (!AcceptWord("ROWS")) AcceptWord("ROW");
  }
  if (IsWord("FETCH")) {
    query->limit_pos = Cur().offset;
    Advance();
    if (!AcceptWord("FIRST")) RETURN_IF_ERROR(ExpectWord("NEXT"));
    ASSIGN_OR_RETURN(query->limit, count("a row count"));
    if (!AcceptWord("ROWS")) RETURN_IF_ERROR(ExpectWord("ROW"));
    RETURN_IF_ERROR(ExpectWord("ONLY"));
  }
  return OkStatus();
}

Result<ast::TableRefPtr> Parser::From() {
  ASSIGN_OR_RETURN(ast::TableRefPtr left, JoinedTable());
  int tables = 1;
  while (AcceptSymbol(",")) {
    if (++tables > kMaxChain) return ErrorAt(Cur().offset, "too many tables in FROM");
    size_t pos = Cur().offset;
    ASSIGN_OR_RETURN(ast::TableRefPtr right, JoinedTable());
    auto join = std::make_shared<ast::TableRef>();
    join->kind = ast::TableRefKind::kJoin;
    join->pos = pos;
    join->comma = true;
    join->left = left;
    join->right = right;
    left = join;
  }
  return left;
}

bool Parser::IsJoinStart() const {
  return IsWord("JOIN") || IsWord("INNER") || IsWord("LEFT") || IsWord("RIGHT") ||
         IsWord("FULL") || IsWord("CROSS") || IsWord("NATURAL");
}

Result<ast::TableRefPtr> Parser::JoinedTable() {
  ASSIGN_OR_RETURN(ast::TableRefPtr left, TableFactor());
  int tables = 1;
  while (IsJoinStart()) {
    if (++tables > kMaxChain) return ErrorAt(Cur().offset, "too many joined tables");
    size_t pos = Cur().offset;
    if (IsWord("NATURAL")) return UnsupportedHere("NATURAL JOIN (write JOIN ... ON)");
    auto join = std::make_shared<ast::TableRef>();
    join->kind = ast::TableRefKind::kJoin;
    join->pos = pos;
    if (AcceptWord("CROSS")) {
      join->comma = true;
    } else if (AcceptWord("LEFT")) {
      join->join = JoinKind::kLeft;
      AcceptWord("OUTER");
    } else if (AcceptWord("RIGHT")) {
      join->join = JoinKind::kRight;
      AcceptWord("OUTER");
    } else if (AcceptWord("FULL")) {
      join->join = JoinKind::kFull;
      AcceptWord("OUTER");
    } else {
      AcceptWord("INNER");
    }
    RETURN_IF_ERROR(ExpectWord("JOIN"));
    if (IsWord("LATERAL")) return UnsupportedHere("LATERAL");
    ASSIGN_OR_RETURN(join->right, TableFactor());
    join->left = left;
    if (!join->comma) {
      if (IsWord("USING")) return UnsupportedHere("JOIN ... USING (write ON a.c = b.c)");
      if (!AcceptWord("ON")) return Expected("ON and a join condition");
      ASSIGN_OR_RETURN(join->on, Expression());
    }
    left = join;
  }
  return left;
}

Result<ast::TableRefPtr> Parser::TableFactor() {
  size_t start = Cur().offset;
  if (IsWord("LATERAL")) return UnsupportedHere("LATERAL");
  if (IsWord("UNNEST")) return UnsupportedHere("UNNEST");
  if (AcceptSymbol("(")) {
    if (!IsWord("SELECT") && !IsWord("WITH") && !IsSymbol("(") && !IsWord("VALUES")) {
      return UnsupportedHere("parenthesized joins (write the joins without parentheses)");
    }
    auto ref = std::make_shared<ast::TableRef>();
    ref->kind = ast::TableRefKind::kSubquery;
    ref->pos = start;
    ASSIGN_OR_RETURN(ref->query, Query());
    RETURN_IF_ERROR(ExpectSymbol(")"));
    RETURN_IF_ERROR(Alias(ref.get()));
    return ref;
  }
  if (AcceptWord("TABLE")) {
    ASSIGN_OR_RETURN(ast::TableRefPtr ref, WindowTable(start));
    RETURN_IF_ERROR(Alias(ref.get()));
    return ref;
  }
  return NamedTable();
}

Result<ast::TableRefPtr> Parser::NamedTable() {
  auto ref = std::make_shared<ast::TableRef>();
  ref->kind = ast::TableRefKind::kTable;
  ref->pos = Cur().offset;
  ASSIGN_OR_RETURN(ref->name, QualifiedName("a table name"));
  if (IsSymbol("(")) return UnsupportedHere("table functions");
  if (AcceptWord("FOR")) {
    if (AcceptWord("SYSTEM_TIME")) {
      RETURN_IF_ERROR(ExpectWord("AS"));
      RETURN_IF_ERROR(ExpectWord("OF"));
      ASSIGN_OR_RETURN(ref->as_of, Additive());
    } else if (AcceptWord("VERSION")) {
      RETURN_IF_ERROR(ExpectWord("AS"));
      RETURN_IF_ERROR(ExpectWord("OF"));
      if (Cur().kind != TokenKind::kInteger || Cur().text.size() > 18) {
        return Expected("a snapshot id");
      }
      ref->version = std::stoll(Cur().text);
      Advance();
    } else {
      return Expected("SYSTEM_TIME or VERSION");
    }
  }
  RETURN_IF_ERROR(Alias(ref.get()));
  if (IsWord("MATCH_RECOGNIZE")) return UnsupportedHere("MATCH_RECOGNIZE");
  return ref;
}

Status Parser::Alias(ast::TableRef* ref) {
  if (IsWord("MATCH_RECOGNIZE")) return UnsupportedHere("MATCH_RECOGNIZE");
  if (AcceptWord("AS")) {
    ASSIGN_OR_RETURN(ref->alias, Identifier("an alias"));
  } else if (IsIdentifier()) {
    ref->alias = Cur().text;
    Advance();
  }
  if (!ref->alias.empty() && IsSymbol("(")) {
    return UnsupportedHere("column aliases after a table alias");
  }
  return OkStatus();
}

Result<ast::TableRefPtr> Parser::WindowTable(size_t start) {
  RETURN_IF_ERROR(ExpectSymbol("("));
  auto ref = std::make_shared<ast::TableRef>();
  ref->kind = ast::TableRefKind::kWindow;
  ref->pos = start;
  std::string fn = Cur().kind == TokenKind::kWord ? Cur().text : "";
  for (char& c : fn) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  size_t min_args = 1, max_args = 2;
  if (fn == "TUMBLE") {
    ref->window = WindowKind::kTumble;
  } else if (fn == "HOP") {
    ref->window = WindowKind::kHop;
    min_args = 2;
    max_args = 3;
  } else if (fn == "CUMULATE") {
    ref->window = WindowKind::kCumulate;
    min_args = 2;
    max_args = 3;
  } else if (fn == "SESSION") {
    ref->window = WindowKind::kSession;
    max_args = 1;
  } else if (Cur().kind == TokenKind::kWord) {
    return UnsupportedHere(fmt::format("table function {} (window TVFs are TUMBLE, HOP, "
                                       "CUMULATE and SESSION)", Cur().text));
  } else {
    return Expected("a window function (TUMBLE, HOP, CUMULATE or SESSION)");
  }
  Advance();
  RETURN_IF_ERROR(ExpectSymbol("("));
  if (IsWord("DATA") && IsSymbol("=>", 1)) return UnsupportedHere("named arguments (=>)");
  ASSIGN_OR_RETURN(ref->input, WindowInput());
  if (AcceptWord("PARTITION")) {
    if (ref->window != WindowKind::kSession) {
      return ErrorAt(Prev().offset, "PARTITION BY is only allowed in SESSION windows");
    }
    RETURN_IF_ERROR(ExpectWord("BY"));
    while (true) {
      ASSIGN_OR_RETURN(ast::ExprPtr key, Additive());
      ref->window_partition.push_back(std::move(key));
      if (!IsSymbol(",") || IsWord("DESCRIPTOR", 1)) break;
      Advance();
    }
  }
  RETURN_IF_ERROR(ExpectSymbol(","));
  RETURN_IF_ERROR(ExpectWord("DESCRIPTOR"));
  RETURN_IF_ERROR(ExpectSymbol("("));
  ref->descriptor_pos = Cur().offset;
  ASSIGN_OR_RETURN(ref->descriptor, Identifier("a time column"));
  RETURN_IF_ERROR(ExpectSymbol(")"));
  while (AcceptSymbol(",")) {
    ASSIGN_OR_RETURN(ast::ExprPtr arg, Expression());
    ref->window_args.push_back(std::move(arg));
  }
  if (ref->window_args.size() < min_args || ref->window_args.size() > max_args) {
    std::string shape = ref->window == WindowKind::kTumble ? "size[, offset]"
                        : ref->window == WindowKind::kHop  ? "slide, size[, offset]"
                        : ref->window == WindowKind::kCumulate ? "step, size[, offset]"
                                                               : "gap";
    return ErrorAt(Cur().offset, fmt::format("{} takes TABLE t, DESCRIPTOR(col), {}; found {} "
                                             "interval argument(s)", fn, shape,
                                             ref->window_args.size()));
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return ref;
}

Result<ast::TableRefPtr> Parser::WindowInput() {
  size_t start = Cur().offset;
  if (AcceptWord("TABLE")) {
    auto ref = std::make_shared<ast::TableRef>();
    ref->kind = ast::TableRefKind::kTable;
    ref->pos = Cur().offset;
    ASSIGN_OR_RETURN(ref->name, QualifiedName("a table name"));
    return ref;
  }
  if (AcceptSymbol("(")) {
    auto ref = std::make_shared<ast::TableRef>();
    ref->kind = ast::TableRefKind::kSubquery;
    ref->pos = start;
    ASSIGN_OR_RETURN(ref->query, Query());
    RETURN_IF_ERROR(ExpectSymbol(")"));
    return ref;
  }
  return Expected("TABLE and a table name");
}

}  // namespace kappa::sql
