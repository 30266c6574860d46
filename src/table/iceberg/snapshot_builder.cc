#include "table/iceberg/snapshot_builder.h"

#include <map>
#include <random>
#include <set>

#include "base/file.h"
#include "table/iceberg/table_io.h"

namespace kappa::table::iceberg {
namespace {

constexpr int64_t kDefaultMergeMinCount = 100;

// Changes in files and rows, for the summary's added-/deleted-/total- keys.
struct Counts {
  int64_t data_files = 0;
  int64_t records = 0;
  int64_t files_size = 0;
  int64_t delete_files = 0;
  int64_t position_delete_files = 0;
  int64_t equality_delete_files = 0;
  int64_t position_deletes = 0;
  int64_t equality_deletes = 0;

  void Add(const DataFile& f) {
    files_size += f.file_size_in_bytes;
    if (f.content == FileContent::kData) {
      ++data_files;
      records += f.record_count;
      return;
    }
    ++delete_files;
    if (f.content == FileContent::kPositionDeletes) {
      ++position_delete_files;
      position_deletes += f.record_count;
    } else {
      ++equality_delete_files;
      equality_deletes += f.record_count;
    }
  }
};

int64_t SummaryInt(const Snapshot* s, const std::string& key) {
  if (s == nullptr) return 0;
  auto it = s->summary.find(key);
  if (it == s->summary.end()) return 0;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return 0;
  }
}

void PutIfNonZero(Summary* s, const char* key, int64_t v) {
  if (v != 0) (*s)[key] = std::to_string(v);
}

Summary CountersSummary(const Snapshot* parent, const Counts& added, const Counts& removed) {
  Summary s;
  PutIfNonZero(&s, "added-data-files", added.data_files);
  PutIfNonZero(&s, "added-records", added.records);
  PutIfNonZero(&s, "added-files-size", added.files_size);
  PutIfNonZero(&s, "added-delete-files", added.delete_files);
  PutIfNonZero(&s, "added-position-delete-files", added.position_delete_files);
  PutIfNonZero(&s, "added-equality-delete-files", added.equality_delete_files);
  PutIfNonZero(&s, "added-position-deletes", added.position_deletes);
  PutIfNonZero(&s, "added-equality-deletes", added.equality_deletes);
  PutIfNonZero(&s, "deleted-data-files", removed.data_files);
  PutIfNonZero(&s, "deleted-records", removed.records);
  PutIfNonZero(&s, "removed-files-size", removed.files_size);
  PutIfNonZero(&s, "removed-delete-files", removed.delete_files);
  PutIfNonZero(&s, "removed-position-deletes", removed.position_deletes);
  PutIfNonZero(&s, "removed-equality-deletes", removed.equality_deletes);
  auto total = [&](const char* key, int64_t plus, int64_t minus) {
    s[key] = std::to_string(SummaryInt(parent, key) + plus - minus);
  };
  total("total-records", added.records, removed.records);
  total("total-files-size", added.files_size, removed.files_size);
  total("total-data-files", added.data_files, removed.data_files);
  total("total-delete-files", added.delete_files, removed.delete_files);
  total("total-position-deletes", added.position_deletes, removed.position_deletes);
  total("total-equality-deletes", added.equality_deletes, removed.equality_deletes);
  return s;
}

Status CheckFile(const DataFile& f, const PartitionSpec& spec, bool want_data) {
  if (f.file_path.empty()) return Invalid("iceberg commit: a data file without a path");
  bool is_data = f.content == FileContent::kData;
  if (is_data != want_data) {
    return Invalid("iceberg commit: {} is a {} file where a {} file belongs", f.file_path,
                   is_data ? "data" : "delete", want_data ? "data" : "delete");
  }
  if (f.partition.size() != spec.fields.size()) {
    return Invalid("iceberg commit: {} has {} partition values, spec {} has {} fields", f.file_path,
                   f.partition.size(), spec.spec_id, spec.fields.size());
  }
  if (f.record_count < 0 || f.file_size_in_bytes < 0) return Invalid("iceberg commit: {} has negative counts", f.file_path);
  if (f.content == FileContent::kEqualityDeletes && f.equality_ids.empty()) {
    return Invalid("iceberg commit: equality delete file {} without equality_ids", f.file_path);
  }
  return OkStatus();
}

class Builder {
 public:
  Builder(const TableMetadata& base, std::string dir, const TableChange& change, int64_t now_ms)
      : base_(base), dir_(std::move(dir)), change_(change), parent_(base.current_snapshot()) {
    snapshot_id_ = NewSnapshotId(base);
    sequence_number_ = base.last_sequence_number + 1;
    timestamp_ms_ = std::max(now_ms, base.last_updated_ms);
    batch_ = NewUuid();
  }

  const std::vector<std::string>& written() const { return written_; }

  Result<BuiltSnapshot> Build() {
    RETURN_IF_ERROR(CheckFiles());
    ASSIGN_OR_RETURN(std::vector<ManifestFile> carried, CarriedManifests());
    ASSIGN_OR_RETURN(carried, MergeIfTooMany(std::move(carried)));
    std::vector<ManifestFile> manifests;
    RETURN_IF_ERROR(AddNewManifest(change_.add_data, ManifestContent::kData, &manifests));
    RETURN_IF_ERROR(AddNewManifest(change_.add_deletes, ManifestContent::kDeletes, &manifests));
    manifests.insert(manifests.end(), carried.begin(), carried.end());
    RETURN_IF_ERROR(WriteList(manifests));
    return Finish();
  }

 private:
  const PartitionSpec& spec() const { return base_.default_spec(); }

  Status CheckFiles() {
    for (const DataFile& f : change_.add_data) RETURN_IF_ERROR(CheckFile(f, spec(), true));
    for (const DataFile& f : change_.add_deletes) RETURN_IF_ERROR(CheckFile(f, spec(), false));
    remove_.insert(change_.remove_paths.begin(), change_.remove_paths.end());
    return OkStatus();
  }

  std::string NextManifestPath() { return fmt::format("{}/{}-m{}.avro", dir_, batch_, manifest_index_++); }

  Result<ManifestFile> WriteManifest(ManifestContent content, int32_t spec_id,
                                     const std::vector<ManifestEntry>& entries) {
    const PartitionSpec* manifest_spec = base_.SpecById(spec_id);
    if (manifest_spec == nullptr) return Internal("iceberg commit: spec {} missing", spec_id);
    ManifestContext ctx{&base_.current_schema(), manifest_spec, content, snapshot_id_, sequence_number_};
    std::string path = NextManifestPath();
    ASSIGN_OR_RETURN(EncodedManifest m, EncodeManifest(path, ctx, entries));
    RETURN_IF_ERROR(WriteFileAtomically(path, m.bytes));
    written_.push_back(path);
    return m.file;
  }

  Status AddNewManifest(const std::vector<DataFile>& files, ManifestContent content,
                        std::vector<ManifestFile>* out) {
    if (files.empty()) return OkStatus();
    std::vector<ManifestEntry> entries;
    for (const DataFile& f : files) {
      added_.Add(f);
      entries.push_back({EntryStatus::kAdded, snapshot_id_, sequence_number_, sequence_number_, f});
    }
    ASSIGN_OR_RETURN(ManifestFile m, WriteManifest(content, spec().spec_id, entries));
    out->push_back(std::move(m));
    return OkStatus();
  }

  // The parent's manifests, with those holding removed files rewritten.
  Result<std::vector<ManifestFile>> CarriedManifests() {
    std::vector<ManifestFile> out;
    if (parent_ == nullptr) return out;
    ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests, ReadManifestList(parent_->manifest_list));
    std::set<std::string> found;
    for (ManifestFile& m : manifests) {
      if (remove_.empty()) {
        out.push_back(std::move(m));
        continue;
      }
      ASSIGN_OR_RETURN(ManifestFile kept, RemoveFrom(std::move(m), &found));
      out.push_back(std::move(kept));
    }
    for (const std::string& path : remove_) {
      if (!found.count(path)) {
        return Busy("iceberg commit: {} is not a live file of the table (removed by another commit?)", path);
      }
    }
    return out;
  }

  Result<ManifestFile> RemoveFrom(ManifestFile m, std::set<std::string>* found) {
    ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifestEntries(base_, m));
    bool touched = false;
    for (const ManifestEntry& e : entries) {
      touched = touched || (e.status != EntryStatus::kDeleted && remove_.count(e.data_file.file_path));
    }
    if (!touched) return m;
    std::vector<ManifestEntry> rewritten;
    for (ManifestEntry& e : entries) {
      if (e.status == EntryStatus::kDeleted) continue;
      if (remove_.count(e.data_file.file_path)) {
        found->insert(e.data_file.file_path);
        removed_.Add(e.data_file);
        e.status = EntryStatus::kDeleted;
        e.snapshot_id = snapshot_id_;
      } else {
        e.status = EntryStatus::kExisting;
      }
      rewritten.push_back(std::move(e));
    }
    return WriteManifest(m.content, m.partition_spec_id, rewritten);
  }

  // Merges each (content, spec) group of carried manifests into one once the
  // group holds more than commit.manifest.min-count-to-merge manifests.
  Result<std::vector<ManifestFile>> MergeIfTooMany(std::vector<ManifestFile> carried) {
    int64_t limit = base_.IntProperty(kPropMergeMinCount, kDefaultMergeMinCount);
    std::map<std::pair<int, int32_t>, std::vector<ManifestFile>> groups;
    for (ManifestFile& m : carried) groups[{static_cast<int>(m.content), m.partition_spec_id}].push_back(std::move(m));
    std::vector<ManifestFile> out;
    for (auto& [key, group] : groups) {
      if (static_cast<int64_t>(group.size()) <= limit) {
        out.insert(out.end(), group.begin(), group.end());
        continue;
      }
      ASSIGN_OR_RETURN(ManifestFile merged, Merge(group));
      out.push_back(std::move(merged));
    }
    return out;
  }

  Result<ManifestFile> Merge(const std::vector<ManifestFile>& group) {
    std::vector<ManifestEntry> live;
    for (const ManifestFile& m : group) {
      ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifestEntries(base_, m));
      for (ManifestEntry& e : entries) {
        if (e.status == EntryStatus::kDeleted) continue;
        e.status = EntryStatus::kExisting;
        live.push_back(std::move(e));
      }
    }
    return WriteManifest(group.front().content, group.front().partition_spec_id, live);
  }

  Status WriteList(const std::vector<ManifestFile>& manifests) {
    manifest_list_ = fmt::format("{}/snap-{}-1-{}.avro", dir_, snapshot_id_, batch_);
    ManifestListContext ctx{snapshot_id_, std::nullopt, sequence_number_};
    if (parent_ != nullptr) ctx.parent_snapshot_id = parent_->snapshot_id;
    ASSIGN_OR_RETURN(std::string bytes, EncodeManifestList(ctx, manifests));
    RETURN_IF_ERROR(WriteFileAtomically(manifest_list_, bytes));
    written_.push_back(manifest_list_);
    return OkStatus();
  }

  BuiltSnapshot Finish() {
    Snapshot s;
    s.snapshot_id = snapshot_id_;
    if (parent_ != nullptr) s.parent_snapshot_id = parent_->snapshot_id;
    s.sequence_number = sequence_number_;
    s.timestamp_ms = timestamp_ms_;
    s.manifest_list = manifest_list_;
    s.schema_id = base_.current_schema_id;
    s.summary = change_.summary;
    for (auto& [k, v] : CountersSummary(parent_, added_, removed_)) s.summary[k] = v;
    s.summary[kOperation] = change_.operation;

    BuiltSnapshot out{base_, s, written_};
    TableMetadata& m = out.metadata;
    m.last_sequence_number = sequence_number_;
    m.last_updated_ms = timestamp_ms_;
    m.snapshots.push_back(s);
    m.current_snapshot_id = snapshot_id_;
    m.snapshot_log.push_back({timestamp_ms_, snapshot_id_});
    m.refs["main"] = SnapshotRef{snapshot_id_, "branch"};
    return out;
  }

  const TableMetadata& base_;
  const std::string dir_;
  const TableChange& change_;
  const Snapshot* parent_;
  int64_t snapshot_id_ = 0;
  int64_t sequence_number_ = 0;
  int64_t timestamp_ms_ = 0;
  std::string batch_;  // uuid shared by this commit's file names
  int manifest_index_ = 0;
  std::set<std::string> remove_;
  Counts added_, removed_;
  std::string manifest_list_;
  std::vector<std::string> written_;
};

}  // namespace

int64_t NewSnapshotId(const TableMetadata& metadata) {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  std::uniform_int_distribution<int64_t> dist(1, (int64_t{1} << 53) - 1);
  for (;;) {
    int64_t id = dist(rng);
    if (metadata.SnapshotById(id) == nullptr) return id;
  }
}

Result<BuiltSnapshot> BuildSnapshot(const TableMetadata& base, const std::string& metadata_dir,
                                    const TableChange& change, int64_t now_ms) {
  Builder builder(base, metadata_dir, change, now_ms);
  auto built = builder.Build();
  if (!built.ok()) {
    for (const std::string& path : builder.written()) (void)RemoveFile(path);
  }
  return built;
}

}  // namespace kappa::table::iceberg
