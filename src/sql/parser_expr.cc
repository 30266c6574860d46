// Expression operators by precedence: OR < AND < NOT < predicates
// (comparison, IS, IN, BETWEEN, LIKE) < || < + - < * / % < unary.
#include "sql/parser.h"

namespace kappa::sql {

namespace {

ast::ExprPtr Node(ast::ExprKind kind, std::string op, std::vector<ast::ExprPtr> args) {
  auto e = std::make_shared<ast::Expr>();
  e->kind = kind;
  e->op = std::move(op);
  e->args = std::move(args);
  return e;
}

}  // namespace

Result<ast::ExprPtr> Parser::Expression() {
  if (++depth_ > 200) return ErrorAt(Cur().offset, "the expression is nested too deeply");
  auto result = Or();
  --depth_;
  return result;
}

Result<ast::ExprPtr> Parser::Or() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, And());
  while (AcceptWord("OR")) {
    ASSIGN_OR_RETURN(ast::ExprPtr right, And());
    left = Finish(Node(ast::ExprKind::kBinary, "OR", {left, right}), start);
    RETURN_IF_ERROR(CheckHeight(*left));
  }
  return left;
}

Result<ast::ExprPtr> Parser::And() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, Not());
  while (AcceptWord("AND")) {
    ASSIGN_OR_RETURN(ast::ExprPtr right, Not());
    left = Finish(Node(ast::ExprKind::kBinary, "AND", {left, right}), start);
    RETURN_IF_ERROR(CheckHeight(*left));
  }
  return left;
}

Result<ast::ExprPtr> Parser::Not() {
  size_t start = Cur().offset;
  if (AcceptWord("NOT")) {
    if (++depth_ > 200) return ErrorAt(Cur().offset, "the expression is nested too deeply");
    ASSIGN_OR_RETURN(ast::ExprPtr inner, Not());
    --depth_;
    return Finish(Node(ast::ExprKind::kUnary, "NOT", {inner}), start);
  }
  if (IsWord("EXISTS")) return UnsupportedHere("EXISTS subqueries");
  return Predicate();
}

Result<ast::ExprPtr> Parser::Predicate() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, Concat());
  return PredicateTail(left, start);
}

Result<ast::ExprPtr> Parser::PredicateTail(ast::ExprPtr left, size_t start) {
  for (std::string_view op : {"=", "<>", "<", "<=", ">", ">="}) {
    if (!IsSymbol(op)) continue;
    Advance();
    if (IsWord("ANY") || IsWord("ALL") || IsWord("SOME")) {
      return UnsupportedHere(fmt::format("{} {} (subquery comparisons)", op, Cur().text));
    }
    ASSIGN_OR_RETURN(ast::ExprPtr right, Concat());
    return Finish(Node(ast::ExprKind::kBinary, std::string(op), {left, right}), start);
  }
  if (AcceptWord("IS")) {
    auto e = Node(ast::ExprKind::kIsTest, "", {left});
    e->negated = AcceptWord("NOT");
    if (AcceptWord("NULL") || AcceptWord("UNKNOWN")) {
      e->op = "NULL";
    } else if (AcceptWord("TRUE")) {
      e->op = "TRUE";
    } else if (AcceptWord("FALSE")) {
      e->op = "FALSE";
    } else if (IsWord("DISTINCT")) {
      return UnsupportedHere("IS [NOT] DISTINCT FROM");
    } else {
      return Expected("NULL, TRUE or FALSE");
    }
    return Finish(e, start);
  }
  bool negated = false;
  if (IsWord("NOT") && (IsWord("IN", 1) || IsWord("BETWEEN", 1) || IsWord("LIKE", 1) ||
                        IsWord("SIMILAR", 1))) {
    Advance();
    negated = true;
  }
  if (AcceptWord("IN")) {
    RETURN_IF_ERROR(ExpectSymbol("("));
    if (IsWord("SELECT") || IsWord("WITH")) return UnsupportedHere("IN (subquery)");
    auto e = Node(ast::ExprKind::kIn, "IN", {left});
    e->negated = negated;
    do {
      ASSIGN_OR_RETURN(ast::ExprPtr item, Expression());
      e->args.push_back(std::move(item));
    } while (AcceptSymbol(","));
    RETURN_IF_ERROR(ExpectSymbol(")"));
    return Finish(e, start);
  }
  if (AcceptWord("BETWEEN")) {
    if (AcceptWord("SYMMETRIC")) return UnsupportedHere("BETWEEN SYMMETRIC");
    AcceptWord("ASYMMETRIC");
    ASSIGN_OR_RETURN(ast::ExprPtr low, Concat());
    RETURN_IF_ERROR(ExpectWord("AND"));
    ASSIGN_OR_RETURN(ast::ExprPtr high, Concat());
    auto e = Node(ast::ExprKind::kBetween, "BETWEEN", {left, low, high});
    e->negated = negated;
    return Finish(e, start);
  }
  if (AcceptWord("LIKE")) {
    ASSIGN_OR_RETURN(ast::ExprPtr pattern, Concat());
    auto e = Node(ast::ExprKind::kLike, "LIKE", {left, pattern});
    e->negated = negated;
    if (AcceptWord("ESCAPE")) {
      ASSIGN_OR_RETURN(ast::ExprPtr escape, Concat());
      e->args.push_back(std::move(escape));
    }
    return Finish(e, start);
  }
  if (IsWord("SIMILAR")) return UnsupportedHere("SIMILAR TO");
  return left;
}

Result<ast::ExprPtr> Parser::Concat() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, Additive());
  while (AcceptSymbol("||")) {
    ASSIGN_OR_RETURN(ast::ExprPtr right, Additive());
    left = Finish(Node(ast::ExprKind::kBinary, "||", {left, right}), start);
    RETURN_IF_ERROR(CheckHeight(*left));
  }
  return left;
}

Result<ast::ExprPtr> Parser::Additive() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, Multiplicative());
  while (IsSymbol("+") || IsSymbol("-")) {
    std::string op = Cur().text;
    Advance();
    ASSIGN_OR_RETURN(ast::ExprPtr right, Multiplicative());
    left = Finish(Node(ast::ExprKind::kBinary, op, {left, right}), start);
    RETURN_IF_ERROR(CheckHeight(*left));
  }
  return left;
}

Result<ast::ExprPtr> Parser::Multiplicative() {
  size_t start = Cur().offset;
  ASSIGN_OR_RETURN(ast::ExprPtr left, Unary());
  while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%")) {
    std::string op = Cur().text;
    Advance();
    ASSIGN_OR_RETURN(ast::ExprPtr right, Unary());
    left = Finish(Node(ast::ExprKind::kBinary, op, {left, right}), start);
    RETURN_IF_ERROR(CheckHeight(*left));
  }
  return left;
}

Result<ast::ExprPtr> Parser::Unary() {
  size_t start = Cur().offset;
  if (IsSymbol("-") || IsSymbol("+")) {
    std::string op = Cur().text;
    Advance();
    if (++depth_ > 200) return ErrorAt(Cur().offset, "the expression is nested too deeply");
    ASSIGN_OR_RETURN(ast::ExprPtr inner, Unary());
    --depth_;
    return Finish(Node(ast::ExprKind::kUnary, op, {inner}), start);
  }
  return Primary();
}

}  // namespace kappa::sql
