// kappa_crash_writer DATA_DIR always|group|never PARTITIONS SEED
//
// Appends numbered records to topic "crash" until killed: one thread per
// partition, batches of 1..20 records (some of them ~20 KiB), the value of the record at offset o
// being the decimal o (so a resumed writer continues the sequence at the
// recovered end offset). Prints "acked <partition> <offset>" on stdout, one
// write(2) per line, only once the record at <offset> (and every one before
// it) is durable under the topic's durability: after Append returns under
// "always", from OnDurable under "group", after Append under "never".
// Segments are 64 KiB so rolls happen often.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/time.h"
#include "fmt/format.h"
#include "log/log.h"
#include "log/record_batch.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace kappa::log {
namespace {

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "kappa_crash_writer: %s\n", s.ToString().c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

void PrintAcked(PartitionId p, Offset last) {
  std::string line = fmt::format("acked {} {}\n", p.value(), last.value());
  if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) std::_Exit(3);
}

// Keys are padded to `key_size` bytes: big batches span many pages, so a
// kill can land in the middle of writing one.
std::string MakeBatch(Offset first, int count, size_t key_size) {
  BatchBuilder b;
  int64_t now = WallMillis();
  std::string key(key_size, 'k');
  for (int i = 0; i < count; ++i) b.Add(key, std::to_string(first.value() + i), now);
  auto batch = b.Finish();
  if (!batch.ok()) Die(batch.status());
  return *batch;
}

void Append(Partition* p, Durability d, uint32_t seed) {
  std::mt19937 rng(seed);
  Offset next = p->end_offset();
  for (;;) {
    int count = 1 + static_cast<int>(rng() % 20);
    size_t key_size = rng() % 16 == 0 ? 2048 : 1;
    auto r = p->Append(MakeBatch(next, count, key_size));
    if (!r.ok()) Die(r.status());
    if (r->base_offset != next) Die(Internal("appended at {}, expected {}", r->base_offset, next));
    next = r->last_offset + 1;
    if (d == Durability::kGroup) {
      Offset last = r->last_offset;
      PartitionId id = p->id();
      p->OnDurable(next, [id, last](Status s) {
        if (!s.ok()) Die(s);
        PrintAcked(id, last);
      });
    } else {
      PrintAcked(p->id(), r->last_offset);
    }
    if (rng() % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

int Main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: kappa_crash_writer DATA_DIR always|group|never PARTITIONS SEED\n");
    return 2;
  }
  auto durability = ParseDurability(argv[2]);
  if (!durability.ok()) Die(durability.status());
  spdlog::set_default_logger(spdlog::stderr_logger_mt("stderr"));  // stdout is for results
  LogOptions options;
  options.data_dir = argv[1];
  options.holder = "kappa_crash_writer";
  options.allow_small_segments = true;
  auto log = Log::Open(options);
  if (!log.ok()) Die(log.status());
  TopicConfig config;
  config.partitions = std::atoi(argv[3]);
  config.durability = *durability;
  config.segment_bytes = 64 << 10;
  config.index_interval_bytes = 1024;
  auto topic = (*log)->GetTopic("crash");
  if (!topic.ok()) topic = (*log)->CreateTopic("crash", config);
  if (!topic.ok()) Die(topic.status());
  std::vector<std::thread> threads;
  for (int32_t p = 0; p < (*topic)->partition_count(); ++p) {
    threads.emplace_back(Append, (*topic)->partition(PartitionId(p)), *durability,
                         static_cast<uint32_t>(std::atoi(argv[4]) * 31 + p));
  }
  for (auto& t : threads) t.join();  // never: the test kills us
  return 0;
}

}  // namespace
}  // namespace kappa::log

int main(int argc, char** argv) { return kappa::log::Main(argc, argv); }
