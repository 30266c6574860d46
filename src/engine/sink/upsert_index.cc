#include "engine/sink/upsert_index.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "engine/sink/iceberg_files.h"
#include "engine/source/iceberg_file_reader.h"
#include "engine/state/key_codec.h"
#include "table/iceberg/scan.h"

namespace kappa::engine {

int32_t UpsertIndex::AddFile(const std::string& path, const std::vector<columnar::Value>& partition) {
  auto [it, added] = file_ids_.emplace(path, static_cast<int32_t>(files_.size()));
  if (added) files_.push_back({path, partition});
  return it->second;
}

std::optional<UpsertIndex::Location> UpsertIndex::Find(std::string_view key) const {
  auto it = keys_.find(absl::string_view(key.data(), key.size()));
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<UpsertIndex::Location> UpsertIndex::Put(std::string_view key, Location location) {
  auto [it, added] = keys_.try_emplace(std::string(key), location);
  if (added) return std::nullopt;
  Location old = it->second;
  it->second = location;
  return old;
}

std::optional<UpsertIndex::Location> UpsertIndex::Erase(std::string_view key) {
  auto it = keys_.find(absl::string_view(key.data(), key.size()));
  if (it == keys_.end()) return std::nullopt;
  Location old = it->second;
  keys_.erase(it);
  return old;
}

void UpsertIndex::Relocate(const std::vector<Move>& moves) {
  absl::flat_hash_map<int32_t, const Move*> by_file;
  for (const Move& m : moves) {
    auto id = file_ids_.find(m.old_path);
    if (id != file_ids_.end()) by_file[id->second] = &m;
  }
  if (by_file.empty()) return;
  for (auto& [key, loc] : keys_) {
    auto it = by_file.find(loc.file);
    if (it == by_file.end()) continue;
    const Move& m = *it->second;
    auto at = std::lower_bound(m.kept->begin(), m.kept->end(), loc.pos);
    if (at == m.kept->end() || *at != loc.pos) continue;
    loc = {m.new_file, m.first + (at - m.kept->begin())};
  }
}

void UpsertIndex::Clear() {
  keys_.clear();
  files_.clear();
  file_ids_.clear();
}

Status UpsertIndex::Rebuild(const iceberg::TableMetadata& metadata, const std::vector<int>& key_columns) {
  Clear();
  ASSIGN_OR_RETURN(iceberg::ScanPlan plan, iceberg::PlanScan(metadata, iceberg::ScanOptions()));
  std::vector<iceberg::DataFile> delete_files;
  std::set<std::string> seen;
  for (const iceberg::FileScanTask& t : plan.tasks) {
    for (const iceberg::DataFile& d : t.deletes) {
      if (seen.insert(d.file_path).second) delete_files.push_back(d);
    }
  }
  ASSIGN_OR_RETURN(auto deleted, ReadPositionDeletes(delete_files));
  std::vector<int> encoded(key_columns.size());
  std::iota(encoded.begin(), encoded.end(), 0);
  KeyEncoder encoder(encoded);
  const iceberg::Schema& schema = metadata.current_schema();
  for (const iceberg::FileScanTask& t : plan.tasks) {
    auto d = deleted.find(t.data_file.file_path);
    const std::vector<int64_t>* del = d == deleted.end() ? nullptr : &d->second;
    ASSIGN_OR_RETURN(auto reader, DataFileReader::Open(t.data_file.file_path, schema, key_columns, del));
    int32_t file = AddFile(t.data_file.file_path, t.data_file.partition);
    for (size_t rg = 0; rg < reader->num_row_groups(); ++rg) {
      if (reader->RowGroupDeleted(rg)) continue;
      ASSIGN_OR_RETURN(std::vector<columnar::Batch> batches, reader->ReadRowGroup(rg));
      int64_t base = reader->row_group_start(rg);
      for (const columnar::Batch& b : batches) {
        encoder.Encode(b);
        for (size_t i = 0; i < b.active_rows(); ++i) Put(encoder.key(i), {file, base + b.row(i)});
        base += static_cast<int64_t>(b.num_rows);
      }
    }
  }
  return OkStatus();
}

}  // namespace kappa::engine
