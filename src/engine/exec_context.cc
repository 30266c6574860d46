#include "engine/exec_context.h"

#include "fmt/format.h"
#include "format/json_writer.h"

namespace kappa::engine {

ExecContext::ExecContext(ExecOptions options, const std::vector<SplitInfo>* splits,
                         JobCounters* counters, DeadLetterWriter* dead_letters)
    : options_(std::move(options)), splits_(splits), counters_(counters),
      dead_letters_(dead_letters) {}

std::vector<int32_t> ExecContext::OwnedSplits(int source) const {
  std::vector<int32_t> out;
  for (int32_t s : owned_) {
    if ((*splits_)[s].source == source) out.push_back(s);
  }
  return out;
}

std::string ExecContext::DeadLetterJson(std::string_view reason, int32_t split, int64_t offset,
                                        std::string_view field, std::string_view payload,
                                        bool payload_is_text) const {
  std::string out = "{\"pipeline\":";
  format::AppendJsonString(options_.pipeline, &out);
  out += ",\"reason\":";
  format::AppendJsonString(reason, &out);
  if (split >= 0 && split < static_cast<int32_t>(splits_->size())) {
    const SplitInfo& s = (*splits_)[split];
    out += ",\"topic\":";
    format::AppendJsonString(s.topic, &out);
    out += fmt::format(",\"partition\":{}", s.partition);
  }
  if (offset >= 0) out += fmt::format(",\"offset\":{}", offset);
  out += ",\"";
  out += field;
  out += "\":";
  if (payload_is_text && format::IsValidUtf8(payload)) {
    format::AppendJsonString(payload, &out);
  } else {
    // Not UTF-8: hex, so the dead letter is still valid JSON.
    std::string hex;
    for (unsigned char c : payload) hex += fmt::format("{:02x}", c);
    format::AppendJsonString(hex, &out);
    out += ",\"encoding\":\"hex\"";
  }
  out += "}";
  return out;
}

Status ExecContext::ReportLate(const Chunk& chunk, std::span<const uint32_t> rows,
                               std::string_view why) {
  counters_->late.fetch_add(static_cast<int64_t>(rows.size()), std::memory_order_relaxed);
  if (options_.late_policy != LatePolicy::kDeadLetter || dead_letters_ == nullptr) {
    return OkStatus();
  }
  for (uint32_t r : rows) {
    std::string row = "[";
    for (size_t c = 0; c < chunk.batch.columns.size(); ++c) {
      if (c > 0) row += ", ";
      row += chunk.batch.columns[c]->Get(r).ToString();
    }
    row += "]";
    int64_t offset = chunk.offsets ? (*chunk.offsets)[r] : -1;
    std::string reason = fmt::format("late record: {}", why);
    RETURN_IF_ERROR(dead_letters_->Write(DeadLetterJson(reason, chunk.split, offset, "row", row,
                                                        true)));
    counters_->dead_letters.fetch_add(1, std::memory_order_relaxed);
  }
  return OkStatus();
}

Status ExecContext::ReportMalformed(int32_t split, int64_t offset, std::string_view value,
                                    std::string_view reason) {
  counters_->malformed.fetch_add(1, std::memory_order_relaxed);
  if (options_.malformed_policy == MalformedPolicy::kFail) {
    const SplitInfo* s = split >= 0 ? &(*splits_)[split] : nullptr;
    return Invalid("malformed record in topic {} partition {} at offset {}: {}",
                   s ? s->topic : "?", s ? s->partition : -1, offset, reason);
  }
  if (dead_letters_ == nullptr) return OkStatus();
  RETURN_IF_ERROR(dead_letters_->Write(DeadLetterJson(reason, split, offset, "value", value,
                                                      true)));
  counters_->dead_letters.fetch_add(1, std::memory_order_relaxed);
  return OkStatus();
}

}  // namespace kappa::engine
