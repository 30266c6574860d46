#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "base/crc32c.h"
#include "base/file.h"
#include "base/time.h"
#include "base/varint.h"

namespace kappa {
namespace {

std::string TempDir(const char* name) {
  std::string dir = std::string(testing::TempDir()) + "kappa_base_" + name + "_" +
                    std::to_string(::getpid());
  EXPECT_TRUE(RemoveTree(dir).ok());
  EXPECT_TRUE(CreateDirs(dir).ok());
  return dir;
}

TEST(Crc32c, KnownVectors) {
  // RFC 3720 B.4 test vectors.
  std::string zeros(32, '\0');
  EXPECT_EQ(Crc32c(reinterpret_cast<const uint8_t*>(zeros.data()), 32), 0x8a9136aau);
  std::string ones(32, '\xff');
  EXPECT_EQ(Crc32c(reinterpret_cast<const uint8_t*>(ones.data()), 32), 0x62a8ab43u);
  std::string digits = "123456789";
  EXPECT_EQ(Crc32c(reinterpret_cast<const uint8_t*>(digits.data()), 9), 0xe3069283u);
}

TEST(Crc32c, ExtendEqualsWhole) {
  std::string s = "the quick brown fox jumps over the lazy dog, several times over";
  auto* p = reinterpret_cast<const uint8_t*>(s.data());
  uint32_t whole = Crc32c(p, s.size());
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    EXPECT_EQ(Crc32cExtend(Crc32c(p, cut), p + cut, s.size() - cut), whole);
  }
}

TEST(Varint, ZigZagRoundTrip) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{-64},
                    int64_t{300}, INT64_MAX, INT64_MIN}) {
    std::string buf;
    AppendVarint(&buf, v);
    EXPECT_EQ(buf.size(), VarintSize(v));
    auto* p = reinterpret_cast<const uint8_t*>(buf.data());
    int64_t out = 0;
    ASSERT_TRUE(ReadVarint(&p, p + buf.size(), &out));
    EXPECT_EQ(out, v);
  }
}

TEST(Varint, TruncatedFails) {
  std::string buf;
  AppendUVarint(&buf, 1u << 20);
  auto* p = reinterpret_cast<const uint8_t*>(buf.data());
  uint64_t out;
  EXPECT_FALSE(ReadUVarint(&p, p + buf.size() - 1, &out));
}

TEST(Time, ParsesIsoAndEpoch) {
  EXPECT_EQ(ParseTimestampMillis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestampMillis("2024-03-01T12:00:00.123Z"), 1709294400123);
  EXPECT_EQ(ParseTimestampMillis("2024-03-01 12:00:00.123"), 1709294400123);
  EXPECT_EQ(ParseTimestampMillis("2024-03-01T14:00:00+02:00"), 1709294400000);
  EXPECT_EQ(ParseTimestampMillis("2024-03-01"), 1709251200000);
  EXPECT_EQ(ParseTimestampMillis("1709294400123"), 1709294400123);
  EXPECT_EQ(ParseTimestampMillis("1960-01-01T00:00:00Z"), -315619200000);
  EXPECT_FALSE(ParseTimestampMillis("2024-13-01").has_value());
  EXPECT_FALSE(ParseTimestampMillis("yesterday").has_value());
  EXPECT_FALSE(ParseTimestampMillis("").has_value());
  EXPECT_EQ(FormatTimestampMillis(1709294400123), "2024-03-01T12:00:00.123Z");
  EXPECT_EQ(FormatTimestampMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(File, AtomicWriteAndRead) {
  std::string dir = TempDir("atomic");
  ASSERT_TRUE(WriteFileAtomic(dir + "/a", "one").ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/a", "two").ok());
  EXPECT_EQ(*ReadFile(dir + "/a"), "two");
  EXPECT_FALSE(PathExists(dir + "/a.tmp"));
}

TEST(DirLock, SecondHolderIsRefusedWithName) {
  std::string dir = TempDir("lock");
  auto first = DirLock::Acquire(dir, "kappa test");
  ASSERT_TRUE(first.ok()) << first.status();
  // flock locks belong to the open file description: a second open in the
  // same process conflicts just as another process would.
  auto second = DirLock::Acquire(dir, "second");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("kappa test"), std::string::npos)
      << second.status();
  first->reset();
  EXPECT_TRUE(DirLock::Acquire(dir, "third").ok());
}

}  // namespace
}  // namespace kappa

#include "base/metrics.h"

namespace kappa {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Metrics::Counter("kappa_test_bytes_total", "Bytes", {{"topic", "a\"b"}}).Add(5);
  Metrics::Gauge("kappa_test_end_offset", "End offset", {{"partition", "0"}}).Set(42);
  auto& h = Metrics::Histogram("kappa_test_latency_seconds", "Latency", {{"api", "produce"}});
  h.ObserveMicros(40);
  h.ObserveMicros(1000);
  h.ObserveMicros(100000000);
  std::string text = Metrics::RenderText();
  EXPECT_NE(text.find("# TYPE kappa_test_bytes_total counter"), std::string::npos);
  EXPECT_NE(text.find("kappa_test_bytes_total{topic=\"a\\\"b\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("kappa_test_end_offset{partition=\"0\"} 42\n"), std::string::npos);
  EXPECT_NE(text.find("kappa_test_latency_seconds_bucket{api=\"produce\",le=\"5e-05\"} 1\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("kappa_test_latency_seconds_bucket{api=\"produce\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("kappa_test_latency_seconds_count{api=\"produce\"} 3\n"), std::string::npos);
}

}  // namespace
}  // namespace kappa
