#include "table/iceberg/table.h"

#include <cctype>

#include "base/file.h"
#include "base/time.h"
#include "table/iceberg/snapshot_builder.h"
#include "table/iceberg/table_io.h"

namespace kappa::table::iceberg {
namespace {

constexpr int64_t kDefaultPreviousVersionsMax = 100;

std::string HintPath(const std::string& location) { return location + "/metadata/version-hint.text"; }

std::string VersionPath(const std::string& location, int64_t version) {
  return fmt::format("{}/metadata/v{}.metadata.json", location, version);
}

std::optional<int64_t> ParseDigits(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The largest N of metadata/v<N>.metadata.json, or 0.
int64_t ScanVersions(const std::string& location) {
  auto names = ListDir(location + "/metadata");
  if (!names.ok()) return 0;
  int64_t best = 0;
  for (const std::string& name : *names) {
    constexpr std::string_view kSuffix = ".metadata.json";
    if (name.size() <= kSuffix.size() + 1 || name[0] != 'v' || !name.ends_with(kSuffix)) continue;
    auto n = ParseDigits(std::string_view(name).substr(1, name.size() - 1 - kSuffix.size()));
    if (n) best = std::max(best, *n);
  }
  return best;
}

Result<std::shared_ptr<const TableMetadata>> ReadMetadata(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto parsed = MetadataFromJson(text);
  if (!parsed.ok()) return parsed.status().WithContext(path);
  return std::make_shared<const TableMetadata>(std::move(*parsed));
}

Status CheckSpecAndOrder(const Schema& schema, const PartitionSpec& spec, const SortOrder& order) {
  for (const PartitionField& f : spec.fields) RETURN_IF_ERROR(PartitionFieldType(schema, f).status());
  for (const SortField& f : order.fields) {
    if (schema.FindById(f.source_id) == nullptr) return Invalid("iceberg: sort field {} not in the schema", f.source_id);
  }
  if (order.order_id == 0 && !order.fields.empty()) return Invalid("iceberg: sort order id 0 must be unsorted");
  return OkStatus();
}

void TrimMetadataLog(TableMetadata* m) {
  auto max = static_cast<size_t>(std::max<int64_t>(0, m->IntProperty(kPropPreviousVersionsMax, kDefaultPreviousVersionsMax)));
  if (m->metadata_log.size() > max) {
    m->metadata_log.erase(m->metadata_log.begin(), m->metadata_log.end() - static_cast<ptrdiff_t>(max));
  }
}

}  // namespace

Result<int64_t> FindCurrentVersion(const std::string& location) {
  int64_t version = 0;
  auto hint = ReadFile(HintPath(location));
  if (hint.ok()) version = ParseDigits(*hint).value_or(0);
  if (version == 0 || !PathExists(VersionPath(location, version))) version = ScanVersions(location);
  if (version == 0) return NotFound("no Iceberg table at {}", location);
  while (PathExists(VersionPath(location, version + 1))) ++version;
  return version;
}

Table::Table(std::string location, std::shared_ptr<const TableMetadata> metadata, int64_t version)
    : location_(std::move(location)), metadata_(std::move(metadata)), version_(version) {}

Result<std::unique_ptr<Table>> Table::Create(const std::string& location, const Schema& schema,
                                             const PartitionSpec& spec, const SortOrder& order,
                                             std::map<std::string, std::string> properties) {
  if (location.empty() || location[0] != '/') return Invalid("iceberg: table location {} is not absolute", location);
  RETURN_IF_ERROR(CheckSpecAndOrder(schema, spec, order));
  if (FindCurrentVersion(location).ok()) return AlreadyExists("a table already exists at {}", location);
  RETURN_IF_ERROR(CreateDirs(location + "/metadata"));
  RETURN_IF_ERROR(CreateDirs(location + "/data"));
  TableMetadata m = NewTableMetadata(location, schema, spec, order, std::move(properties), WallMillis());
  Status st = WriteNewFile(VersionPath(location, 1), MetadataToJson(m).dump(2));
  if (st.code() == StatusCode::kAlreadyExists) return AlreadyExists("a table already exists at {}", location);
  RETURN_IF_ERROR(st);
  (void)WriteFileAtomically(HintPath(location), "1");
  return std::unique_ptr<Table>(new Table(location, std::make_shared<const TableMetadata>(std::move(m)), 1));
}

Result<std::unique_ptr<Table>> Table::Load(const std::string& location) {
  ASSIGN_OR_RETURN(int64_t version, FindCurrentVersion(location));
  ASSIGN_OR_RETURN(auto metadata, ReadMetadata(VersionPath(location, version)));
  return std::unique_ptr<Table>(new Table(location, std::move(metadata), version));
}

Status Table::Refresh() {
  ASSIGN_OR_RETURN(int64_t version, FindCurrentVersion(location_));
  if (version == this->version()) return OkStatus();
  ASSIGN_OR_RETURN(auto metadata, ReadMetadata(VersionPath(location_, version)));
  std::lock_guard lock(mu_);
  if (version > version_) {
    metadata_ = std::move(metadata);
    version_ = version;
  }
  return OkStatus();
}

std::shared_ptr<const TableMetadata> Table::metadata() const {
  std::lock_guard lock(mu_);
  return metadata_;
}

int64_t Table::version() const {
  std::lock_guard lock(mu_);
  return version_;
}

std::string Table::MetadataFilePath(int64_t version) const { return VersionPath(location_, version); }

std::string Table::NewDataFilePath(const std::vector<columnar::Value>& partition, std::string_view suffix) const {
  std::string dir = data_dir();
  if (!partition.empty()) dir += "/" + PartitionPath(metadata()->default_spec(), partition);
  return fmt::format("{}/{}{}", dir, NewUuid(), suffix);
}

Result<Snapshot> Table::Append(std::vector<DataFile> data_files, Summary summary) {
  return Commit({"append", std::move(data_files), {}, {}, std::move(summary)});
}

Result<Snapshot> Table::RowDelta(std::vector<DataFile> data_files, std::vector<DataFile> delete_files,
                                 Summary summary) {
  std::string op = delete_files.empty() ? "append" : "overwrite";
  return Commit({op, std::move(data_files), std::move(delete_files), {}, std::move(summary)});
}

Result<Snapshot> Table::Overwrite(std::vector<std::string> remove_paths, std::vector<DataFile> add_files,
                                  Summary summary) {
  std::string op = add_files.empty() ? "delete" : "overwrite";
  return Commit({op, std::move(add_files), {}, std::move(remove_paths), std::move(summary)});
}

Result<Snapshot> Table::Replace(std::vector<std::string> remove_paths, std::vector<DataFile> add_files,
                                Summary summary) {
  return Commit({"replace", std::move(add_files), {}, std::move(remove_paths), std::move(summary)});
}

Result<Snapshot> Table::Commit(TableChange change) {
  std::lock_guard commit_lock(commit_mu_);
  std::shared_ptr<const TableMetadata> base = metadata();
  int64_t base_version = version();
  ASSIGN_OR_RETURN(BuiltSnapshot built, BuildSnapshot(*base, metadata_dir(), change, WallMillis()));
  Status st = Publish(std::move(built.metadata), *base, base_version);
  if (!st.ok()) {
    for (const std::string& path : built.written) (void)RemoveFile(path);
    return st;
  }
  return built.snapshot;
}

Status Table::CommitMetadata(const std::function<Status(TableMetadata*)>& edit) {
  std::lock_guard commit_lock(commit_mu_);
  std::shared_ptr<const TableMetadata> base = metadata();
  int64_t base_version = version();
  TableMetadata next = *base;
  RETURN_IF_ERROR(edit(&next));
  next.last_updated_ms = std::max(WallMillis(), next.last_updated_ms);
  return Publish(std::move(next), *base, base_version);
}

// The version hint is best effort: the commit point is the metadata file,
// and readers probe past a stale hint.
Status Table::Publish(TableMetadata next, const TableMetadata& base, int64_t base_version) {
  next.metadata_log.push_back({base.last_updated_ms, VersionPath(location_, base_version)});
  TrimMetadataLog(&next);
  int64_t version = base_version + 1;
  Status st = WriteNewFile(VersionPath(location_, version), MetadataToJson(next).dump(2));
  if (st.code() == StatusCode::kAlreadyExists) {
    return Busy("iceberg commit conflict: {} version {} was committed by another writer; refresh and retry",
                location_, version);
  }
  RETURN_IF_ERROR(st);
  (void)WriteFileAtomically(HintPath(location_), std::to_string(version));
  std::lock_guard lock(mu_);
  metadata_ = std::make_shared<const TableMetadata>(std::move(next));
  version_ = version;
  return OkStatus();
}

}  // namespace kappa::table::iceberg
