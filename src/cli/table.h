// A plain-text table for listing commands: a header row and rows of cells,
// printed with columns padded to their widest cell. Not thread-safe.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace kappa::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  // REQUIRES: cells.size() equals the header's size.
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void Print(std::FILE* out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace kappa::cli
