// Log fixtures for engine tests: a Log in a fresh temp dir, producing JSON
// records to a partition, and reading a topic back as (key, value) pairs.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/bytes.h"
#include "gtest/gtest.h"
#include "log/log.h"
#include "log/record_batch.h"

namespace kappa::engine::testing {

struct TopicRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

class LogFixture {
 public:
  LogFixture() {
    dir_ = std::filesystem::temp_directory_path() /
           ("kappa-engine-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  ~LogFixture() {
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    log_.reset();
    log::LogOptions o;
    o.data_dir = (dir_ / "data").string();
    o.allow_small_segments = true;
    o.retention_check_interval_ms = 0;
    auto log = log::Log::Open(o);
    EXPECT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  log::Log* log() { return log_.get(); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void CreateTopic(const std::string& name, int32_t partitions) {
    log::TopicConfig c;
    c.partitions = partitions;
    c.durability = log::Durability::kAlways;
    ASSERT_TRUE(log_->CreateTopic(name, c).ok());
  }

  // Appends one batch of JSON values (null keys) to a partition.
  void Produce(const std::string& topic, int32_t partition, const std::vector<std::string>& values,
               int64_t timestamp = 0) {
    auto t = log_->GetTopic(topic);
    ASSERT_TRUE(t.ok());
    log::BatchBuilder b;
    for (const std::string& v : values) b.Add(std::nullopt, v, timestamp);
    auto bytes = b.Finish();
    ASSERT_TRUE(bytes.ok());
    auto r = (*t)->partition(PartitionId(partition))->Append(*bytes);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // Every record of every partition of `topic`, partition by partition.
  std::vector<TopicRecord> ReadAll(const std::string& topic) {
    std::vector<TopicRecord> out;
    auto t = log_->GetTopic(topic);
    if (!t.ok()) return out;
    for (int32_t p = 0; p < (*t)->partition_count(); ++p) {
      log::Partition* part = (*t)->partition(PartitionId(p));
      int64_t from = 0;
      while (from < part->high_watermark().value()) {
        auto read = part->Read(Offset(from), 1 << 20);
        EXPECT_TRUE(read.ok());
        std::string buf;
        for (const auto& s : read->slices) EXPECT_TRUE(s.AppendTo(&buf).ok());
        ByteSpan rest = AsBytes(buf);
        std::string scratch;
        std::vector<log::Record> records;
        while (rest.size() >= log::kBatchHeaderSize) {
          auto h = log::ParseBatchHeader(rest);
          EXPECT_TRUE(h.ok());
          EXPECT_TRUE(log::DecodeRecords(rest.first(h->total_size()), &scratch, &records).ok());
          for (const log::Record& r : records) {
            if (r.offset < from) continue;
            TopicRecord tr{p, r.offset, std::nullopt, std::nullopt};
            if (r.key) tr.key = std::string(*r.key);
            if (r.value) tr.value = std::string(*r.value);
            out.push_back(std::move(tr));
          }
          rest = rest.subspan(h->total_size());
        }
        from = read->next_offset.value();
      }
    }
    return out;
  }

  // Values of `topic`, sorted.
  std::vector<std::string> SortedValues(const std::string& topic) {
    std::vector<std::string> out;
    for (const TopicRecord& r : ReadAll(topic)) out.push_back(r.value.value_or("<null>"));
    std::sort(out.begin(), out.end());
    return out;
  }

  // An upsert topic folded into its final table: key -> value.
  std::map<std::string, std::string> Upserts(const std::string& topic) {
    std::map<std::string, std::string> out;
    for (const TopicRecord& r : ReadAll(topic)) {
      std::string key = r.key.value_or("");
      if (r.value) {
        out[key] = *r.value;
      } else {
        out.erase(key);
      }
    }
    return out;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<log::Log> log_;
};

// Polls `done` until it holds or 60 s pass (a deadline for a hung test,
// not a timing assertion).
inline bool WaitFor(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace kappa::engine::testing
