#include "log/topic_config.h"

#include <gtest/gtest.h>

namespace kappa::log {
namespace {

TEST(LogTopicConfig, JsonRoundTrip) {
  TopicConfig c;
  c.partitions = 3;
  c.durability = Durability::kAlways;
  c.retention_bytes = 1 << 30;
  c.retention_ms = 3600000;
  c.segment_bytes = 1 << 20;
  c.segment_ms = 60000;
  c.index_interval_bytes = 1024;
  auto back = TopicConfig::FromJson(c.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), c.ToJson());
  EXPECT_EQ(back->durability, Durability::kAlways);
}

TEST(LogTopicConfig, JsonDefaultsAndErrors) {
  auto c = TopicConfig::FromJson(R"({"partitions": 2, "future_field": true})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->partitions, 2);
  EXPECT_EQ(c->durability, Durability::kGroup);
  EXPECT_EQ(c->retention_ms, -1);
  auto bad = TopicConfig::FromJson(R"({"partitions": "two"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("partitions"), std::string_view::npos);
  EXPECT_FALSE(TopicConfig::FromJson("[1]").ok());
  EXPECT_FALSE(TopicConfig::FromJson("{").ok());
  EXPECT_FALSE(TopicConfig::FromJson(R"({"durability": "sometimes"})").ok());
}

TEST(LogTopicConfig, Validate) {
  TopicConfig c;
  EXPECT_TRUE(c.Validate().ok());
  c.partitions = 0;
  EXPECT_NE(c.Validate().message().find("partitions"), std::string_view::npos);
  c.partitions = 1;
  c.segment_bytes = 1000;
  EXPECT_NE(c.Validate().message().find("segment_bytes"), std::string_view::npos);
  EXPECT_TRUE(c.Validate(/*allow_small_segments=*/true).ok());
  c.retention_ms = -2;
  EXPECT_NE(c.Validate(true).message().find("retention_ms"), std::string_view::npos);
}

TEST(LogTopicConfig, Durations) {
  EXPECT_EQ(*ParseDurationMillis("7d"), 7 * 86400000LL);
  EXPECT_EQ(*ParseDurationMillis("12h"), 12 * 3600000LL);
  EXPECT_EQ(*ParseDurationMillis("30m"), 30 * 60000LL);
  EXPECT_EQ(*ParseDurationMillis("45s"), 45000);
  EXPECT_EQ(*ParseDurationMillis("500ms"), 500);
  EXPECT_EQ(*ParseDurationMillis("250"), 250);
  EXPECT_EQ(*ParseDurationMillis("infinite"), -1);
  EXPECT_EQ(*ParseDurationMillis("-1"), -1);
  EXPECT_FALSE(ParseDurationMillis("").ok());
  EXPECT_FALSE(ParseDurationMillis("7 days").ok());
  EXPECT_FALSE(ParseDurationMillis("-5s").ok());
  EXPECT_FALSE(ParseDurationMillis("99999999999999999999d").ok());
}

TEST(LogTopicConfig, Sizes) {
  EXPECT_EQ(*ParseSizeBytes("10GiB"), 10LL << 30);
  EXPECT_EQ(*ParseSizeBytes("512MiB"), 512LL << 20);
  EXPECT_EQ(*ParseSizeBytes("4KiB"), 4096);
  EXPECT_EQ(*ParseSizeBytes("4kib"), 4096);
  EXPECT_EQ(*ParseSizeBytes("5MB"), 5000000);
  EXPECT_EQ(*ParseSizeBytes("1000"), 1000);
  EXPECT_EQ(*ParseSizeBytes("infinite"), -1);
  EXPECT_FALSE(ParseSizeBytes("lots").ok());
  EXPECT_FALSE(ParseSizeBytes("1.5GiB").ok());
}

TEST(LogTopicConfig, TopicNames) {
  EXPECT_TRUE(ValidateTopicName("orders").ok());
  EXPECT_TRUE(ValidateTopicName("a.b_c-D9").ok());
  EXPECT_FALSE(ValidateTopicName("").ok());
  EXPECT_FALSE(ValidateTopicName(".").ok());
  EXPECT_FALSE(ValidateTopicName("..").ok());
  EXPECT_FALSE(ValidateTopicName("a/b").ok());
  EXPECT_FALSE(ValidateTopicName("a~1").ok());
  EXPECT_FALSE(ValidateTopicName(std::string(250, 'x')).ok());
  EXPECT_TRUE(ValidateTopicName(std::string(249, 'x')).ok());
}

TEST(LogTopicConfig, DurabilityNames) {
  for (Durability d : {Durability::kAlways, Durability::kGroup, Durability::kNever}) {
    EXPECT_EQ(*ParseDurability(DurabilityName(d)), d);
  }
  EXPECT_FALSE(ParseDurability("sometimes").ok());
}

}  // namespace
}  // namespace kappa::log
