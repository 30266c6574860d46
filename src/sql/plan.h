// The contract between the SQL front end (lexer, parser, binder in src/sql)
// and the engine (src/engine): bound, typed expressions and logical plans.
// The binder resolves every name to a column index and every function to a
// canonical name with typed arguments; the engine turns a Plan into
// operators without looking at SQL text again. Plans are immutable once
// built and shared as shared_ptr<const ...>.
//
// Expression conventions (Expr::function for kCall):
//   arithmetic   "+", "-", "*", "/", "%", "NEGATE"      (DECIMAL exact, as Flink types them)
//   comparison   "=", "<>", "<", "<=", ">", ">="
//   logic        "AND", "OR", "NOT"                      (three-valued)
//   null tests   "IS NULL", "IS NOT NULL", "IS TRUE", "IS FALSE"
//   "IN"         args[0] IN (args[1..])
//   "LIKE"       args: value, pattern[, escape]
//   "CASE"       args: cond1, then1, cond2, then2, ... [, else]  (odd count = has else)
//   "CAST"       args: value; the target is Expr::type
//   "COALESCE", "UPPER", "LOWER", "SUBSTRING" (value, start[, length]), "CONCAT",
//   "TRIM" (value; args[1] optional literal 'BOTH'|'LEADING'|'TRAILING', args[2] optional chars),
//   "CHAR_LENGTH", "DATE_FORMAT" (ts, pattern), "EXTRACT" (literal unit string, value),
//   "FLOOR_TO"/"CEIL_TO" (value, literal unit string), "TO_TIMESTAMP" (string[, pattern]),
//   "UNIX_TIMESTAMP" ([string[, pattern]]), "ABS", "MOD", "ROUND", "FLOOR", "CEIL", "POWER",
//   "CURRENT_TIMESTAMP"... the engine's function registry lists what it implements; the
//   binder refuses any other name as "unsupported function NAME".
//   Units are upper-case: "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH",
//   "QUARTER", "YEAR", "WEEK", "DOW", "DOY", "EPOCH".
//   "FIELD"      args[0] is a ROW value, Expr::column is the field index (nested access a.b)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/types.h"
#include "columnar/value.h"

namespace kappa::sql {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

enum class ExprKind : uint8_t {
  kColumn,   // `column` indexes the input schema
  kLiteral,  // `literal` (typed; NULL literals carry the type they were cast to)
  kCall,     // `function` applied to `args`
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  columnar::DataType type;  // result type
  bool nullable = true;
  int column = -1;
  columnar::Value literal;
  std::string function;
  std::vector<ExprPtr> args;
  // Display text for error messages and default column names ("amount * 2").
  std::string text;
};

ExprPtr ColumnRef(int column, columnar::DataType type, std::string text, bool nullable = true);
ExprPtr Literal(columnar::Value value, std::string text = "");
ExprPtr Call(std::string function, std::vector<ExprPtr> args, columnar::DataType type,
             std::string text = "", bool nullable = true);

// An aggregate call of a GROUP BY: function is "COUNT" (no args = COUNT(*)),
// "SUM", "AVG", "MIN", "MAX"; `distinct` for COUNT(DISTINCT x) etc. The
// argument expressions are over the aggregate's input schema.
struct AggregateCall {
  std::string function;
  std::vector<ExprPtr> args;
  bool distinct = false;
  columnar::DataType type;  // result type (Flink's: SUM(DECIMAL(p,s)) = DECIMAL(38,s), ...)
  std::string text;
};

enum class WindowKind : uint8_t { kTumble, kHop, kCumulate, kSession };

// A window table-valued function: assigns each input row to windows on its
// time column and appends window_start, window_end, window_time columns
// (TIMESTAMP(3), window_time = window_end - 1 ms, a rowtime attribute).
struct WindowSpec {
  WindowKind kind = WindowKind::kTumble;
  int time_column = -1;     // TIMESTAMP(3)/TIMESTAMP_LTZ(3) rowtime of the input
  int64_t size_ms = 0;      // TUMBLE size, HOP size, CUMULATE max size
  int64_t slide_ms = 0;     // HOP slide, CUMULATE step
  int64_t offset_ms = 0;    // optional window offset
  int64_t gap_ms = 0;       // SESSION gap
  std::vector<int> partition_keys;  // SESSION ... PARTITION BY
};

// Options and shape of a CREATE TABLE: a source or a sink.
struct TableDef {
  std::string name;             // as written, possibly qualified "ns.t"
  columnar::Schema physical;    // the columns stored in the topic/table
  columnar::Schema schema;      // physical followed by computed columns
  std::vector<ExprPtr> computed;  // over `physical`, one per computed column
  std::optional<int> rowtime;   // WATERMARK FOR column (index into schema)
  ExprPtr watermark;            // the watermark expression over `schema`
  std::vector<int> primary_key; // indexes into schema; empty = none
  std::map<std::string, std::string> options;  // WITH (...), keys lower-case
  std::vector<std::string> partitioned_by;     // PARTITIONED BY (serving tables)

  std::string Option(const std::string& key, const std::string& fallback = "") const;
};

enum class PlanKind : uint8_t {
  kScan,             // reads `table` (a source): outputs table->physical. Bounded queries
                     // carry time travel in table->options: "snapshot-id" (FOR VERSION AS
                     // OF n) or "as-of-timestamp" (epoch ms, FOR SYSTEM_TIME AS OF)
  kValues,           // literal rows (SELECT without FROM: one row of zero columns)
  kProject,          // exprs over the input
  kFilter,           // predicate over the input
  kWatermark,        // assigns watermarks: rowtime column + watermark expr, rows unchanged
  kWindow,           // window TVF: input columns + window_start, window_end, window_time
  kAggregate,        // GROUP BY (unbounded: emits a changelog; bounded: final rows);
                     // SELECT DISTINCT is one with no aggregate calls
  kWindowAggregate,  // GROUP BY window_start, window_end[, keys] over a kWindow input
                     // (through Filter/Project), or over another window aggregate's
                     // window bounds (cascaded, Nexmark q5): emits each window once when
                     // the watermark passes window_end; group_keys include both bounds
  kUnionAll,
  kJoin,
  kSort,             // ORDER BY (bounded queries; streaming only under a Top-N)
  kLimit,
  kTopN,             // ROW_NUMBER() OVER (PARTITION BY .. ORDER BY ..) <= N, or streaming
                     // ORDER BY .. LIMIT N (no partition keys). Output: the input columns,
                     // plus the row number (BIGINT NOT NULL) as a last column only when
                     // the query reads it (schema.size() == input size + 1)
  kDeduplicate,      // ROW_NUMBER() OVER (PARTITION BY .. ORDER BY time) = 1 where `time` is
                     // a time attribute: sort[0] names it; output = input columns
};

enum class JoinKind : uint8_t { kInner, kLeft, kRight, kFull };

struct SortKey {
  ExprPtr expr;
  bool ascending = true;
  bool nulls_first = true;  // Flink's default: NULLS FIRST for ASC, LAST for DESC
};

struct Plan;
using PlanPtr = std::shared_ptr<const Plan>;

struct Plan {
  PlanKind kind = PlanKind::kValues;
  columnar::Schema schema;        // output columns
  std::vector<PlanPtr> inputs;
  // True when the output may contain -U/+U/-D rows (an unbounded aggregate,
  // or anything above one).
  bool updates = false;
  // Indexes of output columns forming a unique key of an updating output
  // (the group keys of an aggregate), empty when unknown.
  std::vector<int> unique_key;

  std::shared_ptr<const TableDef> table;    // kScan
  std::vector<std::vector<columnar::Value>> rows;  // kValues
  std::vector<ExprPtr> exprs;                // kProject
  ExprPtr predicate;                         // kFilter; kJoin: the condition left after the
                                             // equi-keys (null when none), a join condition
                                             // (not a post-filter) also for outer joins
  int rowtime = -1;                          // kWatermark: rowtime column
  ExprPtr watermark;                         // kWatermark: expression over the input
  WindowSpec window;                         // kWindow
  std::vector<int> group_keys;               // kAggregate/kWindowAggregate: input columns
  std::vector<AggregateCall> aggregates;     // output = group keys then aggregates
  int window_start = -1, window_end = -1;    // kWindowAggregate: input columns of the window
  JoinKind join = JoinKind::kInner;          // kJoin: output = left columns then right
  std::vector<int> left_keys, right_keys;    // kJoin: equi-join columns
  std::vector<SortKey> sort;                 // kSort, kTopN (order within a partition)
  std::vector<int> partition_keys;           // kTopN, kDeduplicate
  int64_t limit = -1;                        // kLimit, kTopN (N); -1 = none
  int64_t offset = 0;                        // kLimit
  bool keep_last = false;                    // kDeduplicate: last row instead of first

  // An indented tree for EXPLAIN and tests.
  std::string ToString(int indent = 0) const;
};

// One INSERT INTO target SELECT ... of a pipeline.
struct Insert {
  std::shared_ptr<const TableDef> target;
  PlanPtr query;  // output schema matches target->physical (cast by the binder)
};

// A bound pipeline file: its tables, views (already inlined into the plans),
// SET options, and INSERTs.
struct Pipeline {
  std::vector<std::shared_ptr<const TableDef>> tables;
  std::map<std::string, std::string> settings;  // SET 'key' = 'value'
  std::vector<Insert> inserts;
};

}  // namespace kappa::sql
