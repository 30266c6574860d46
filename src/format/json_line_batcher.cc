#include "format/json_line_batcher.h"

#include "base/time.h"
#include "format/partitioner.h"

namespace kappa::format {

JsonLineBatcher::JsonLineBatcher(int32_t partitions, const JsonLineOptions& options,
                                 BatchSink* sink, int32_t first_partition)
    : partitions_(partitions),
      options_(options),
      batcher_(partitions, options.batch_bytes, sink),
      round_robin_(first_partition % partitions) {}

Status JsonLineBatcher::Add(std::string_view text, bool padded) {
  if (options_.partition >= partitions_) {
    return Invalid("partition {} does not exist: the topic has {}", options_.partition,
                           partitions_);
  }
  if (options_.raw && (!options_.key_field.empty() || !options_.timestamp_field.empty())) {
    return Invalid("raw lines have no fields: a key or timestamp field needs JSON lines");
  }
  if (!options_.raw) RETURN_IF_ERROR(parser_.Parse(text, padded));
  std::optional<std::string_view> key;
  if (!options_.key_field.empty()) {
    ASSIGN_OR_RETURN(key, parser_.Key(options_.key_field));
  }
  int64_t ts = WallMillis();
  if (!options_.timestamp_field.empty()) {
    ASSIGN_OR_RETURN(ts, parser_.Timestamp(options_.timestamp_field));
  }
  int32_t partition = options_.partition >= 0 ? options_.partition
                      : key                    ? PartitionForKey(*key, partitions_)
                                               : round_robin_;
  RETURN_IF_ERROR(batcher_.Add(partition, key, text, ts));
  if (partition == round_robin_ && !batcher_.Pending(partition)) {
    round_robin_ = (round_robin_ + 1) % partitions_;  // its batch filled up
  }
  ++records_;
  return OkStatus();
}

Status JsonLineBatcher::FlushAll() {
  if (batcher_.Pending(round_robin_)) round_robin_ = (round_robin_ + 1) % partitions_;
  return batcher_.FlushAll();
}

}  // namespace kappa::format
