// Helpers for the log's unit tests: scratch data dirs, batches of numbered
// records, and reading a partition back as (offset, value, timestamp).
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "fmt/format.h"
#include "log/log.h"
#include "log/record_batch.h"

namespace kappa::log::testing {

inline std::string ScratchDir(std::string_view name) {
  std::string dir = fmt::format("{}kappa_log_{}_{}", ::testing::TempDir(), name, ::getpid());
  EXPECT_TRUE(RemoveTree(dir).ok());
  return dir;
}

// A scratch dir named after the running test.
inline std::string TestDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ScratchDir(fmt::format("{}_{}", info->test_suite_name(), info->name()));
}

inline LogOptions Options(const std::string& dir) {
  LogOptions o;
  o.data_dir = dir;
  o.holder = "kappa_log_tests";
  o.flush_interval_ms = 1;
  o.allow_small_segments = true;
  o.retention_check_interval_ms = 0;
  return o;
}

inline std::unique_ptr<Log> OpenOrDie(const LogOptions& o) {
  auto log = Log::Open(o);
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? std::move(*log) : nullptr;
}

// count records with values "v<first>".."v<first+count-1>", timestamps
// ts, ts + ts_step, ...
inline std::string Batch(int64_t first, int count, int64_t ts = 1000, int64_t ts_step = 1) {
  BatchBuilder b;
  for (int i = 0; i < count; ++i) {
    std::string value = fmt::format("v{}", first + i);
    std::string key = fmt::format("k{}", (first + i) % 7);
    b.Add(key, value, ts + i * ts_step);
  }
  auto batch = b.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status();
  return *batch;
}

struct Rec {
  int64_t offset;
  std::string value;
  int64_t timestamp;
};

// Decodes every batch of `r` into records with offset >= from.
inline std::vector<Rec> Decode(const ReadResult& r, Offset from) {
  std::vector<Rec> out;
  for (const FileSlice& slice : r.slices) {
    std::string bytes;
    EXPECT_TRUE(slice.AppendTo(&bytes).ok());
    size_t pos = 0;
    while (pos < bytes.size()) {
      auto h = ParseBatchHeader(AsBytes(std::string_view(bytes).substr(pos)));
      EXPECT_TRUE(h.ok());
      if (!h.ok()) return out;
      std::string_view one = std::string_view(bytes).substr(pos, h->total_size());
      EXPECT_TRUE(ValidateBatch(AsBytes(one)).ok());
      std::string scratch;
      std::vector<Record> records;
      EXPECT_TRUE(DecodeRecords(AsBytes(one), &scratch, &records).ok());
      for (const Record& rec : records) {
        if (rec.offset >= from.value()) {
          out.push_back({rec.offset, std::string(rec.value.value_or("")), rec.timestamp});
        }
      }
      pos += h->total_size();
    }
  }
  return out;
}

// Every readable record from `from` to the high watermark.
inline std::vector<Rec> ReadAll(const Partition* p, Offset from = Offset(0),
                                size_t max_bytes = 1 << 20) {
  std::vector<Rec> out;
  Offset at = from;
  for (int guard = 0; guard < 100000; ++guard) {
    auto r = p->Read(at, max_bytes);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok() || r->slices.empty()) break;
    for (Rec& rec : Decode(*r, at)) out.push_back(std::move(rec));
    EXPECT_GT(r->next_offset, at);
    at = r->next_offset;
  }
  return out;
}

// Checks records are v<first>.. at offsets first.. in order.
inline void ExpectDense(const std::vector<Rec>& recs, int64_t first, int64_t count) {
  ASSERT_EQ(static_cast<int64_t>(recs.size()), count);
  for (int64_t i = 0; i < count; ++i) {
    ASSERT_EQ(recs[i].offset, first + i);
    ASSERT_EQ(recs[i].value, fmt::format("v{}", first + i));
  }
}

inline std::string PartitionPath(const std::string& dir, const std::string& topic, int p = 0) {
  return fmt::format("{}/topics/{}/{}", dir, topic, p);
}

inline std::string SegmentFile(const std::string& dir, const std::string& topic, int64_t base,
                               const char* suffix, int p = 0) {
  return fmt::format("{}/{:020}{}", PartitionPath(dir, topic, p), base, suffix);
}

inline std::vector<std::string> SegmentLogs(const std::string& dir, const std::string& topic,
                                            int p = 0) {
  std::vector<std::string> out;
  auto names = ListDir(PartitionPath(dir, topic, p));
  if (!names.ok()) return out;
  for (const std::string& n : *names) {
    if (n.ends_with(".log")) out.push_back(n);
  }
  return out;
}

inline uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

inline void TruncateFile(const std::string& path, uint64_t size) {
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(size)), 0) << path;
}

inline void FlipByte(const std::string& path, uint64_t pos) {
  auto f = File::Open(path, File::Mode::kReadWrite);
  ASSERT_TRUE(f.ok());
  char c;
  ASSERT_TRUE(f->PreadExact(pos, &c, 1).ok());
  c = static_cast<char>(c ^ 0x5a);
  ASSERT_TRUE(f->Pwrite(pos, std::string_view(&c, 1)).ok());
}

inline void SetMtime(const std::string& path, int64_t ms) {
  struct timeval tv[2];
  tv[0].tv_sec = tv[1].tv_sec = ms / 1000;
  tv[0].tv_usec = tv[1].tv_usec = (ms % 1000) * 1000;
  ASSERT_EQ(::utimes(path.c_str(), tv), 0) << path;
}

inline TopicConfig SmallSegments(int64_t segment_bytes, Durability d = Durability::kGroup) {
  TopicConfig c;
  c.segment_bytes = segment_bytes;
  c.durability = d;
  c.index_interval_bytes = 256;
  return c;
}

}  // namespace kappa::log::testing
