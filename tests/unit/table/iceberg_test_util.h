// Helpers shared by the Iceberg unit tests: a scratch directory and a small
// events table (id BIGINT, name STRING, ts TIMESTAMP, amount DECIMAL(9,2)).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/file.h"
#include "table/iceberg/bounds.h"
#include "table/iceberg/table.h"

namespace kappa::table::iceberg::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kappa-iceberg-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() { (void)RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline columnar::Schema EventsColumnar() {
  using columnar::DataType;
  return columnar::Schema({{"id", DataType::Int64(), false},
                           {"name", DataType::String()},
                           {"ts", DataType::Timestamp()},
                           {"amount", DataType::Decimal(9, 2)}});
}

inline Schema EventsSchema() { return Schema::FromColumnar(EventsColumnar()).value(); }

inline constexpr int64_t kDayMs = 86400000;

// A data file of `rows` rows whose ids span [lo, hi] and ts lie on `day`.
inline DataFile MakeDataFile(const std::string& path, int64_t rows, int64_t lo, int64_t hi,
                             std::vector<columnar::Value> partition = {}) {
  DataFile f;
  f.file_path = path;
  f.record_count = rows;
  f.file_size_in_bytes = 1000 + rows;
  f.partition = std::move(partition);
  f.value_counts = {{1, rows}, {2, rows}};
  f.null_value_counts = {{1, 0}, {2, rows / 2}};
  f.column_sizes = {{1, 8 * rows}};
  f.lower_bounds[1] = SerializeValue(columnar::Value::Int64(lo)).value();
  f.upper_bounds[1] = SerializeValue(columnar::Value::Int64(hi)).value();
  return f;
}

inline DataFile MakePositionDeletes(const std::string& path, const std::string& data_path, int64_t rows,
                                    std::vector<columnar::Value> partition = {}) {
  DataFile f;
  f.content = FileContent::kPositionDeletes;
  f.file_path = path;
  f.record_count = rows;
  f.file_size_in_bytes = 500;
  f.partition = std::move(partition);
  f.lower_bounds[kDeleteFilePathId] = data_path;
  f.upper_bounds[kDeleteFilePathId] = data_path;
  return f;
}

inline DataFile MakeEqualityDeletes(const std::string& path, int64_t rows) {
  DataFile f;
  f.content = FileContent::kEqualityDeletes;
  f.file_path = path;
  f.record_count = rows;
  f.file_size_in_bytes = 300;
  f.equality_ids = {1};
  return f;
}

}  // namespace kappa::table::iceberg::testing
