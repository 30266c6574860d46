#include "cli/ingest_resume.h"

#include <charconv>

#include "log/record_batch.h"

namespace kappa::cli {
namespace {

// Parses "<basename>:<line>" against the file list.
std::optional<SourcePosition> ParseSource(std::string_view src,
                                          const std::vector<std::string>& basenames) {
  size_t colon = src.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view name = src.substr(0, colon);
  std::string_view digits = src.substr(colon + 1);
  int64_t line = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  for (size_t i = 0; i < basenames.size(); ++i) {
    if (basenames[i] == name) return SourcePosition{static_cast<int32_t>(i), line};
  }
  return std::nullopt;
}

// The record at `last` of the partition, decoded into *records.
Result<const log::Record*> RecordAt(LogClient* client, const std::string& topic,
                                    int32_t partition, Offset last, std::string* scratch,
                                    std::vector<log::Record>* records, FetchChunk* chunk) {
  ASSIGN_OR_RETURN(*chunk, client->Fetch(topic, partition, last, 1, std::chrono::milliseconds(0)));
  ByteSpan data = AsBytes(chunk->bytes);
  while (!data.empty()) {
    ASSIGN_OR_RETURN(log::BatchHeader h, log::ParseBatchHeader(data));
    if (h.total_size() > data.size()) return Corruption("truncated batch at offset {}", h.base_offset);
    if (h.base_offset <= last.value() && last.value() <= h.last_offset()) {
      records->clear();
      RETURN_IF_ERROR(log::DecodeRecords(data.subspan(0, h.total_size()), scratch, records));
      for (const log::Record& rec : *records) {
        if (rec.offset == last.value()) return &rec;
      }
    }
    data = data.subspan(h.total_size());
  }
  return Corruption("partition {}: offset {} not found where the log put it", partition, last);
}

}  // namespace

Result<std::vector<std::optional<SourcePosition>>> FindResumePoints(
    LogClient* client, const std::string& topic, int32_t partitions,
    const std::vector<std::string>& basenames) {
  std::vector<std::optional<SourcePosition>> points;
  std::string scratch;
  std::vector<log::Record> records;
  FetchChunk chunk;
  for (int32_t i = 0; i < partitions; ++i) {
    points.emplace_back();
    ASSIGN_OR_RETURN(Offset start, client->StartOffset(topic, i, "earliest"));
    ASSIGN_OR_RETURN(Offset end, client->StartOffset(topic, i, "latest"));
    if (end <= start) continue;
    ASSIGN_OR_RETURN(const log::Record* rec,
                     RecordAt(client, topic, i, end - 1, &scratch, &records, &chunk));
    for (const log::RecordHeader& h : rec->headers) {
      if (h.key == kSourceHeader && h.value) points.back() = ParseSource(*h.value, basenames);
    }
  }
  return points;
}

}  // namespace kappa::cli
