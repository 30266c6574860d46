#include "format/batcher.h"

namespace kappa::format {

Batcher::Batcher(int32_t partitions, size_t batch_bytes, BatchSink* sink)
    : batch_bytes_(batch_bytes), sink_(sink), builders_(static_cast<size_t>(partitions)) {}

Status Batcher::Add(int32_t partition, std::optional<std::string_view> key,
                    std::string_view value, int64_t timestamp,
                    const std::vector<log::RecordHeader>& headers) {
  log::BatchBuilder& b = builders_[partition];
  b.Add(key, value, timestamp, headers);
  if (b.records_bytes() >= batch_bytes_) return Flush(partition);
  return OkStatus();
}

Status Batcher::Flush(int32_t partition) {
  log::BatchBuilder& b = builders_[partition];
  if (b.empty()) return OkStatus();
  int64_t records = b.count();
  ASSIGN_OR_RETURN(std::string bytes, b.Finish());
  return sink_->Write(FinishedBatch{partition, std::move(bytes), records});
}

Status Batcher::FlushAll() {
  for (size_t p = 0; p < builders_.size(); ++p) {
    RETURN_IF_ERROR(Flush(static_cast<int32_t>(p)));
  }
  return OkStatus();
}

}  // namespace kappa::format
