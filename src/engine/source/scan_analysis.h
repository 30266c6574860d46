// What a bounded query needs of one scanned table, worked out from the
// logical plan: which of the table's columns any operator above the scan
// reads (the others need not be read from disk), and the simple
// predicates (`column op literal`, IS [NOT] NULL, ANDed) of a Filter
// directly above the scan, for pruning files and row groups. Both are
// conservative: an operator the analysis does not know reads every column,
// and a predicate it cannot express is left out (the Filter still runs).
// Stateless and thread-safe.
#pragma once

#include <vector>

#include "sql/plan.h"
#include "table/iceberg/scan.h"

namespace kappa::engine {

struct ScanNeeds {
  std::vector<bool> columns;  // per column of table->physical
  std::vector<table::iceberg::Predicate> filter;
};

// Over every scan of `table` in `root` (columns ORed; the filter only when
// the table is scanned once).
ScanNeeds AnalyzeScan(const sql::Plan& root, const sql::TableDef* table);

// The conjuncts of `predicate` (over `schema`) that are simple predicates.
std::vector<table::iceberg::Predicate> SimplePredicates(const sql::Expr& predicate,
                                                        const columnar::Schema& schema);

}  // namespace kappa::engine
