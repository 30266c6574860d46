#include "engine/source/topic_source.h"

#include <algorithm>
#include <cctype>

#include "base/time.h"
#include "format/csv_column_decoder.h"
#include "format/json_column_decoder.h"

namespace kappa::engine {

bool OptionIsTrue(const sql::TableDef& table, const std::string& key) {
  std::string v = table.Option(key, "false");
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "true";
}

Result<std::unique_ptr<TopicSource>> TopicSource::Open(std::shared_ptr<const sql::TableDef> table,
                                                       log::Log* log) {
  std::string topic = table->Option("topic");
  if (topic.empty()) return Invalid("table {} has no 'topic' option", table->name);
  auto handle = log->GetTopic(topic);
  if (!handle.ok()) {
    return NotFound("topic {} of table {} does not exist", topic, table->name);
  }
  return std::unique_ptr<TopicSource>(new TopicSource(std::move(table), topic, *handle));
}

Result<int64_t> TopicSource::OffsetForMode(log::Partition* part, const std::string& mode,
                                           const CommittedOffsetLookup& committed) const {
  if (mode == "earliest-offset" || mode == "earliest") return part->start_offset().value();
  if (mode == "latest-offset" || mode == "latest") return part->end_offset().value();
  if (mode == "timestamp") {
    std::string text = table_->Option("scan.startup.timestamp-millis");
    std::optional<int64_t> ts = ParseTimestampMillis(text);
    if (!ts) {
      return Invalid("table {}: 'scan.startup.mode' = 'timestamp' needs "
                     "'scan.startup.timestamp-millis', got '{}'", table_->name, text);
    }
    ASSIGN_OR_RETURN(Offset o, part->OffsetForTimestamp(*ts));
    return o.value();
  }
  if (mode == "group-offsets") {
    std::string group = table_->Option("properties.group.id");
    if (group.empty()) {
      return Invalid("table {}: 'group-offsets' needs 'properties.group.id'", table_->name);
    }
    std::optional<int64_t> o;
    if (committed) o = committed(group, topic_, part->id().value());
    if (o) return std::clamp(*o, part->start_offset().value(), part->end_offset().value());
    std::string reset = table_->Option("properties.auto.offset.reset", "earliest");
    return OffsetForMode(part, reset, committed);
  }
  // `kappa pipeline deploy --from TIMESTAMP`.
  if (std::optional<int64_t> ts = ParseTimestampMillis(mode)) {
    ASSIGN_OR_RETURN(Offset o, part->OffsetForTimestamp(*ts));
    return o.value();
  }
  return Invalid("table {}: unsupported 'scan.startup.mode' '{}' (earliest-offset, "
                 "latest-offset, timestamp, group-offsets)", table_->name, mode);
}

Result<int64_t> TopicSource::StartOffset(int32_t p, const std::string& mode,
                                         const CommittedOffsetLookup& committed) const {
  log::Partition* part = partition(p);
  if (part == nullptr) return Internal("partition {} of topic {} missing", p, topic_);
  std::string m = mode.empty() ? table_->Option("scan.startup.mode", "earliest-offset") : mode;
  return OffsetForMode(part, m, committed);
}

Result<std::unique_ptr<format::ValueDecoder>> TopicSource::MakeDecoder() const {
  std::string fmt = table_->Option("format", table_->Option("value.format", "json"));
  if (fmt == "json") {
    format::JsonDecoderOptions o;
    o.ignore_parse_errors = OptionIsTrue(*table_, "json.ignore-parse-errors");
    o.fail_on_missing_field = OptionIsTrue(*table_, "json.fail-on-missing-field");
    ASSIGN_OR_RETURN(auto d, format::JsonColumnDecoder::Create(table_->physical, o));
    return std::unique_ptr<format::ValueDecoder>(std::move(d));
  }
  if (fmt == "csv") {
    format::CsvDecoderOptions o;
    std::string delim = table_->Option("csv.field-delimiter", ",");
    if (delim.size() != 1) {
      return Invalid("table {}: 'csv.field-delimiter' must be one character", table_->name);
    }
    o.delimiter = delim[0];
    o.ignore_parse_errors = OptionIsTrue(*table_, "csv.ignore-parse-errors");
    ASSIGN_OR_RETURN(auto d, format::CsvColumnDecoder::Create(table_->physical, o));
    return std::unique_ptr<format::ValueDecoder>(std::move(d));
  }
  return Unimplemented("table {}: unsupported format '{}' (json, csv)", table_->name, fmt);
}

}  // namespace kappa::engine
