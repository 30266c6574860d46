#include "format/json_record.h"

#include <gtest/gtest.h>

namespace kappa::format {
namespace {

TEST(JsonRecordParser, ValidatesAndReadsFields) {
  JsonRecordParser p;
  ASSERT_TRUE(p.Parse(R"({"id":"u1","n":42,"ts":"2024-03-01T12:00:00Z","ms":1700000000000,"x":null})",
                      false)
                  .ok());
  EXPECT_EQ(**p.Key("id"), "u1");
  EXPECT_EQ(**p.Key("n"), "42");
  EXPECT_FALSE(p.Key("x")->has_value());
  EXPECT_FALSE(p.Key("missing")->has_value());
  EXPECT_EQ(*p.Timestamp("ts"), 1709294400000);
  EXPECT_EQ(*p.Timestamp("ms"), 1700000000000);
  EXPECT_FALSE(p.Timestamp("id").ok());
  EXPECT_FALSE(p.Timestamp("missing").ok());
}

TEST(JsonRecordParser, RejectsInvalidJson) {
  JsonRecordParser p;
  for (const char* bad : {"{", "{\"a\":}", "nul", "{\"a\":1} x", "\"\xff\""}) {
    Status s = p.Parse(bad, false);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(s.message().starts_with("invalid JSON: ")) << s;
  }
}

TEST(JsonRecordParser, NonObjectHasNoFields) {
  JsonRecordParser p;
  ASSERT_TRUE(p.Parse("[1,2]", false).ok());
  EXPECT_FALSE(p.Key("a").ok());
  ASSERT_TRUE(p.Parse("17", false).ok());
  EXPECT_FALSE(p.Timestamp("a").ok());
}

}  // namespace
}  // namespace kappa::format
