// Parquet write throughput: a 10M-row, 5-column table (ts TIMESTAMP, user_id
// BIGINT, item_id INT, price DOUBLE, country STRING) held in memory as
// Batches of 4096 rows, written by one ParquetWriter per codec; prints rows/s,
// MB/s of in-memory data and the file size. bench/parquet_duckdb_bench.mjs
// writes the same rows with DuckDB (bench/README.md).
//
//   kappa_parquet_bench [--rows=N] [--dir=PATH]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/file.h"
#include "columnar/batch.h"
#include "table/parquet/writer.h"

namespace {

using kappa::columnar::Batch;
using kappa::columnar::Column;
using kappa::columnar::DataType;
using kappa::columnar::Schema;
namespace pq = kappa::table::parquet;

const char* kCountries[20] = {"US", "DE", "FR", "GB", "JP", "CN", "IN", "BR", "CA", "AU",
                              "ES", "IT", "NL", "SE", "PL", "MX", "KR", "CH", "BE", "AT"};

Schema BenchSchema() {
  return Schema({{"ts", DataType::Timestamp(), true},
                 {"user_id", DataType::Int64(), true},
                 {"item_id", DataType::Int32(), true},
                 {"price", DataType::Double(), true},
                 {"country", DataType::String(), true}});
}

// Row i, the same formulas as parquet_duckdb_bench.mjs.
Batch MakeBatch(int64_t first, size_t n, size_t* bytes) {
  auto ts = std::make_shared<Column>(DataType::Timestamp());
  auto user = std::make_shared<Column>(DataType::Int64());
  auto item = std::make_shared<Column>(DataType::Int32());
  auto price = std::make_shared<Column>(DataType::Double());
  auto country = std::make_shared<Column>(DataType::String());
  for (size_t k = 0; k < n; ++k) {
    int64_t i = first + static_cast<int64_t>(k);
    ts->Append<int64_t>(1704067200000 + i * 10);
    user->Append<int64_t>((i * 7919) % 1000003);
    item->Append<int32_t>(static_cast<int32_t>((i * 31) % 50000));
    price->Append<double>(static_cast<double>((i * 13) % 100000) / 100.0);
    country->AppendString(kCountries[(i * 7) % 20]);
    *bytes += 8 + 8 + 4 + 8 + 2;
  }
  return Batch{{ts, user, item, price, country}, n, std::nullopt, {}};
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 10000000;
  std::string dir = "/tmp/kappa-parquet-bench";
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg.rfind("--rows=", 0) == 0) rows = std::atoll(arg.c_str() + 7);
    if (arg.rfind("--dir=", 0) == 0) dir = arg.substr(6);
  }
  (void)kappa::CreateDirs(dir);
  size_t bytes = 0;
  std::vector<Batch> batches;
  for (int64_t i = 0; i < rows; i += kappa::columnar::kBatchRows) {
    batches.push_back(MakeBatch(i, static_cast<size_t>(std::min<int64_t>(kappa::columnar::kBatchRows, rows - i)), &bytes));
  }
  std::printf("parquet write: %lld rows, 5 columns, %.1f MB in memory, one thread\n",
              static_cast<long long>(rows), bytes / 1e6);
  std::printf("%-8s %-5s %10s %12s %10s %12s\n", "codec", "dict", "seconds", "rows/s", "MB/s", "file MB");
  struct Run {
    const char* name;
    pq::Compression codec;
    bool dictionary;
  };
  for (Run run : {Run{"snappy", pq::Compression::kSnappy, true}, Run{"zstd", pq::Compression::kZstd, true},
                  Run{"none", pq::Compression::kNone, true}, Run{"snappy", pq::Compression::kSnappy, false}}) {
    pq::WriterOptions o;
    o.compression = run.codec;
    o.dictionary = run.dictionary;
    std::string path = dir + "/kappa_" + run.name + ".parquet";
    auto start = std::chrono::steady_clock::now();
    auto w = pq::ParquetWriter::Open(path, BenchSchema(), {1, 2, 3, 4, 5}, o);
    if (!w.ok()) {
      std::fprintf(stderr, "%s\n", w.status().ToString().c_str());
      return 1;
    }
    for (const Batch& b : batches) {
      if (auto st = (*w)->Write(b); !st.ok()) {
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        return 1;
      }
    }
    auto r = (*w)->Finish();
    double s = Seconds(start);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    std::printf("%-8s %-5s %10.2f %12.0f %10.1f %12.1f\n", run.name, run.dictionary ? "on" : "off", s, rows / s,
                bytes / 1e6 / s, r->file_size / 1e6);
    (void)kappa::RemoveFile(path);
  }
  return 0;
}
