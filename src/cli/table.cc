#include "cli/table.h"

#include <algorithm>

#include "fmt/format.h"

namespace kappa::cli {

void Table::Print(std::FILE* out) const {
  std::vector<size_t> widths(rows_[0].size(), 0);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    fmt::print(out, "{}\n", line);
  }
}

}  // namespace kappa::cli
