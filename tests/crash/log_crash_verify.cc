// kappa_crash_verify DATA_DIR
//
// Opens the log written by kappa_crash_writer (running recovery) and checks
// every record of topic "crash": each batch passes ValidateBatch (CRC),
// offsets are dense from 0 in order, and the value of the record at offset
// o is o (so nothing is duplicated, reordered or missing). Prints
// "partition <p> records <n>" per partition. Exit 0 if all is well, 1 on a
// bad record, 2 if the log does not open.
#include <cstdio>
#include <string>
#include <vector>

#include "log/log.h"
#include "log/record_batch.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace kappa::log {
namespace {

int Fail(const std::string& why) {
  std::fprintf(stderr, "kappa_crash_verify: %s\n", why.c_str());
  return 1;
}

// Checks one batch's bytes; advances *next past its records.
Status CheckBatch(std::string_view batch, int64_t* next) {
  RETURN_IF_ERROR(ValidateBatch(AsBytes(batch)));
  std::string scratch;
  std::vector<Record> records;
  RETURN_IF_ERROR(DecodeRecords(AsBytes(batch), &scratch, &records));
  for (const Record& r : records) {
    if (r.offset != *next) return Corruption("offset {} where {} was expected", r.offset, *next);
    if (r.value != std::to_string(r.offset)) {
      return Corruption("offset {} holds '{}'", r.offset, r.value.value_or("<null>"));
    }
    ++*next;
  }
  return OkStatus();
}

Result<int64_t> CheckPartition(const Partition& p) {
  if (p.start_offset() != Offset(0)) return Corruption("start offset {}", p.start_offset());
  if (p.high_watermark() != p.end_offset()) {
    return Corruption("high watermark {} != end {} after recovery", p.high_watermark(),
                      p.end_offset());
  }
  int64_t next = 0;
  while (next < p.high_watermark().value()) {
    ASSIGN_OR_RETURN(ReadResult r, p.Read(Offset(next), 1 << 20));
    std::string bytes;
    for (const FileSlice& s : r.slices) RETURN_IF_ERROR(s.AppendTo(&bytes));
    for (size_t pos = 0; pos < bytes.size();) {
      ASSIGN_OR_RETURN(BatchHeader h, ParseBatchHeader(AsBytes(std::string_view(bytes).substr(pos))));
      if (pos + h.total_size() > bytes.size()) return Corruption("partial batch in a read");
      RETURN_IF_ERROR(CheckBatch(std::string_view(bytes).substr(pos, h.total_size()), &next));
      pos += h.total_size();
    }
    if (r.next_offset.value() != next) return Corruption("next_offset {} != {}", r.next_offset, next);
  }
  return next;
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kappa_crash_verify DATA_DIR\n");
    return 2;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("stderr"));  // stdout is for results
  LogOptions options;
  options.data_dir = argv[1];
  options.holder = "kappa_crash_verify";
  options.allow_small_segments = true;
  auto log = Log::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "kappa_crash_verify: open: %s\n", log.status().ToString().c_str());
    return 2;
  }
  auto topic = (*log)->GetTopic("crash");
  if (!topic.ok()) return 0;  // killed before the topic existed
  for (int32_t i = 0; i < (*topic)->partition_count(); ++i) {
    auto n = CheckPartition(*(*topic)->partition(PartitionId(i)));
    if (!n.ok()) return Fail(fmt::format("partition {}: {}", i, n.status()));
    std::printf("partition %d records %lld\n", i, static_cast<long long>(*n));
  }
  return 0;
}

}  // namespace
}  // namespace kappa::log

int main(int argc, char** argv) { return kappa::log::Main(argc, argv); }
