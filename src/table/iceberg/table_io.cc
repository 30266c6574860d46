#include "table/iceberg/table_io.h"

#include <unistd.h>

#include <cerrno>

#include "base/file.h"

namespace kappa::table::iceberg {
namespace {

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string TempPathFor(const std::string& path) {
  std::string dir = DirOf(path);
  std::string base = path.substr(dir.size() + 1);
  return dir + "/." + base + "." + NewUuid().substr(0, 8) + ".tmp";
}

// Writes and fsyncs a fresh temp file next to `path`; returns its name.
Result<std::string> WriteTemp(const std::string& path, std::string_view contents) {
  std::string tmp = TempPathFor(path);
  ASSIGN_OR_RETURN(File file, File::Open(tmp, File::Mode::kCreateReadWrite));
  Status st = file.Append(contents);
  if (st.ok()) st = file.Sync();
  if (!st.ok()) {
    (void)RemoveFile(tmp);
    return st;
  }
  return tmp;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(std::string tmp, WriteTemp(path, contents));
  Status st = RenamePath(tmp, path);
  if (!st.ok()) {
    (void)RemoveFile(tmp);
    return st;
  }
  return SyncDir(DirOf(path));
}

// link(2) fails with EEXIST instead of replacing: of two writers racing for
// the same name exactly one succeeds. (base/file.h has no such call yet.)
Status WriteNewFile(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(std::string tmp, WriteTemp(path, contents));
  int rc = ::link(tmp.c_str(), path.c_str());
  int err = errno;
  (void)RemoveFile(tmp);
  if (rc != 0 && err == EEXIST) return AlreadyExists("{} already exists", path);
  if (rc != 0) return ErrnoError("link", path, err);
  return SyncDir(DirOf(path));
}

Result<std::vector<ManifestFile>> ReadManifestList(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  auto list = DecodeManifestList(bytes);
  if (!list.ok()) return list.status().WithContext(path);
  return list;
}

Result<std::vector<ManifestEntry>> ReadManifestEntries(const TableMetadata& metadata, const ManifestFile& manifest) {
  const PartitionSpec* spec = metadata.SpecById(manifest.partition_spec_id);
  if (spec == nullptr) {
    return Corruption("{}: partition spec {} is not in the table", manifest.manifest_path,
                      manifest.partition_spec_id);
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(manifest.manifest_path));
  auto entries = DecodeManifest(bytes, manifest, metadata.current_schema(), *spec);
  if (!entries.ok()) return entries.status().WithContext(manifest.manifest_path);
  return entries;
}

Result<std::vector<LiveFile>> ReadLiveFiles(const TableMetadata& metadata, const Snapshot& snapshot) {
  ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests, ReadManifestList(snapshot.manifest_list));
  std::vector<LiveFile> out;
  for (const ManifestFile& m : manifests) {
    ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, ReadManifestEntries(metadata, m));
    for (ManifestEntry& e : entries) {
      if (e.status != EntryStatus::kDeleted) out.push_back({std::move(e), m.partition_spec_id});
    }
  }
  return out;
}

}  // namespace kappa::table::iceberg
