#include "engine/sink/topic_sink.h"

#include <charconv>

#include "base/time.h"
#include "engine/state/state_io.h"
#include "fmt/format.h"
#include "format/partitioner.h"
#include "log/record_batch.h"

namespace kappa::engine {

namespace {

constexpr std::string_view kMarkerHeader = "kappa.commit";
constexpr size_t kMaxBatchBytes = size_t{1} << 20;
constexpr size_t kScanBytes = size_t{4} << 20;

bool ParseInt(std::string_view s, int64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<std::unique_ptr<TopicSink>> TopicSink::Open(std::shared_ptr<const sql::TableDef> target,
                                                   log::Log* log, TopicSinkOptions options) {
  auto topic = log->GetTopic(options.topic);
  if (!topic.ok()) {
    log::TopicConfig config;
    config.partitions = std::max(1, options.create_partitions);
    topic = log->CreateTopic(options.topic, config);
    if (!topic.ok() && topic.status().code() == StatusCode::kAlreadyExists) {
      topic = log->GetTopic(options.topic);
    }
    if (!topic.ok()) return topic.status().WithContext("sink topic " + options.topic);
  }
  std::vector<int> keys = target ? target->primary_key : std::vector<int>{};
  if (target) {
    std::string fmt = target->Option("format", target->Option("value.format", "json"));
    if (fmt != "json" && fmt != "csv") {
      return Unimplemented("table {}: unsupported format '{}' (json, csv)", target->name, fmt);
    }
    if (fmt == "csv") RETURN_IF_ERROR(format::CsvRowEncoder::Create(target->physical).status());
  }
  return std::unique_ptr<TopicSink>(
      new TopicSink(std::move(target), log, std::move(options), *topic, std::move(keys)));
}

Result<std::unique_ptr<SinkWriter>> TopicSink::CreateWriter(int task) {
  if (target_ == nullptr) return Internal("raw topic sink {} takes raw writers only", name());
  return std::unique_ptr<SinkWriter>(new TopicSinkWriter(this, task));
}

std::unique_ptr<TopicSinkWriter> TopicSink::CreateRawWriter(int task) {
  return std::unique_ptr<TopicSinkWriter>(new TopicSinkWriter(this, task));
}

// ---- writer

TopicSinkWriter::TopicSinkWriter(TopicSink* sink, int task)
    : sink_(sink), task_(task), partitions_(sink->topic_->partition_count()),
      round_robin_(static_cast<uint64_t>(task)) {
  const sql::TableDef* t = sink->target_.get();
  if (t == nullptr) return;
  std::string fmt = t->Option("format", t->Option("value.format", "json"));
  if (fmt == "csv") {
    csv_ = *format::CsvRowEncoder::Create(t->physical);
  } else {
    json_.emplace(t->physical);
  }
  if (!sink->key_columns_.empty()) {
    key_ = *format::JsonRowEncoder::ForColumns(t->physical, sink->key_columns_);
  }
}

void TopicSinkWriter::Add(int32_t partition, std::optional<std::string_view> key,
                          std::optional<std::string_view> value) {
  Staged s{partition, 0, 0, 0, 0, key.has_value(), value.has_value()};
  if (key) {
    s.key_off = static_cast<uint32_t>(bytes_.size());
    s.key_len = static_cast<uint32_t>(key->size());
    bytes_.append(*key);
  }
  if (value) {
    s.value_off = static_cast<uint32_t>(bytes_.size());
    s.value_len = static_cast<uint32_t>(value->size());
    bytes_.append(*value);
  }
  staged_.push_back(s);
}

Status TopicSinkWriter::StageRaw(std::string_view value) {
  Add(static_cast<int32_t>(round_robin_++ % static_cast<uint64_t>(partitions_)), std::nullopt,
      value);
  return OkStatus();
}

Status TopicSinkWriter::Stage(const columnar::Batch& batch) {
  if (bytes_.size() > (size_t{3} << 30)) {
    return Exhausted("{}: more than 3 GiB staged in one checkpoint epoch", sink_->name());
  }
  int32_t partition = static_cast<int32_t>(round_robin_++ % static_cast<uint64_t>(partitions_));
  std::string key, next_key;
  for (size_t i = 0; i < batch.active_rows(); ++i) {
    uint32_t r = batch.row(i);
    columnar::RowKind kind = batch.kind(r);
    if (key_) {
      key.clear();
      key_->EncodeRow(batch, r, &key);
      if (kind == columnar::RowKind::kUpdateBefore) {
        // A -U right before the +U of its key is replaced by that +U. Alone
        // (a HAVING or WHERE over an aggregate dropped its +U), the row
        // leaves the result: a tombstone.
        if (i + 1 < batch.active_rows() &&
            batch.kind(batch.row(i + 1)) == columnar::RowKind::kUpdateAfter) {
          next_key.clear();
          key_->EncodeRow(batch, batch.row(i + 1), &next_key);
          if (next_key == key) continue;
        }
        kind = columnar::RowKind::kDelete;
      }
      partition = format::PartitionForKey(key, partitions_);
    } else if (!columnar::IsAccumulate(kind)) {
      return Internal("{} is append-only but got a {} row", sink_->name(),
                      columnar::RowKindName(kind));
    }
    std::optional<std::string_view> value;
    if (kind != columnar::RowKind::kDelete) {
      scratch_.clear();
      if (json_) {
        json_->EncodeRow(batch, r, &scratch_);
      } else {
        csv_->EncodeRow(batch, r, &scratch_);
      }
      value = scratch_;
    }
    Add(partition, key_ ? std::optional<std::string_view>(key) : std::nullopt, value);
  }
  return OkStatus();
}

Result<std::string> TopicSinkWriter::PrepareCommit(Epoch epoch) {
  StateWriter w;
  if (staged_.empty()) return std::string();
  // Group by partition, keeping each partition's order.
  std::map<int32_t, std::vector<const Staged*>> by_partition;
  for (const Staged& s : staged_) by_partition[s.partition].push_back(&s);
  std::vector<std::pair<int32_t, std::string>> batches;
  int64_t now = WallMillis();
  log::BatchBuilder builder;
  auto finish = [&](int32_t p) -> Status {
    ASSIGN_OR_RETURN(std::string b, builder.Finish());
    batches.emplace_back(p, std::move(b));
    return OkStatus();
  };
  for (const auto& [p, rows] : by_partition) {
    for (const Staged* s : rows) {
      std::vector<log::RecordHeader> headers;
      std::string marker;
      if (builder.empty()) {
        marker = fmt::format("{}|{}|{}|{}", sink_->options_.writer_id, epoch.value(), task_,
                             batches.size());
        headers.push_back({kMarkerHeader, marker});
      }
      std::string_view base(bytes_);
      auto key = s->has_key ? std::optional(base.substr(s->key_off, s->key_len)) : std::nullopt;
      auto value =
          s->has_value ? std::optional(base.substr(s->value_off, s->value_len)) : std::nullopt;
      builder.Add(key, value, now, headers);
      if (builder.records_bytes() >= kMaxBatchBytes) RETURN_IF_ERROR(finish(p));
    }
    if (!builder.empty()) RETURN_IF_ERROR(finish(p));
  }
  w.UVarint(batches.size());
  for (const auto& [p, b] : batches) {
    w.U32(static_cast<uint32_t>(p));
    w.Bytes(b);
  }
  bytes_.clear();
  staged_.clear();
  // A big epoch (a backfill) must not pin its peak buffers while idle.
  if (bytes_.capacity() > (size_t{16} << 20)) std::string().swap(bytes_);
  if (staged_.capacity() > (size_t{1} << 18)) std::vector<Staged>().swap(staged_);
  return w.Take();
}

// ---- commit protocol

Result<std::string> TopicSink::CheckpointInfo(Epoch /*epoch*/) {
  StateWriter w;
  int32_t n = topic_->partition_count();
  w.UVarint(static_cast<uint64_t>(n));
  for (int32_t p = 0; p < n; ++p) w.I64(topic_->partition(PartitionId(p))->end_offset().value());
  return w.Take();
}

Status TopicSink::Recover(Epoch /*epoch*/, std::string_view info) {
  StateReader r(info, "topic sink checkpoint info");
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  scan_from_.assign(static_cast<size_t>(topic_->partition_count()), 0);
  for (uint64_t p = 0; p < n; ++p) {
    int64_t o = 0;
    RETURN_IF_ERROR(r.I64(&o));
    if (p < scan_from_.size()) scan_from_[p] = o;
  }
  recovered_ = true;
  committed_.reset();
  return r.ExpectEnd();
}

Result<std::vector<TopicSink::Marker>> TopicSink::ScanMarkers(int32_t p) const {
  std::vector<Marker> out;
  log::Partition* part = topic_->partition(PartitionId(p));
  int64_t from = p < static_cast<int32_t>(scan_from_.size()) ? scan_from_[p] : 0;
  from = std::max(from, part->start_offset().value());
  std::string buffer, scratch;
  std::vector<log::Record> records;
  std::string prefix = options_.writer_id + "|";
  while (from < part->high_watermark().value()) {
    ASSIGN_OR_RETURN(log::ReadResult read, part->Read(Offset(from), kScanBytes));
    if (read.slices.empty()) break;
    buffer.clear();
    for (const log::FileSlice& s : read.slices) RETURN_IF_ERROR(s.AppendTo(&buffer));
    ByteSpan rest = AsBytes(buffer);
    while (rest.size() >= log::kBatchHeaderSize) {
      ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(rest));
      if (h.total_size() > rest.size()) break;
      RETURN_IF_ERROR(log::DecodeRecords(rest.first(h.total_size()), &scratch, &records));
      rest = rest.subspan(h.total_size());
      if (records.empty() || records[0].offset < from) continue;
      for (const log::RecordHeader& hd : records[0].headers) {
        if (hd.key != kMarkerHeader || !hd.value || !hd.value->starts_with(prefix)) continue;
        std::string_view v = hd.value->substr(prefix.size());
        size_t a = v.find('|'), b = v.rfind('|');
        Marker m;
        int64_t task = 0;
        if (a == std::string_view::npos || a == b || !ParseInt(v.substr(0, a), &m.epoch) ||
            !ParseInt(v.substr(a + 1, b - a - 1), &task) || !ParseInt(v.substr(b + 1), &m.seq)) {
          continue;
        }
        m.task = static_cast<int32_t>(task);
        out.push_back(m);
      }
    }
    if (read.next_offset.value() <= from) break;
    from = read.next_offset.value();
  }
  return out;
}

Status TopicSink::CommitPayload(Epoch epoch, int32_t task, std::string_view payload,
                                const std::map<int32_t, std::vector<Marker>>& found) {
  if (payload.empty()) return OkStatus();
  StateReader r(payload, "topic sink payload");
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t seq = 0; seq < n; ++seq) {
    uint32_t p = 0;
    std::string_view batch;
    RETURN_IF_ERROR(r.U32(&p));
    RETURN_IF_ERROR(r.Bytes(&batch));
    log::Partition* part = topic_->partition(PartitionId(static_cast<int32_t>(p)));
    if (part == nullptr) return Corruption("{}: payload names partition {}", name(), p);
    auto it = found.find(static_cast<int32_t>(p));
    bool done = false;
    if (it != found.end()) {
      for (const Marker& m : it->second) {
        done |= m.epoch == epoch.value() && m.task == task && m.seq == static_cast<int64_t>(seq);
      }
    }
    if (done) continue;
    ASSIGN_OR_RETURN(log::AppendResult res, part->Append(batch));
    RETURN_IF_ERROR(part->WaitDurable(res.last_offset + 1));
  }
  return r.ExpectEnd();
}

Status TopicSink::Commit(Epoch epoch, const std::vector<std::string>& payloads) {
  if (committed_ && epoch.value() <= *committed_) return OkStatus();
  std::map<int32_t, std::vector<Marker>> found;
  if (recovered_) {
    for (int32_t p = 0; p < topic_->partition_count(); ++p) {
      ASSIGN_OR_RETURN(found[p], ScanMarkers(p));
    }
  }
  for (size_t t = 0; t < payloads.size(); ++t) {
    Status st = CommitPayload(epoch, static_cast<int32_t>(t), payloads[t], found);
    if (!st.ok()) return st.WithContext(fmt::format("{}: commit of epoch {}", name(), epoch));
  }
  committed_ = epoch.value();
  recovered_ = false;
  return OkStatus();
}

Result<std::optional<Epoch>> TopicSink::LastCommittedEpoch() {
  if (!recovered_) {
    if (committed_) return std::optional<Epoch>(Epoch(*committed_));
    if (scan_from_.empty()) return std::optional<Epoch>();
  }
  std::optional<Epoch> last;
  for (int32_t p = 0; p < topic_->partition_count(); ++p) {
    ASSIGN_OR_RETURN(std::vector<Marker> markers, ScanMarkers(p));
    for (const Marker& m : markers) {
      if (!last || m.epoch > last->value()) last = Epoch(m.epoch);
    }
  }
  return last;
}

}  // namespace kappa::engine
