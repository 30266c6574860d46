// Helpers for the table API, diff and Iceberg REST tests: a scratch
// warehouse, and tables written through the engine's Iceberg sink (one
// snapshot per commit, as a pipeline makes them), and a way to call a
// Router's handler to completion.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "engine/sink/iceberg_sink.h"
#include "gtest/gtest.h"
#include "serve/http_router.h"
#include "table/catalog.h"

namespace kappa::serve::testing {

using columnar::DataType;
using columnar::RowKind;
using columnar::Value;

class Warehouse {
 public:
  Warehouse() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kappa-tables-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    catalog_ = table::Catalog::Open(dir_ + "/warehouse").value();
  }
  ~Warehouse() { (void)RemoveTree(dir_); }
  table::Catalog* catalog() { return catalog_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<table::Catalog> catalog_;
};

struct Commit {
  Commit(std::vector<std::vector<Value>> rows, std::vector<std::vector<Value>> deletes = {})
      : rows(std::move(rows)), deletes(std::move(deletes)) {}
  std::vector<std::vector<Value>> rows;
  std::vector<std::vector<Value>> deletes;  // upsert tables: rows named by key
};

// Writes each commit as one epoch of the sink into table `name` (created
// with `schema` and the primary key `key` when new); returns the snapshot
// id after each commit.
inline std::vector<int64_t> WriteTable(table::Catalog* catalog, const std::string& name, columnar::Schema schema,
                                       const std::vector<std::string>& key, const std::vector<Commit>& commits,
                                       const std::string& pipeline = "revenue") {
  sql::TableDef def;
  def.name = name;
  std::vector<columnar::Field> fields = schema.fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    for (const std::string& k : key) {
      if (fields[i].name == k) {
        def.primary_key.push_back(static_cast<int>(i));
        fields[i].nullable = false;
      }
    }
  }
  def.physical = columnar::Schema(fields);
  def.schema = def.physical;
  def.options["kappa.pipeline"] = pipeline;
  engine::IcebergSinkOptions options;
  options.maintenance_every = 0;
  auto sink = engine::IcebergSink::Open(def, catalog, options);
  EXPECT_TRUE(sink.ok()) << sink.status();
  std::vector<int64_t> ids;
  if (!sink.ok()) return ids;
  int64_t epoch = (*sink)->LastCommittedEpoch().value().value_or(Epoch(0)).value();
  for (const Commit& c : commits) {
    ++epoch;
    columnar::BatchBuilder b(def.physical);
    for (const auto& row : c.rows) b.AppendRow(row, RowKind::kInsert);
    for (const auto& row : c.deletes) b.AppendRow(row, RowKind::kDelete);
    auto writer = (*sink)->CreateWriter(0).value();
    EXPECT_TRUE(writer->Stage(b.Finish()).ok());
    std::string payload = writer->PrepareCommit(Epoch(epoch)).value();
    Status st = (*sink)->Commit(Epoch(epoch), {payload});
    EXPECT_TRUE(st.ok()) << st;
    ids.push_back((*sink)->table().metadata()->current_snapshot()->snapshot_id);
  }
  return ids;
}

// revenue(id BIGINT, name STRING, amount DECIMAL(10, 2))
inline columnar::Schema RevenueSchema() {
  return columnar::Schema(
      {{"id", DataType::Int64(), true}, {"name", DataType::String(), true}, {"amount", DataType::Decimal(10, 2), true}});
}

inline std::vector<Value> Rev(int64_t id, std::string name, int64_t cents) {
  return {Value::Int64(id), Value::String(std::move(name)), Value::Decimal(cents, 10, 2)};
}

// Runs the router on `req` to completion (handlers may hop to worker threads).
inline HttpResponse Call(const Router& router, std::string method, std::string target, std::string body = "") {
  HttpRequest req;
  req.method = std::move(method);
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = ParseQuery(target.substr(q + 1));
  req.body = std::move(body);
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  HttpResponse out;
  asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        out = co_await router.Dispatch(req);
        guard.reset();
      },
      asio::detached);
  io.run();
  return out;
}

}  // namespace kappa::serve::testing
