// Helpers for the Iceberg sink and table source tests: a scratch warehouse,
// serving-table TableDefs, a driver that stages, prepares and commits
// epochs the way a Job does, and a reader that returns a table's live rows
// as sorted text.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "engine/sink/iceberg_sink.h"
#include "engine/source/table_source.h"
#include "engine/table_catalog.h"
#include "gtest/gtest.h"
#include "table/catalog.h"

namespace kappa::engine::testing {

using columnar::DataType;
using columnar::RowKind;
using columnar::Value;

class Warehouse {
 public:
  Warehouse() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kappa-sink-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    catalog_ = table::Catalog::Open(dir_ + "/warehouse").value();
  }
  ~Warehouse() { (void)RemoveTree(dir_); }
  table::Catalog* catalog() { return catalog_.get(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<table::Catalog> catalog_;
};

// revenue(id BIGINT, name STRING, ts TIMESTAMP, amount BIGINT)
inline columnar::Schema RevenueSchema(bool key_not_null = false) {
  return columnar::Schema({{"id", DataType::Int64(), !key_not_null},
                           {"name", DataType::String(), true},
                           {"ts", DataType::Timestamp(), true},
                           {"amount", DataType::Int64(), true}});
}

inline sql::TableDef ServingTable(std::string name, std::vector<int> primary_key = {},
                                  std::vector<std::string> partitioned_by = {}) {
  sql::TableDef t;
  t.name = std::move(name);
  t.physical = RevenueSchema(!primary_key.empty());
  t.schema = t.physical;
  t.primary_key = std::move(primary_key);
  t.partitioned_by = std::move(partitioned_by);
  t.options["kappa.pipeline"] = "revenue_pipeline";
  return t;
}

inline std::vector<Value> Row(int64_t id, std::string name, int64_t ts_ms, int64_t amount) {
  return {Value::Int64(id), Value::String(std::move(name)), Value::Timestamp(ts_ms), Value::Int64(amount)};
}

inline columnar::Batch Rows(const std::vector<std::vector<Value>>& rows, std::vector<RowKind> kinds = {}) {
  columnar::BatchBuilder b(RevenueSchema());
  for (size_t i = 0; i < rows.size(); ++i) b.AppendRow(rows[i], kinds.empty() ? RowKind::kInsert : kinds[i]);
  return b.Finish();
}

// Stages one batch per writer (empty batches stage nothing), prepares and
// returns the payloads of `epoch` (not committed).
inline std::vector<std::string> Prepare(std::vector<std::unique_ptr<SinkWriter>>& writers,
                                        const std::vector<columnar::Batch>& batches, int64_t epoch) {
  std::vector<std::string> payloads;
  for (size_t w = 0; w < writers.size(); ++w) {
    if (w < batches.size() && batches[w].num_rows > 0) {
      Status st = writers[w]->Stage(batches[w]);
      EXPECT_TRUE(st.ok()) << st;
    }
    auto p = writers[w]->PrepareCommit(Epoch(epoch));
    EXPECT_TRUE(p.ok()) << p.status();
    payloads.push_back(p.ok() ? *p : std::string());
  }
  return payloads;
}

inline std::vector<std::unique_ptr<SinkWriter>> MakeWriters(Sink& sink, int n) {
  std::vector<std::unique_ptr<SinkWriter>> out;
  for (int i = 0; i < n; ++i) out.push_back(sink.CreateWriter(i).value());
  return out;
}

inline std::vector<std::string> SortedRows(const std::vector<columnar::Batch>& batches) {
  std::vector<std::string> out;
  for (const columnar::Batch& b : batches) {
    for (size_t i = 0; i < b.active_rows(); ++i) {
      std::string line;
      for (const Value& v : b.GetRow(i)) line += (line.empty() ? "" : "|") + v.ToString();
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The live rows of a table (through the alias rules) as sorted "a|b|c|d".
inline std::vector<std::string> ReadTable(table::Catalog* catalog, const std::string& name,
                                          std::map<std::string, std::string> options = {}) {
  auto def = ServingTableDef(*catalog, name);
  EXPECT_TRUE(def.ok()) << def.status();
  if (!def.ok()) return {};
  for (auto& [k, v] : options) (*def)->options[k] = v;
  auto scan = TableScan::Open(*def, catalog, {});
  EXPECT_TRUE(scan.ok()) << scan.status();
  if (!scan.ok()) return {};
  auto batches = (*scan)->ReadAll();
  EXPECT_TRUE(batches.ok()) << batches.status();
  return batches.ok() ? SortedRows(*batches) : std::vector<std::string>{};
}

inline std::string Text(int64_t id, const std::string& name, int64_t ts_ms, int64_t amount) {
  return fmt::format("{}|{}|{}|{}", id, name, columnar::FormatTimestamp(ts_ms), amount);
}

// Every regular file under dir, recursively.
inline std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kappa::engine::testing
