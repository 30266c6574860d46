// kappa_parquet_tool: the Parquet writer and reader from the command line,
// for tests/integration/test_parquet_duckdb.py.
//
//   kappa_parquet_tool write DIR   writes DIR/<case>.parquet for each case and
//                                  DIR/<case>.expected.jsonl (the rows written);
//                                  prints the case names
//   kappa_parquet_tool read FILE   prints {"columns": [...], "skipped": [...]}
//                                  then one JSON array per row
//   kappa_parquet_tool stats FILE  prints the row groups' statistics as JSON
//
// Values are canonical JSON: NULL null, BOOLEAN true/false, DOUBLE a number,
// INT/BIGINT/DECIMAL as decimal strings, DATE days and TIMESTAMP millis
// since the epoch as strings, STRING a string, ROW an object.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "nlohmann/json.hpp"
#include "table/parquet/reader.h"
#include "table/parquet/writer.h"

namespace kappa::table::parquet {
namespace {

using columnar::Batch;
using columnar::BatchBuilder;
using columnar::DataType;
using columnar::Int128;
using columnar::Schema;
using columnar::TypeId;
using columnar::Value;
using nlohmann::json;

json Canon(const Value& v) {
  if (v.is_null()) return nullptr;
  switch (v.type().id()) {
    case TypeId::kBoolean: return v.boolean();
    case TypeId::kInt32:
    case TypeId::kDate: return std::to_string(v.int32());
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return std::to_string(v.int64());
    case TypeId::kDouble: return v.float64();
    case TypeId::kDecimal: return columnar::FormatDecimal(v.decimal(), v.type().scale());
    case TypeId::kString: return v.string();
    case TypeId::kRow: {
      json o = json::object();
      for (size_t i = 0; i < v.row().size(); ++i) o[v.type().fields()[i].name] = Canon(v.row()[i]);
      return o;
    }
    default: return v.ToString();
  }
}

std::string Line(const std::vector<Value>& row) {
  json a = json::array();
  for (const Value& v : row) a.push_back(Canon(v));
  return a.dump(-1, ' ', false, json::error_handler_t::replace);
}

Schema AllTypes() {
  return Schema({
      {"b", DataType::Boolean(), true},
      {"i", DataType::Int32(), true},
      {"l", DataType::Int64(), true},
      {"d", DataType::Double(), true},
      {"dec9", DataType::Decimal(9, 2), true},
      {"dec18", DataType::Decimal(18, 4), true},
      {"dec38", DataType::Decimal(38, 10), true},
      {"s", DataType::String(), true},
      {"dt", DataType::Date(), true},
      {"ts", DataType::Timestamp(), true},
      {"tsz", DataType::TimestampLtz(), true},
      {"id", DataType::Int64(), false},
  });
}

std::vector<Value> AllTypesRow(int64_t i) {
  bool null = i % 7 == 3;
  auto n = [&](DataType t, Value v) { return null ? Value::Null(t) : v; };
  Int128 big = static_cast<Int128>(i - 2500) * columnar::Pow10(25) + 123456789;
  return {
      n(DataType::Boolean(), Value::Boolean(i % 3 == 0)),
      n(DataType::Int32(), Value::Int32(static_cast<int32_t>(i * 7919 - 2000000))),
      n(DataType::Int64(), Value::Int64(i * 1000000007 - (int64_t{1} << 50))),
      n(DataType::Double(), Value::Double(static_cast<double>(i) / 8 - 100.5)),
      n(DataType::Decimal(9, 2), Value::Decimal(i * 101 - 250000, 9, 2)),
      n(DataType::Decimal(18, 4), Value::Decimal(static_cast<Int128>(i) * 1000000007 - 99, 18, 4)),
      n(DataType::Decimal(38, 10), Value::Decimal(big, 38, 10)),
      n(DataType::String(), Value::String("v" + std::to_string(i % 40) + (i % 11 == 0 ? " é\"\\" : ""))),
      n(DataType::Date(), Value::Date(static_cast<int32_t>(-400 + i * 3))),
      n(DataType::Timestamp(), Value::Timestamp(1700000000123 + i * 60001 - 3000000000000)),
      n(DataType::TimestampLtz(), Value::TimestampLtz(-86400000 + i * 1017)),
      Value::Int64(i),
  };
}

DataType Inner() { return DataType::Row({{"x", DataType::Int32(), true}, {"y", DataType::String(), false}}); }
DataType Outer() { return DataType::Row({{"a", DataType::Int64(), true}, {"inner", Inner(), true}}); }
Schema Nested() { return Schema({{"id", DataType::Int64(), false}, {"r", Outer(), true}}); }

std::vector<Value> NestedRow(int64_t i) {
  Value in = i % 5 == 1 ? Value::Null(Inner())
                        : Value::Row(Inner(), {i % 3 == 0 ? Value::Null(DataType::Int32()) : Value::Int32(static_cast<int32_t>(i)),
                                               Value::String("y" + std::to_string(i))});
  Value r = i % 4 == 2 ? Value::Null(Outer()) : Value::Row(Outer(), {Value::Int64(i * 10), in});
  return {Value::Int64(i), r};
}

struct Case {
  std::string name;
  Schema schema;
  std::vector<int32_t> field_ids;
  std::vector<Value> (*row)(int64_t);
  int64_t rows;
  WriterOptions options;
};

std::vector<Case> Cases() {
  std::vector<int32_t> flat_ids;
  for (int32_t i = 1; i <= 12; ++i) flat_ids.push_back(i);
  WriterOptions snappy;
  snappy.row_group_rows = 2000;
  snappy.key_value_metadata = {{"iceberg.schema", std::string(R"({"type":"struct","schema-id":0,"fields":[]})")}};
  WriterOptions zstd = snappy;
  zstd.compression = Compression::kZstd;
  WriterOptions plain = snappy;
  plain.compression = Compression::kNone;
  plain.dictionary = false;
  plain.page_bytes = 4096;
  return {
      {"all_snappy", AllTypes(), flat_ids, AllTypesRow, 5000, snappy},
      {"all_zstd", AllTypes(), flat_ids, AllTypesRow, 5000, zstd},
      {"all_plain", AllTypes(), flat_ids, AllTypesRow, 5000, plain},
      {"nested", Nested(), {1, 2, 3, 4, 5, 6}, NestedRow, 300, snappy},
  };
}

Status WriteCase(const std::string& dir, const Case& c) {
  ASSIGN_OR_RETURN(auto w, ParquetWriter::Open(dir + "/" + c.name + ".parquet", c.schema, c.field_ids, c.options));
  std::ofstream expected(dir + "/" + c.name + ".expected.jsonl");
  BatchBuilder b(c.schema);
  for (int64_t i = 0; i < c.rows; ++i) {
    std::vector<Value> row = c.row(i);
    expected << Line(row) << "\n";
    b.AppendRow(row);
    if (b.rows() == columnar::kBatchRows || i + 1 == c.rows) RETURN_IF_ERROR(w->Write(b.Finish()));
  }
  ASSIGN_OR_RETURN(WriteResult r, w->Finish());
  std::cout << c.name << " rows=" << r.row_count << " bytes=" << r.file_size << "\n";
  return OkStatus();
}

int Write(const std::string& dir) {
  for (const Case& c : Cases()) {
    Status st = WriteCase(dir, c);
    if (!st.ok()) {
      std::cerr << "write " << c.name << ": " << st << "\n";
      return 1;
    }
  }
  return 0;
}

int Read(const std::string& path) {
  auto r = ParquetReader::Open(path);
  if (!r.ok()) {
    std::cerr << r.status() << "\n";
    return 1;
  }
  json head;
  head["columns"] = json::array();
  for (const TopColumn& c : (*r)->columns()) {
    head["columns"].push_back({{"name", c.field.name}, {"type", c.field.type.ToString()}, {"field_id", c.field_id}});
  }
  head["skipped"] = (*r)->skipped_columns();
  std::cout << head.dump() << "\n";
  auto batches = (*r)->ReadAll((*r)->AllColumns());
  if (!batches.ok()) {
    std::cerr << batches.status() << "\n";
    return 1;
  }
  for (const Batch& b : *batches) {
    for (size_t i = 0; i < b.active_rows(); ++i) std::cout << Line(b.GetRow(i)) << "\n";
  }
  return 0;
}

int Stats(const std::string& path) {
  auto r = ParquetReader::Open(path);
  if (!r.ok()) {
    std::cerr << r.status() << "\n";
    return 1;
  }
  json groups = json::array();
  for (size_t g = 0; g < (*r)->num_row_groups(); ++g) {
    json cols = json::array();
    for (const ColumnStats& s : (*r)->RowGroupStats(g)) {
      json c = {{"path", s.path}, {"field_id", s.field_id}, {"values", s.value_count}};
      c["nulls"] = s.null_count ? json(*s.null_count) : json(nullptr);
      c["min"] = s.min ? Canon(*s.min) : json(nullptr);
      c["max"] = s.max ? Canon(*s.max) : json(nullptr);
      cols.push_back(c);
    }
    groups.push_back({{"rows", (*r)->row_group_rows(g)}, {"columns", cols}});
  }
  std::cout << groups.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace
}  // namespace kappa::table::parquet

int main(int argc, char** argv) {
  using namespace kappa::table::parquet;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "write") return Write(args[1]);
  if (args.size() == 2 && args[0] == "read") return Read(args[1]);
  if (args.size() == 2 && args[0] == "stats") return Stats(args[1]);
  std::cerr << "usage: kappa_parquet_tool write DIR | read FILE | stats FILE\n";
  return 2;
}
