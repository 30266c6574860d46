#include "engine/sink/iceberg_compaction.h"

#include <map>
#include <numeric>
#include <set>

#include "base/file.h"
#include "engine/source/iceberg_file_reader.h"
#include "engine/state/key_codec.h"
#include "table/iceberg/scan.h"

namespace kappa::engine {
namespace {

struct PartitionGroup {
  std::vector<columnar::Value> partition;
  std::vector<const iceberg::FileScanTask*> tasks;
  std::map<std::string, iceberg::DataFile> deletes;  // by path
};

std::map<std::string, PartitionGroup> GroupByPartition(const iceberg::ScanPlan& plan) {
  std::map<std::string, PartitionGroup> groups;
  for (const iceberg::FileScanTask& t : plan.tasks) {
    std::string key = std::to_string(t.spec_id) + ":";
    for (const columnar::Value& v : t.data_file.partition) EncodeValue(v, &key);
    PartitionGroup& g = groups[key];
    g.partition = t.data_file.partition;
    g.tasks.push_back(&t);
    for (const iceberg::DataFile& d : t.deletes) g.deletes.emplace(d.file_path, d);
  }
  return groups;
}

// The data files to rewrite in `g` (empty: leave the partition alone).
std::vector<const iceberg::FileScanTask*> PickFiles(const PartitionGroup& g, const CompactionOptions& options,
                                                    const std::map<std::string, std::vector<int64_t>>& deleted) {
  int small = 0;
  for (const auto* t : g.tasks) small += t->data_file.file_size_in_bytes < options.small_file_bytes;
  bool many_deletes = static_cast<int>(g.deletes.size()) >= options.min_delete_files;
  if (small < options.min_files && !many_deletes) return {};
  std::vector<const iceberg::FileScanTask*> out;
  for (const auto* t : g.tasks) {
    bool is_small = t->data_file.file_size_in_bytes < options.small_file_bytes;
    bool has_deletes = deleted.count(t->data_file.file_path) > 0;
    if (is_small || (!g.deletes.empty() && has_deletes)) out.push_back(t);
  }
  if (out.size() < 2 && g.deletes.empty()) return {};
  return out;
}

class PartitionRewriter {
 public:
  PartitionRewriter(const TableLayout& layout, int64_t epoch, bool track_moves)
      : layout_(layout), files_(&layout, EpochFilePrefix(epoch, "compact")), track_moves_(track_moves) {
    columns_.resize(layout.schema.fields.size());
    std::iota(columns_.begin(), columns_.end(), 0);
  }

  Status Rewrite(const PartitionGroup& g, const std::vector<const iceberg::FileScanTask*>& files,
                 const std::map<std::string, std::vector<int64_t>>& deleted, CompactionResult* result) {
    for (const iceberg::FileScanTask* t : files) RETURN_IF_ERROR(RewriteFile(g.partition, *t, deleted, result));
    return OkStatus();
  }

  Result<std::vector<iceberg::DataFile>> Finish(CompactionResult* result) {
    for (MovedRows& m : result->moves) {
      if (m.new_path.empty()) m.new_path = files_.PathOf(m.new_partition);
    }
    return files_.Finish();
  }

 private:
  Status RewriteFile(const std::vector<columnar::Value>& partition, const iceberg::FileScanTask& t,
                     const std::map<std::string, std::vector<int64_t>>& deleted, CompactionResult* result) {
    auto d = deleted.find(t.data_file.file_path);
    const std::vector<int64_t>* del = d == deleted.end() ? nullptr : &d->second;
    ASSIGN_OR_RETURN(auto reader, DataFileReader::Open(t.data_file.file_path, layout_.schema, columns_, del));
    MovedRows moved;
    moved.old_path = t.data_file.file_path;
    moved.new_partition = partition;
    bool first = true;
    for (size_t rg = 0; rg < reader->num_row_groups(); ++rg) {
      if (reader->RowGroupDeleted(rg)) continue;
      ASSIGN_OR_RETURN(std::vector<columnar::Batch> batches, reader->ReadRowGroup(rg));
      int64_t base = reader->row_group_start(rg);
      for (const columnar::Batch& b : batches) {
        if (b.active_rows() > 0) {
          ASSIGN_OR_RETURN(int64_t pos, files_.WriteTo(partition, b));
          if (first) moved.new_first_pos = pos;
          first = false;
          if (track_moves_) {
            for (size_t i = 0; i < b.active_rows(); ++i) moved.kept.push_back(base + b.row(i));
          }
        }
        base += static_cast<int64_t>(b.num_rows);
      }
    }
    ++result->rewritten_data_files;
    if (track_moves_ && !moved.kept.empty()) result->moves.push_back(std::move(moved));
    return OkStatus();
  }

  const TableLayout& layout_;
  DataFileSet files_;
  bool track_moves_;
  std::vector<int> columns_;
};

}  // namespace

Result<CompactionResult> CompactTable(iceberg::Table& table, const TableLayout& layout,
                                      const CompactionOptions& options, int64_t epoch, bool track_moves) {
  CompactionResult result;
  std::shared_ptr<const iceberg::TableMetadata> m = table.metadata();
  const iceberg::Snapshot* current = m->current_snapshot();
  if (current == nullptr) return result;
  ASSIGN_OR_RETURN(iceberg::ScanPlan plan, iceberg::PlanScan(*m, iceberg::ScanOptions::AtSnapshot(current->snapshot_id)));
  PartitionRewriter rewriter(layout, epoch, track_moves);
  std::vector<std::string> remove;
  for (const auto& [key, g] : GroupByPartition(plan)) {
    std::vector<iceberg::DataFile> delete_files;
    for (const auto& [path, d] : g.deletes) delete_files.push_back(d);
    ASSIGN_OR_RETURN(auto deleted, ReadPositionDeletes(delete_files));
    std::vector<const iceberg::FileScanTask*> files = PickFiles(g, options, deleted);
    if (files.empty()) continue;
    RETURN_IF_ERROR(rewriter.Rewrite(g, files, deleted, &result));
    for (const auto* t : files) remove.push_back(t->data_file.file_path);
    for (const auto& [path, d] : g.deletes) remove.push_back(path);
    result.removed_delete_files += static_cast<int64_t>(g.deletes.size());
  }
  if (remove.empty()) return result;
  ASSIGN_OR_RETURN(std::vector<iceberg::DataFile> added, rewriter.Finish(&result));
  result.added_files = static_cast<int64_t>(added.size());
  iceberg::Summary summary;
  for (const auto& [k, v] : current->summary) {
    if (k.starts_with("kappa.")) summary[k] = v;
  }
  summary["kappa.compaction"] = "true";
  auto committed = table.Replace(std::move(remove), added, std::move(summary));
  if (!committed.ok()) {
    for (const iceberg::DataFile& f : added) (void)RemoveFile(f.file_path);
    return committed.status();
  }
  return result;
}

}  // namespace kappa::engine
