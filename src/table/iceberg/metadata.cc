#include "table/iceberg/metadata.h"

#include <random>

namespace kappa::table::iceberg {
namespace {

Json SnapshotToJson(const Snapshot& s) {
  Json j = {{"snapshot-id", s.snapshot_id}};
  if (s.parent_snapshot_id) j["parent-snapshot-id"] = *s.parent_snapshot_id;
  j["sequence-number"] = s.sequence_number;
  j["timestamp-ms"] = s.timestamp_ms;
  j["manifest-list"] = s.manifest_list;
  Json summary = Json::object();
  summary[kOperation] = s.operation();
  for (const auto& [k, v] : s.summary) {
    if (k != kOperation) summary[k] = v;
  }
  j["summary"] = std::move(summary);
  j["schema-id"] = s.schema_id;
  return j;
}

Snapshot SnapshotFromJson(const Json& j) {
  Snapshot s;
  s.snapshot_id = j.at("snapshot-id").get<int64_t>();
  if (j.contains("parent-snapshot-id") && !j["parent-snapshot-id"].is_null()) {
    s.parent_snapshot_id = j["parent-snapshot-id"].get<int64_t>();
  }
  s.sequence_number = j.value("sequence-number", int64_t{0});
  s.timestamp_ms = j.at("timestamp-ms").get<int64_t>();
  s.manifest_list = j.at("manifest-list").get<std::string>();
  for (const auto& [k, v] : j.at("summary").items()) s.summary[k] = v.is_string() ? v.get<std::string>() : v.dump();
  s.schema_id = j.value("schema-id", 0);
  return s;
}

Json MapToJson(const std::map<std::string, std::string>& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

Json LogsToJson(const TableMetadata& m, Json j) {
  Json snapshot_log = Json::array();
  for (const SnapshotLogEntry& e : m.snapshot_log) {
    snapshot_log.push_back({{"timestamp-ms", e.timestamp_ms}, {"snapshot-id", e.snapshot_id}});
  }
  Json metadata_log = Json::array();
  for (const MetadataLogEntry& e : m.metadata_log) {
    metadata_log.push_back({{"timestamp-ms", e.timestamp_ms}, {"metadata-file", e.metadata_file}});
  }
  Json refs = Json::object();
  for (const auto& [name, ref] : m.refs) refs[name] = {{"snapshot-id", ref.snapshot_id}, {"type", ref.type}};
  j["snapshot-log"] = std::move(snapshot_log);
  j["metadata-log"] = std::move(metadata_log);
  j["refs"] = std::move(refs);
  return j;
}

constexpr const char* kRequired[] = {
    "format-version",   "table-uuid",         "location",        "last-sequence-number",
    "last-updated-ms",  "last-column-id",     "schemas",         "current-schema-id",
    "partition-specs",  "default-spec-id",    "last-partition-id", "sort-orders",
    "default-sort-order-id",
};

Status CheckRequired(const Json& j) {
  if (!j.is_object()) return Invalid("iceberg metadata: not a JSON object");
  for (const char* key : kRequired) {
    if (!j.contains(key)) return Invalid("iceberg metadata: required field '{}' missing", key);
  }
  if (j["format-version"] != 2) return Unimplemented("iceberg metadata: format-version {}", j["format-version"].dump());
  return OkStatus();
}

Status ParseCollections(const Json& j, TableMetadata* m) {
  for (const Json& s : j["schemas"]) {
    ASSIGN_OR_RETURN(Schema schema, SchemaFromJson(s));
    m->schemas.push_back(std::move(schema));
  }
  for (const Json& s : j["partition-specs"]) {
    ASSIGN_OR_RETURN(PartitionSpec spec, PartitionSpecFromJson(s));
    m->partition_specs.push_back(std::move(spec));
  }
  for (const Json& s : j["sort-orders"]) {
    ASSIGN_OR_RETURN(SortOrder order, SortOrderFromJson(s));
    m->sort_orders.push_back(std::move(order));
  }
  for (const Json& s : j.value("snapshots", Json::array())) m->snapshots.push_back(SnapshotFromJson(s));
  for (const Json& e : j.value("snapshot-log", Json::array())) {
    m->snapshot_log.push_back({e.at("timestamp-ms").get<int64_t>(), e.at("snapshot-id").get<int64_t>()});
  }
  for (const Json& e : j.value("metadata-log", Json::array())) {
    m->metadata_log.push_back({e.at("timestamp-ms").get<int64_t>(), e.at("metadata-file").get<std::string>()});
  }
  const Json refs = j.value("refs", Json::object());
  for (const auto& [name, ref] : refs.items()) {
    m->refs[name] = {ref.at("snapshot-id").get<int64_t>(), ref.value("type", "branch")};
  }
  const Json properties = j.value("properties", Json::object());
  for (const auto& [k, v] : properties.items()) {
    m->properties[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return OkStatus();
}

Status CheckIds(const TableMetadata& m) {
  if (m.SchemaById(m.current_schema_id) == nullptr) {
    return Invalid("iceberg metadata: current-schema-id {} names no schema", m.current_schema_id);
  }
  if (m.SpecById(m.default_spec_id) == nullptr) {
    return Invalid("iceberg metadata: default-spec-id {} names no spec", m.default_spec_id);
  }
  if (m.current_snapshot_id && m.SnapshotById(*m.current_snapshot_id) == nullptr) {
    return Invalid("iceberg metadata: current-snapshot-id {} names no snapshot", *m.current_snapshot_id);
  }
  return OkStatus();
}

}  // namespace

std::string Snapshot::operation() const {
  auto it = summary.find(kOperation);
  return it == summary.end() ? "append" : it->second;
}

const Schema& TableMetadata::current_schema() const { return *SchemaById(current_schema_id); }
const PartitionSpec& TableMetadata::default_spec() const { return *SpecById(default_spec_id); }

const Schema* TableMetadata::SchemaById(int32_t id) const {
  for (const Schema& s : schemas) {
    if (s.schema_id == id) return &s;
  }
  return nullptr;
}

const PartitionSpec* TableMetadata::SpecById(int32_t id) const {
  for (const PartitionSpec& s : partition_specs) {
    if (s.spec_id == id) return &s;
  }
  return nullptr;
}

const Snapshot* TableMetadata::SnapshotById(int64_t id) const {
  for (const Snapshot& s : snapshots) {
    if (s.snapshot_id == id) return &s;
  }
  return nullptr;
}

const Snapshot* TableMetadata::current_snapshot() const {
  return current_snapshot_id ? SnapshotById(*current_snapshot_id) : nullptr;
}

const Snapshot* TableMetadata::SnapshotAsOf(int64_t timestamp_ms) const {
  const Snapshot* found = nullptr;
  for (const SnapshotLogEntry& e : snapshot_log) {
    if (e.timestamp_ms > timestamp_ms) break;
    if (const Snapshot* s = SnapshotById(e.snapshot_id)) found = s;
  }
  return found;
}

int64_t TableMetadata::IntProperty(std::string_view key, int64_t fallback) const {
  auto it = properties.find(std::string(key));
  if (it == properties.end()) return fallback;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return fallback;
  }
}

TableMetadata NewTableMetadata(std::string location, Schema schema, PartitionSpec spec, SortOrder order,
                               std::map<std::string, std::string> properties, int64_t now_ms) {
  TableMetadata m;
  m.table_uuid = NewUuid();
  m.location = std::move(location);
  m.last_updated_ms = now_ms;
  m.last_column_id = schema.HighestFieldId();
  m.current_schema_id = schema.schema_id;
  m.schemas.push_back(std::move(schema));
  m.default_spec_id = spec.spec_id;
  m.last_partition_id = spec.LastFieldId();
  m.partition_specs.push_back(std::move(spec));
  m.default_sort_order_id = order.order_id;
  if (order.order_id != 0) m.sort_orders.push_back(SortOrder{});
  m.sort_orders.push_back(std::move(order));
  m.properties = std::move(properties);
  return m;
}

Json MetadataToJson(const TableMetadata& m) {
  Json j = {
      {"format-version", m.format_version},
      {"table-uuid", m.table_uuid},
      {"location", m.location},
      {"last-sequence-number", m.last_sequence_number},
      {"last-updated-ms", m.last_updated_ms},
      {"last-column-id", m.last_column_id},
      {"current-schema-id", m.current_schema_id},
  };
  Json schemas = Json::array();
  for (const Schema& s : m.schemas) schemas.push_back(SchemaToJson(s));
  j["schemas"] = std::move(schemas);
  Json specs = Json::array();
  for (const PartitionSpec& s : m.partition_specs) specs.push_back(PartitionSpecToJson(s));
  j["default-spec-id"] = m.default_spec_id;
  j["partition-specs"] = std::move(specs);
  j["last-partition-id"] = m.last_partition_id;
  j["default-sort-order-id"] = m.default_sort_order_id;
  Json orders = Json::array();
  for (const SortOrder& o : m.sort_orders) orders.push_back(SortOrderToJson(o));
  j["sort-orders"] = std::move(orders);
  j["properties"] = MapToJson(m.properties);
  j["current-snapshot-id"] = m.current_snapshot_id.value_or(-1);
  Json snapshots = Json::array();
  for (const Snapshot& s : m.snapshots) snapshots.push_back(SnapshotToJson(s));
  j["snapshots"] = std::move(snapshots);
  return LogsToJson(m, std::move(j));
}

Result<TableMetadata> MetadataFromJson(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid("iceberg metadata: not valid JSON");
  RETURN_IF_ERROR(CheckRequired(j));
  TableMetadata m;
  try {
    m.format_version = j["format-version"].get<int>();
    m.table_uuid = j["table-uuid"].get<std::string>();
    m.location = j["location"].get<std::string>();
    m.last_sequence_number = j["last-sequence-number"].get<int64_t>();
    m.last_updated_ms = j["last-updated-ms"].get<int64_t>();
    m.last_column_id = j["last-column-id"].get<int32_t>();
    m.current_schema_id = j["current-schema-id"].get<int32_t>();
    m.default_spec_id = j["default-spec-id"].get<int32_t>();
    m.last_partition_id = j["last-partition-id"].get<int32_t>();
    m.default_sort_order_id = j["default-sort-order-id"].get<int32_t>();
    int64_t current = j.contains("current-snapshot-id") && !j["current-snapshot-id"].is_null()
                          ? j["current-snapshot-id"].get<int64_t>()
                          : -1;
    if (current >= 0) m.current_snapshot_id = current;
    RETURN_IF_ERROR(ParseCollections(j, &m));
  } catch (const Json::exception& e) {
    return Invalid("iceberg metadata: {}", e.what());
  }
  RETURN_IF_ERROR(CheckIds(m));
  return m;
}

std::string NewUuid() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~uint64_t{0xf000}) | 0x4000;
  lo = (lo & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                     lo & 0xffffffffffffULL);
}

}  // namespace kappa::table::iceberg
