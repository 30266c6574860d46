// The syntax tree the parser produces and the binder consumes. Nodes are
// plain structs shared through shared_ptr; every node records the byte
// offset where it starts (`pos`) and, for expressions, where it ends, so
// errors can point at it and default texts can quote it. Names keep their
// case; keywords and function names are upper-cased by the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/types.h"
#include "sql/plan.h"

namespace kappa::sql::ast {

struct Expr;
struct Query;
struct TableRef;
using ExprPtr = std::shared_ptr<Expr>;
using QueryPtr = std::shared_ptr<Query>;
using TableRefPtr = std::shared_ptr<TableRef>;

enum class ExprKind : uint8_t {
  kLiteral,    // literal / value
  kInterval,   // INTERVAL '5' SECOND: interval_ms
  kColumn,     // names: a, t.a, t.a.b (ROW field access)
  kStar,       // * or names.* (select lists only)
  kUnary,      // op: "-", "+", "NOT"; args[0]
  kBinary,     // op: + - * / % || = <> < <= > >= AND OR; args[0], args[1]
  kCall,       // op: upper-case function name; args; distinct; star (COUNT(*)); filter
  kCase,       // operand (simple CASE) or null; whens; else_expr
  kCast,       // args[0]; type; try_cast
  kIn,         // args[0] IN (args[1..]); negated
  kBetween,    // args[0] BETWEEN args[1] AND args[2]; negated
  kLike,       // args: value, pattern[, escape]; negated
  kIsTest,     // args[0] IS [NOT] op ("NULL", "TRUE", "FALSE"); negated
  kRowNumber,  // ROW_NUMBER() OVER (PARTITION BY partition_by ORDER BY order_by)
};

enum class LiteralKind : uint8_t { kNull, kBoolean, kInteger, kDecimal, kFloat, kString, kDate,
                                   kTimestamp, kTimestampLtz };

struct OrderItem {
  ExprPtr expr;
  bool ascending = true;
  std::optional<bool> nulls_first;  // unset: Flink's default
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  size_t pos = 0;  // source span [pos, end)
  size_t end = 0;
  int height = 1;  // of the subtree; the parser bounds it so binding cannot overflow the stack
  std::string op;
  LiteralKind literal = LiteralKind::kNull;
  std::string value;  // literal text (digits, unescaped string, TRUE/FALSE)
  int64_t interval_ms = 0;
  std::vector<std::string> names;
  std::vector<ExprPtr> args;
  bool negated = false;
  bool distinct = false;
  bool star = false;
  bool try_cast = false;
  ExprPtr operand;
  std::vector<std::pair<ExprPtr, ExprPtr>> whens;
  ExprPtr else_expr;
  columnar::DataType type;
  ExprPtr filter;  // aggregate FILTER (WHERE ...)
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
};

struct SelectItem {
  ExprPtr expr;
  std::string alias;  // empty: none
};

struct Select {
  size_t pos = 0;
  bool distinct = false;
  std::vector<SelectItem> items;
  TableRefPtr from;  // null: SELECT without FROM
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
};

struct With {
  std::string name;
  size_t pos = 0;
  QueryPtr query;
};

struct Query {
  size_t pos = 0;
  size_t end = 0;
  std::vector<With> with;
  std::shared_ptr<Select> select;  // a SELECT, or null for a UNION ALL
  QueryPtr left, right;            // UNION ALL operands
  std::vector<OrderItem> order_by;
  std::optional<int64_t> limit;
  int64_t offset = 0;
  size_t limit_pos = 0;
};

enum class TableRefKind : uint8_t { kTable, kSubquery, kJoin, kWindow };

struct TableRef {
  TableRefKind kind = TableRefKind::kTable;
  size_t pos = 0;
  std::string alias;
  // kTable: name ("ns.t" for qualified names); time travel.
  std::string name;
  ExprPtr as_of;                  // FOR SYSTEM_TIME AS OF <expr>
  std::optional<int64_t> version;  // FOR VERSION AS OF <n>
  // kSubquery
  QueryPtr query;
  // kJoin
  JoinKind join = JoinKind::kInner;
  bool comma = false;  // FROM a, b  (or CROSS JOIN)
  TableRefPtr left, right;
  ExprPtr on;
  // kWindow: TABLE(TUMBLE(TABLE input [PARTITION BY ..], DESCRIPTOR(col), intervals...))
  WindowKind window = WindowKind::kTumble;
  TableRefPtr input;
  std::string descriptor;
  size_t descriptor_pos = 0;
  std::vector<ExprPtr> window_args;
  std::vector<ExprPtr> window_partition;
};

struct ColumnDef {
  std::string name;
  size_t pos = 0;
  columnar::DataType type;
  bool not_null = false;
  ExprPtr computed;  // `name AS expr`
};

struct CreateTable {
  std::string name;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::string watermark_column;
  size_t watermark_pos = 0;
  ExprPtr watermark;
  std::vector<std::string> primary_key;
  size_t primary_key_pos = 0;
  std::vector<std::string> partitioned_by;
  std::vector<std::pair<std::string, std::string>> options;
  QueryPtr as_query;  // CREATE TABLE .. AS SELECT
};

struct CreateView {
  std::string name;
  bool if_not_exists = false;
  std::vector<std::string> columns;  // optional column list
  QueryPtr query;
};

struct Insert {
  std::string target;
  size_t target_pos = 0;
  std::vector<std::pair<std::string, size_t>> columns;  // name, pos
  QueryPtr query;
};

enum class StatementKind : uint8_t { kCreateTable, kCreateView, kInsert, kSet, kQuery, kExplain,
                                     kDrop };

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  size_t pos = 0;
  size_t end = 0;
  std::shared_ptr<CreateTable> create_table;
  std::shared_ptr<CreateView> create_view;
  std::shared_ptr<Insert> insert;
  QueryPtr query;                       // kQuery
  std::shared_ptr<Statement> explained;  // kExplain
  std::string key, value;               // kSet
  std::string drop_name;                // kDrop
  bool drop_view = false;
  bool if_exists = false;
};

}  // namespace kappa::sql::ast
