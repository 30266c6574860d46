// IcebergSinkWriter: one task's staging for an IcebergSink (iceberg_sink.h).
#include <algorithm>
#include <filesystem>

#include "base/file.h"
#include "engine/sink/iceberg_sink.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

namespace {

std::vector<std::shared_ptr<columnar::Column>> EmptyColumns(const columnar::Schema& schema) {
  std::vector<std::shared_ptr<columnar::Column>> out;
  for (const columnar::Field& f : schema.fields()) out.push_back(std::make_shared<columnar::Column>(f.type));
  return out;
}

}  // namespace

IcebergSinkWriter::IcebergSinkWriter(IcebergSink* sink, int task)
    : sink_(sink), task_(task), files_(sink->layout_.get(), "") {
  if (sink_->upsert()) rows_ = EmptyColumns(sink_->layout_->columns);
}

std::string IcebergSinkWriter::Prefix() {
  if (epoch_ == 0) epoch_ = sink_->next_epoch_.load();
  return EpochFilePrefix(epoch_, fmt::format("t{}", task_));
}

size_t IcebergSinkWriter::staged_bytes() const {
  if (sink_->upsert()) return upsert_bytes_;
  int64_t n = files_.estimated_bytes();
  for (const iceberg::DataFile& f : finished_) n += f.file_size_in_bytes;
  return static_cast<size_t>(n);
}

Status IcebergSinkWriter::Stage(const columnar::Batch& batch) {
  if (batch.active_rows() == 0) return OkStatus();
  if (batch.num_columns() != sink_->layout_->columns.size()) {
    return Internal("{}: a batch of {} columns for {} table columns", sink_->name(), batch.num_columns(),
                    sink_->layout_->columns.size());
  }
  return sink_->upsert() ? StageUpsert(batch) : StageAppend(batch);
}

Status IcebergSinkWriter::StageAppend(const columnar::Batch& batch) {
  if (!batch.append_only()) {
    for (size_t i = 0; i < batch.active_rows(); ++i) {
      columnar::RowKind kind = batch.kind(batch.row(i));
      if (!columnar::IsAccumulate(kind)) {
        return Invalid("{} is append-only (no PRIMARY KEY) but its query produces {} rows; declare a "
                       "PRIMARY KEY to make it an upsert table", sink_->name(), columnar::RowKindName(kind));
      }
    }
  }
  if (files_.empty()) files_.set_prefix(Prefix());
  RETURN_IF_ERROR(files_.Write(batch));
  return RollIfLarge();
}

Status IcebergSinkWriter::RollIfLarge() {
  if (files_.estimated_bytes() < sink_->options_.target_file_bytes) return OkStatus();
  ASSIGN_OR_RETURN(std::vector<iceberg::DataFile> done, files_.Finish());
  for (iceberg::DataFile& f : done) finished_.push_back(std::move(f));
  return OkStatus();
}

Status IcebergSinkWriter::StageUpsert(const columnar::Batch& batch) {
  KeyEncoder keys(sink_->key_columns_);
  keys.Encode(batch);
  for (size_t i = 0; i < batch.active_rows(); ++i) {
    uint32_t r = batch.row(i);
    std::string_view key = keys.key(i);
    int64_t slot = -1;
    if (columnar::IsAccumulate(batch.kind(r))) {
      for (size_t c = 0; c < rows_.size(); ++c) rows_[c]->AppendFrom(*batch.columns[c], r);
      slot = static_cast<int64_t>(row_count_++);
      upsert_bytes_ += 16 * rows_.size();
    }
    auto [it, added] = latest_.try_emplace(std::string(key), slot);
    if (added) upsert_bytes_ += key.size() + 32;
    it->second = slot;
  }
  return OkStatus();
}

// Writes the epoch's surviving rows, one file per partition, and lists
// every row's key in file order.
Status IcebergSinkWriter::WriteUpserts(SinkPayload* payload) {
  std::vector<std::pair<int64_t, const std::string*>> live;
  for (const auto& [key, slot] : latest_) {
    if (slot < 0) {
      payload->deleted_keys.push_back(key);
    } else {
      live.emplace_back(slot, &key);
    }
  }
  std::sort(payload->deleted_keys.begin(), payload->deleted_keys.end());
  if (live.empty()) return OkStatus();
  std::sort(live.begin(), live.end());
  columnar::Batch all;
  for (const auto& c : rows_) all.columns.push_back(c);
  all.num_rows = row_count_;
  std::vector<uint32_t> selection;
  for (const auto& [slot, key] : live) selection.push_back(static_cast<uint32_t>(slot));
  all.selection = selection;
  PartitionRouter router(sink_->layout_.get());
  std::vector<uint32_t> part_of_row;
  std::vector<std::vector<columnar::Value>> partitions;
  RETURN_IF_ERROR(router.Route(all, &part_of_row, &partitions));
  std::map<std::string, std::vector<std::string>> keys_by_path;
  for (size_t p = 0; p < partitions.size(); ++p) {
    columnar::Batch part = all;
    std::vector<uint32_t> rows;
    std::vector<std::string> keys;
    for (size_t i = 0; i < live.size(); ++i) {
      if (part_of_row[i] != p) continue;
      rows.push_back(selection[i]);
      keys.push_back(*live[i].second);
    }
    part.selection = std::move(rows);
    RETURN_IF_ERROR(files_.WriteTo(partitions[p], part).status());
    keys_by_path[files_.PathOf(partitions[p])] = std::move(keys);
  }
  ASSIGN_OR_RETURN(payload->files, files_.Finish());
  for (const iceberg::DataFile& f : payload->files) payload->row_keys.push_back(std::move(keys_by_path[f.file_path]));
  return OkStatus();
}

Status IcebergSinkWriter::RenameToEpoch(std::vector<iceberg::DataFile>* files, int64_t epoch) {
  for (iceberg::DataFile& f : *files) {
    if (EpochOfFileName(f.file_path) == epoch) continue;
    std::string dir = std::filesystem::path(f.file_path).parent_path().string();
    std::string path = fmt::format("{}/{}-{}.parquet", dir, EpochFilePrefix(epoch, fmt::format("t{}", task_)),
                                   iceberg::NewUuid());
    RETURN_IF_ERROR(RenamePath(f.file_path, path));
    RETURN_IF_ERROR(SyncDir(dir));
    f.file_path = std::move(path);
  }
  return OkStatus();
}

Result<std::string> IcebergSinkWriter::PrepareCommit(Epoch epoch) {
  SinkPayload payload;
  if (sink_->upsert()) {
    epoch_ = epoch.value();
    files_.set_prefix(Prefix());
    Status st = WriteUpserts(&payload);
    rows_ = EmptyColumns(sink_->layout_->columns);
    row_count_ = 0;
    latest_.clear();
    upsert_bytes_ = 0;
    RETURN_IF_ERROR(st);
  } else {
    ASSIGN_OR_RETURN(std::vector<iceberg::DataFile> last, files_.Finish());
    payload.files = std::move(finished_);
    finished_.clear();
    for (iceberg::DataFile& f : last) payload.files.push_back(std::move(f));
  }
  RETURN_IF_ERROR(RenameToEpoch(&payload.files, epoch.value()));
  epoch_ = epoch.value() + 1;
  return EncodePayload(payload);
}

}  // namespace kappa::engine
