#include "table/iceberg/maintenance.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/file.h"

namespace kappa::table::iceberg {
namespace {

// Collects the files snapshots reference, reading each manifest once.
class Reachability {
 public:
  explicit Reachability(const TableMetadata& metadata) : metadata_(metadata) {}

  // Adds the snapshot's manifest list, manifests and entries' files (only
  // the live ones if `live_only`).
  Status Add(const Snapshot& snapshot, bool live_only, std::set<std::string>* out) {
    out->insert(snapshot.manifest_list);
    ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests, ReadManifestList(snapshot.manifest_list));
    for (const ManifestFile& m : manifests) {
      out->insert(m.manifest_path);
      ASSIGN_OR_RETURN(const std::vector<ManifestEntry>* entries, Entries(m));
      for (const ManifestEntry& e : *entries) {
        if (!live_only || e.status != EntryStatus::kDeleted) out->insert(e.data_file.file_path);
      }
    }
    return OkStatus();
  }

 private:
  Result<const std::vector<ManifestEntry>*> Entries(const ManifestFile& m) {
    auto it = cache_.find(m.manifest_path);
    if (it == cache_.end()) {
      ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifestEntries(metadata_, m));
      it = cache_.emplace(m.manifest_path, std::move(entries)).first;
    }
    return &it->second;
  }

  const TableMetadata& metadata_;
  std::map<std::string, std::vector<ManifestEntry>> cache_;
};

std::set<int64_t> SnapshotsToKeep(const TableMetadata& m, const ExpireOptions& options) {
  std::vector<const Snapshot*> by_time;
  for (const Snapshot& s : m.snapshots) by_time.push_back(&s);
  std::sort(by_time.begin(), by_time.end(), [](const Snapshot* a, const Snapshot* b) {
    return a->sequence_number < b->sequence_number;
  });
  std::set<int64_t> keep;
  size_t retain = static_cast<size_t>(std::max(options.retain_last, 1));
  for (size_t i = 0; i < by_time.size(); ++i) {
    bool recent = by_time[i]->timestamp_ms >= options.older_than_ms;
    if (recent || i + retain >= by_time.size()) keep.insert(by_time[i]->snapshot_id);
  }
  if (m.current_snapshot_id) keep.insert(*m.current_snapshot_id);
  for (const auto& [name, ref] : m.refs) keep.insert(ref.snapshot_id);
  return keep;
}

Status DropSnapshots(TableMetadata* m, const std::set<int64_t>& expired) {
  auto gone = [&](int64_t id) { return expired.count(id) > 0; };
  std::erase_if(m->snapshots, [&](const Snapshot& s) { return gone(s.snapshot_id); });
  std::erase_if(m->snapshot_log, [&](const SnapshotLogEntry& e) { return gone(e.snapshot_id); });
  for (const auto& [name, ref] : m->refs) {
    if (gone(ref.snapshot_id)) return Internal("iceberg expire: ref {} points at an expired snapshot", name);
  }
  return OkStatus();
}

// Every regular file under dir, recursively.
void ListFilesUnder(const std::string& dir, std::vector<std::string>* out) {
  auto names = ListDir(dir);
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    std::string path = dir + "/" + name;
    if (ListDir(path).ok()) {
      ListFilesUnder(path, out);
    } else {
      out->push_back(path);
    }
  }
}

}  // namespace

Result<ExpireResult> ExpireSnapshots(Table& table, const ExpireOptions& options) {
  RETURN_IF_ERROR(table.Refresh());
  std::shared_ptr<const TableMetadata> base = table.metadata();
  std::set<int64_t> keep = SnapshotsToKeep(*base, options);
  ExpireResult result;
  std::set<int64_t> expired;
  for (const Snapshot& s : base->snapshots) {
    if (!keep.count(s.snapshot_id)) expired.insert(s.snapshot_id);
  }
  if (expired.empty()) return result;
  Reachability reach(*base);
  std::set<std::string> retained, candidates;
  for (const Snapshot& s : base->snapshots) {
    bool kept = keep.count(s.snapshot_id) > 0;
    RETURN_IF_ERROR(reach.Add(s, /*live_only=*/kept, kept ? &retained : &candidates));
  }
  RETURN_IF_ERROR(table.CommitMetadata([&](TableMetadata* m) { return DropSnapshots(m, expired); }));
  result.expired_snapshot_ids.assign(expired.begin(), expired.end());
  for (const std::string& path : candidates) {
    if (retained.count(path)) continue;
    if (RemoveFile(path).ok()) result.deleted_files.push_back(path);
  }
  return result;
}

Result<std::vector<std::string>> RemoveOrphanFiles(Table& table, int64_t older_than_ms) {
  RETURN_IF_ERROR(table.Refresh());
  std::shared_ptr<const TableMetadata> m = table.metadata();
  std::set<std::string> referenced = {table.MetadataFilePath(table.version()),
                                      table.metadata_dir() + "/version-hint.text"};
  for (const MetadataLogEntry& e : m->metadata_log) referenced.insert(e.metadata_file);
  Reachability reach(*m);
  for (const Snapshot& s : m->snapshots) RETURN_IF_ERROR(reach.Add(s, /*live_only=*/false, &referenced));
  std::vector<std::string> files;
  ListFilesUnder(table.metadata_dir(), &files);
  ListFilesUnder(table.data_dir(), &files);
  std::vector<std::string> removed;
  for (const std::string& path : files) {
    if (referenced.count(path)) continue;
    auto mtime = FileMtimeMillis(path);
    if (!mtime.ok() || *mtime >= older_than_ms) continue;
    if (RemoveFile(path).ok()) removed.push_back(path);
  }
  return removed;
}

Result<std::vector<SmallFileGroup>> FindSmallFiles(const TableMetadata& metadata, int64_t small_file_bytes,
                                                   int min_files) {
  std::vector<SmallFileGroup> out;
  const Snapshot* current = metadata.current_snapshot();
  if (current == nullptr) return out;
  ASSIGN_OR_RETURN(std::vector<LiveFile> live, ReadLiveFiles(metadata, *current));
  std::map<std::pair<int32_t, std::string>, SmallFileGroup> groups;
  for (LiveFile& f : live) {
    const DataFile& d = f.entry.data_file;
    if (d.content != FileContent::kData || d.file_size_in_bytes >= small_file_bytes) continue;
    std::string key;
    for (const columnar::Value& v : d.partition) key += v.ToString() + "\x1f";
    SmallFileGroup& g = groups[{f.spec_id, key}];
    g.spec_id = f.spec_id;
    g.partition = d.partition;
    g.total_bytes += d.file_size_in_bytes;
    g.files.push_back(std::move(f));
  }
  for (auto& [key, g] : groups) {
    if (static_cast<int>(g.files.size()) < min_files) continue;
    std::sort(g.files.begin(), g.files.end(), [](const LiveFile& a, const LiveFile& b) {
      return a.entry.data_file.file_size_in_bytes < b.entry.data_file.file_size_in_bytes;
    });
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace kappa::table::iceberg
