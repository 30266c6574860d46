// Helpers for the Parquet unit tests: a scratch directory per test, a
// schema of every type, rows with NULLs, and a write-then-read round trip.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "columnar/batch.h"
#include "table/parquet/reader.h"
#include "table/parquet/writer.h"

namespace kappa::table::parquet::testing {

using columnar::Batch;
using columnar::BatchBuilder;
using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using columnar::Value;

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kappa-parquet-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() { (void)RemoveTree(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Schema AllTypesSchema() {
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
      {"req", DataType::Int64(), false},
  });
}

inline std::vector<int32_t> Ids(size_t n, int32_t first = 1) {
  std::vector<int32_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = first + static_cast<int32_t>(i);
  return ids;
}

// Row i of AllTypesSchema; every 7th row has NULLs in the nullable columns.
inline std::vector<Value> AllTypesRow(int64_t i) {
  bool null = i % 7 == 3;
  auto n = [&](DataType t, Value v) { return null ? Value::Null(t) : v; };
  columnar::Int128 big = static_cast<columnar::Int128>(i - 500) * columnar::Pow10(20) + 12345;
  return {
      n(DataType::Boolean(), Value::Boolean(i % 2 == 0)),
      n(DataType::Int32(), Value::Int32(static_cast<int32_t>(i * 3 - 100))),
      n(DataType::Int64(), Value::Int64(i * 1000003 - (int64_t{1} << 40))),
      n(DataType::Double(), Value::Double(static_cast<double>(i) / 4 - 10)),
      n(DataType::Decimal(9, 2), Value::Decimal(i * 101 - 5000, 9, 2)),
      n(DataType::Decimal(18, 4), Value::Decimal(static_cast<columnar::Int128>(i) * 1000000007 - 99, 18, 4)),
      n(DataType::Decimal(38, 10), Value::Decimal(big, 38, 10)),
      n(DataType::String(), Value::String("s" + std::to_string(i % 50) + (i % 11 == 0 ? "é" : ""))),
      n(DataType::Date(), Value::Date(static_cast<int32_t>(19000 + i))),
      n(DataType::Timestamp(), Value::Timestamp(1700000000000 + i * 1001 - 5000000000000)),
      n(DataType::TimestampLtz(), Value::TimestampLtz(-86400000 + i * 17)),
      Value::Int64(i),
  };
}

inline std::vector<Batch> AllTypesBatches(int64_t rows) {
  BatchBuilder b(AllTypesSchema());
  std::vector<Batch> out;
  for (int64_t i = 0; i < rows; ++i) {
    b.AppendRow(AllTypesRow(i));
    if (b.rows() == columnar::kBatchRows) out.push_back(b.Finish());
  }
  if (b.rows() > 0) out.push_back(b.Finish());
  return out;
}

// Every row of every batch, as Values.
inline std::vector<std::vector<Value>> Rows(const std::vector<Batch>& batches) {
  std::vector<std::vector<Value>> out;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.active_rows(); ++i) out.push_back(b.GetRow(i));
  }
  return out;
}

inline Result<WriteResult> WriteFile(const std::string& path, const Schema& schema,
                                     const std::vector<Batch>& batches, WriterOptions options = {}) {
  std::vector<int32_t> ids;
  ASSIGN_OR_RETURN(auto w, ParquetWriter::Open(path, schema, Ids(schema.size()), std::move(options)));
  for (const Batch& b : batches) RETURN_IF_ERROR(w->Write(b));
  return w->Finish();
}

}  // namespace kappa::table::parquet::testing
