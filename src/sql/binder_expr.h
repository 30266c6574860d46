// Binds one expression AST over the columns of a relation: names to column
// indexes (t.c, ROW fields a.b.c), literals to typed values, operators and
// functions to canonical calls with implicit casts (operators.h,
// functions.h). A hook lets the aggregate binder replace sub-expressions
// (aggregate calls, GROUP BY keys) before they are bound normally.
// Used by one thread; `binder` and `scope` must outlive it.
#pragma once

#include <functional>
#include <string>

#include "sql/binder.h"

namespace kappa::sql {

class ExprBinder {
 public:
  // Returns a replacement for the node, or null to bind it normally.
  using Hook = std::function<Result<ExprPtr>(const ast::Expr&)>;

  // `clause` names where the expression is ("WHERE") in error messages.
  ExprBinder(const Binder& binder, const Relation& scope, std::string clause);
  // The binder keeps a reference to `scope`: a temporary would dangle.
  ExprBinder(const Binder& binder, Relation&& scope, std::string clause) = delete;

  void set_hook(Hook hook) { hook_ = std::move(hook); }

  Result<ExprPtr> Bind(const ast::Expr& e);
  // A BOOLEAN expression (WHERE, HAVING, ON, CASE WHEN).
  Result<ExprPtr> BindPredicate(const ast::Expr& e);

 private:
  Result<ExprPtr> BindNode(const ast::Expr& e);
  Result<ExprPtr> BindLiteral(const ast::Expr& e);
  Result<ExprPtr> BindColumn(const ast::Expr& e);
  Result<ExprPtr> BindField(ExprPtr row, const std::string& field, const ast::Expr& e);
  Result<ExprPtr> BindUnary(const ast::Expr& e);
  Result<ExprPtr> BindBinary(const ast::Expr& e);
  Result<ExprPtr> BindCall(const ast::Expr& e);
  Result<ExprPtr> BindCase(const ast::Expr& e);
  Result<ExprPtr> BindCast(const ast::Expr& e);
  Result<ExprPtr> BindIn(const ast::Expr& e);
  Result<ExprPtr> BindBetween(const ast::Expr& e);
  Result<ExprPtr> BindLike(const ast::Expr& e);
  Result<ExprPtr> BindIsTest(const ast::Expr& e);
  Result<std::vector<ExprPtr>> BindAll(const std::vector<ast::ExprPtr>& args);
  Result<ExprPtr> Negate(ExprPtr inner, const ast::Expr& e);
  std::string AvailableColumns() const;

  const Binder& binder_;
  const Relation& scope_;
  std::string clause_;
  Hook hook_;
};

}  // namespace kappa::sql
