#include "format/partitioner.h"

#include <gtest/gtest.h>

namespace kappa::format {
namespace {

// Vectors from Kafka's UtilsTest.testMurmur2 and librdkafka's rdmurmur2.c.
TEST(Murmur2, MatchesKafka) {
  EXPECT_EQ(Murmur2("21"), -973932308);
  EXPECT_EQ(Murmur2("foobar"), -790332482);
  EXPECT_EQ(Murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(Murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(Murmur2("abc"), 479470107);
  EXPECT_EQ(Murmur2("kafka"), -798503068);
  EXPECT_EQ(Murmur2("1"), -1993445489);
  EXPECT_EQ(Murmur2("12345"), -1188365604);
}

TEST(PartitionForKey, PositiveModulo) {
  EXPECT_EQ(PartitionForKey("21", 7), (-973932308 & 0x7fffffff) % 7);
  for (int i = 0; i < 1000; ++i) {
    int32_t p = PartitionForKey(std::to_string(i), 3);
    EXPECT_GE(p, 0);
    EXPECT_LT(p, 3);
  }
}

}  // namespace
}  // namespace kappa::format
