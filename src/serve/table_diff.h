// How two serving tables differ, row by row (`kappa table diff A B`, POST
// /v1/tables/diff): the engineer's view of what a fixed pipeline version
// changed before promoting it.
//
// Both tables are read whole at their current snapshots (engine TableScan,
// deletes applied). Columns are matched by name; the compared columns are
// those both tables have, in A's order. Rows are matched by a key:
//   the columns asked for ("key"), which both tables must have; else
//   the primary key, when both tables have the same one; else
//   the whole row, the tables compared as multisets of rows.
// Per key, rows equal in every compared column cancel out; the remaining
// rows of A and of B pair up as "changed" (same key, different values) and
// what is left over is "only in A" / "only in B". With a unique key this is
// the plain meaning of each word; with a whole-row key nothing is "changed".
// Values compare exactly, with INT and BIGINT alike and decimals by value
// (1.50 equals 1.5); NULL equals NULL. Samples are the first `sample` rows
// of each kind in key order.
//
// Memory: both tables are held in memory while they are compared.
// Thread-safe: each call reads on its own; the Catalog must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/types.h"
#include "columnar/value.h"
#include "nlohmann/json.hpp"
#include "table/catalog.h"

namespace kappa::serve {

struct DiffRequest {
  std::string a;
  std::string b;
  std::vector<std::string> key;  // empty: the primary key, else the whole row
  int64_t sample = 10;           // rows shown of each kind
};

inline constexpr int64_t kMaxDiffSample = 10000;

// {"a": "t1", "b": "t2", "key": ["id"] or "id,day", "sample": 10}.
Result<DiffRequest> ParseDiffRequest(std::string_view body);

struct DiffSide {
  std::string name;                  // as asked
  std::string table;                 // physical, after alias resolution
  std::optional<int64_t> snapshot_id;  // none: an empty table
  int64_t rows = 0;
};

struct ChangedRow {
  std::vector<columnar::Value> a;  // compared columns, in `columns` order
  std::vector<columnar::Value> b;
  std::vector<std::string> changed_columns;  // where a and b differ
};

struct TableDiff {
  DiffSide a;
  DiffSide b;
  std::vector<std::string> key;
  std::string key_source;  // "given", "primary key" or "whole row"
  columnar::Schema columns;  // compared columns, A's types
  std::vector<columnar::DataType> b_types;  // B's type of each compared column
  std::vector<std::string> columns_only_in_a;
  std::vector<std::string> columns_only_in_b;
  int64_t only_in_a = 0;
  int64_t only_in_b = 0;
  int64_t changed = 0;
  int64_t same = 0;
  std::vector<std::vector<columnar::Value>> sample_only_in_a;
  std::vector<std::vector<columnar::Value>> sample_only_in_b;
  std::vector<ChangedRow> sample_changed;
};

// NotFound for an unknown table; InvalidArgument for a key column that a
// table lacks, or for tables without a column in common.
Result<TableDiff> DiffTables(const table::Catalog& catalog, const DiffRequest& request);

// {"a": side, "b": side, "key", "key_source", "columns": [{"name", "type", "type_b"?}],
//  "columns_only_in_a", "columns_only_in_b",
//  "counts": {"only_in_a", "only_in_b", "changed", "same"},
//  "samples": {"only_in_a": [row...], "only_in_b": [row...],
//              "changed": [{"a": row, "b": row, "changed_columns": [...]}]}}
// side := {"name", "table", "snapshot_id", "rows"}; "type_b" is B's type of a
// column when it differs from A's; a row is an array in
// "columns" order: numbers for INT, BIGINT and DOUBLE (NaN and infinities
// as strings), booleans, null, and SQL text for everything else ("12.50",
// "2024-01-31 12:00:00.000").
nlohmann::json DiffToJson(const TableDiff& diff);
// One value as above.
nlohmann::json ValueToJson(const columnar::Value& value);

}  // namespace kappa::serve
