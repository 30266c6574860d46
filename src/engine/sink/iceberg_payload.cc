#include "engine/sink/iceberg_payload.h"

#include "engine/state/key_codec.h"
#include "engine/state/state_io.h"

namespace kappa::engine {
namespace {

constexpr uint8_t kPayloadVersion = 1;
constexpr uint64_t kMaxCount = uint64_t{1} << 32;

void PutCounts(StateWriter* w, const std::map<int32_t, int64_t>& m) {
  w->UVarint(m.size());
  for (const auto& [id, v] : m) {
    w->U32(static_cast<uint32_t>(id));
    w->I64(v);
  }
}

void PutBounds(StateWriter* w, const std::map<int32_t, std::string>& m) {
  w->UVarint(m.size());
  for (const auto& [id, v] : m) {
    w->U32(static_cast<uint32_t>(id));
    w->Bytes(v);
  }
}

void PutDataFile(StateWriter* w, const iceberg::DataFile& f) {
  w->U8(static_cast<uint8_t>(f.content));
  w->Bytes(f.file_path);
  std::string partition;
  for (const columnar::Value& v : f.partition) EncodeValue(v, &partition);
  w->Bytes(partition);
  w->I64(f.record_count);
  w->I64(f.file_size_in_bytes);
  PutCounts(w, f.column_sizes);
  PutCounts(w, f.value_counts);
  PutCounts(w, f.null_value_counts);
  PutCounts(w, f.nan_value_counts);
  PutBounds(w, f.lower_bounds);
  PutBounds(w, f.upper_bounds);
  w->UVarint(f.split_offsets.size());
  for (int64_t o : f.split_offsets) w->I64(o);
  w->U8(f.referenced_data_file ? 1 : 0);
  if (f.referenced_data_file) w->Bytes(*f.referenced_data_file);
}

Status Count(StateReader* r, uint64_t* n) {
  RETURN_IF_ERROR(r->UVarint(n));
  if (*n > kMaxCount || *n > r->remaining()) return Corruption("iceberg sink payload: count {} too large", *n);
  return OkStatus();
}

Status GetCounts(StateReader* r, std::map<int32_t, int64_t>* m) {
  uint64_t n = 0;
  RETURN_IF_ERROR(Count(r, &n));
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t id = 0;
    int64_t v = 0;
    RETURN_IF_ERROR(r->U32(&id));
    RETURN_IF_ERROR(r->I64(&v));
    (*m)[static_cast<int32_t>(id)] = v;
  }
  return OkStatus();
}

Status GetBounds(StateReader* r, std::map<int32_t, std::string>* m) {
  uint64_t n = 0;
  RETURN_IF_ERROR(Count(r, &n));
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t id = 0;
    std::string_view v;
    RETURN_IF_ERROR(r->U32(&id));
    RETURN_IF_ERROR(r->Bytes(&v));
    (*m)[static_cast<int32_t>(id)] = std::string(v);
  }
  return OkStatus();
}

Status GetPartition(std::string_view bytes, const TableLayout& layout, std::vector<columnar::Value>* out) {
  for (const iceberg::PartitionField& f : layout.spec.fields) {
    ASSIGN_OR_RETURN(columnar::DataType type, iceberg::PartitionFieldType(layout.schema, f));
    ASSIGN_OR_RETURN(columnar::Value v, DecodeValue(&bytes, type));
    out->push_back(std::move(v));
  }
  if (!bytes.empty()) return Corruption("iceberg sink payload: partition has extra bytes");
  return OkStatus();
}

Status GetDataFile(StateReader* r, const TableLayout& layout, iceberg::DataFile* f) {
  uint8_t content = 0;
  std::string_view path, partition;
  RETURN_IF_ERROR(r->U8(&content));
  if (content > 2) return Corruption("iceberg sink payload: file content {}", content);
  f->content = static_cast<iceberg::FileContent>(content);
  RETURN_IF_ERROR(r->Bytes(&path));
  f->file_path = std::string(path);
  RETURN_IF_ERROR(r->Bytes(&partition));
  RETURN_IF_ERROR(GetPartition(partition, layout, &f->partition));
  RETURN_IF_ERROR(r->I64(&f->record_count));
  RETURN_IF_ERROR(r->I64(&f->file_size_in_bytes));
  RETURN_IF_ERROR(GetCounts(r, &f->column_sizes));
  RETURN_IF_ERROR(GetCounts(r, &f->value_counts));
  RETURN_IF_ERROR(GetCounts(r, &f->null_value_counts));
  RETURN_IF_ERROR(GetCounts(r, &f->nan_value_counts));
  RETURN_IF_ERROR(GetBounds(r, &f->lower_bounds));
  RETURN_IF_ERROR(GetBounds(r, &f->upper_bounds));
  uint64_t n = 0;
  RETURN_IF_ERROR(Count(r, &n));
  f->split_offsets.resize(n);
  for (int64_t& o : f->split_offsets) RETURN_IF_ERROR(r->I64(&o));
  uint8_t has_ref = 0;
  RETURN_IF_ERROR(r->U8(&has_ref));
  if (has_ref) {
    std::string_view ref;
    RETURN_IF_ERROR(r->Bytes(&ref));
    f->referenced_data_file = std::string(ref);
  }
  return OkStatus();
}

Status GetKeys(StateReader* r, std::vector<std::string>* keys) {
  uint64_t n = 0;
  RETURN_IF_ERROR(Count(r, &n));
  keys->reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view k;
    RETURN_IF_ERROR(r->Bytes(&k));
    keys->emplace_back(k);
  }
  return OkStatus();
}

}  // namespace

std::string EncodePayload(const SinkPayload& payload) {
  if (payload.empty()) return std::string();
  StateWriter w;
  w.U8(kPayloadVersion);
  w.UVarint(payload.files.size());
  for (const iceberg::DataFile& f : payload.files) PutDataFile(&w, f);
  w.UVarint(payload.row_keys.size());
  for (const auto& keys : payload.row_keys) {
    w.UVarint(keys.size());
    for (const std::string& k : keys) w.Bytes(k);
  }
  w.UVarint(payload.deleted_keys.size());
  for (const std::string& k : payload.deleted_keys) w.Bytes(k);
  return w.Take();
}

Result<SinkPayload> DecodePayload(std::string_view bytes, const TableLayout& layout) {
  SinkPayload p;
  if (bytes.empty()) return p;
  StateReader r(bytes, "iceberg sink payload");
  uint8_t version = 0;
  RETURN_IF_ERROR(r.U8(&version));
  if (version != kPayloadVersion) return Corruption("iceberg sink payload: version {}", version);
  uint64_t n = 0;
  RETURN_IF_ERROR(Count(&r, &n));
  p.files.resize(n);
  for (iceberg::DataFile& f : p.files) RETURN_IF_ERROR(GetDataFile(&r, layout, &f));
  RETURN_IF_ERROR(Count(&r, &n));
  if (n != 0 && n != p.files.size()) return Corruption("iceberg sink payload: {} key lists for {} files", n, p.files.size());
  p.row_keys.resize(n);
  for (size_t i = 0; i < n; ++i) {
    RETURN_IF_ERROR(GetKeys(&r, &p.row_keys[i]));
    if (static_cast<int64_t>(p.row_keys[i].size()) != p.files[i].record_count) {
      return Corruption("iceberg sink payload: {} keys for {} rows", p.row_keys[i].size(), p.files[i].record_count);
    }
  }
  RETURN_IF_ERROR(GetKeys(&r, &p.deleted_keys));
  RETURN_IF_ERROR(r.ExpectEnd());
  return p;
}

}  // namespace kappa::engine
