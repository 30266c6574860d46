// The protocol's primitive encodings: varints, classic and compact lengths,
// null markers, tagged-field sections, and the limits on each.
#include <gtest/gtest.h>

#include "kafka/protocol/wire.h"
#include "test_util.h"

namespace kappa::kafka {
namespace {

using testing_util::Hex;

std::string Written(const std::function<Status(Writer&)>& fn) {
  std::string out;
  Writer w(&out);
  EXPECT_TRUE(fn(w).ok());
  return out;
}

TEST(Wire, UVarintBoundaries) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 16383ull, 16384ull, 0xffffffffull}) {
    std::string out;
    Writer(&out).UVarint(v);
    Reader r(AsBytes(out));
    Result<uint64_t> back = r.UVarint();
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, v);
    EXPECT_EQ(r.remaining(), 0u);
  }
  EXPECT_EQ(Written([](Writer& w) { w.UVarint(300); return OkStatus(); }), Hex("ac02"));
}

TEST(Wire, ClassicAndCompactLengths) {
  EXPECT_EQ(Written([](Writer& w) { return w.StringLength(5, false); }), Hex("0005"));
  EXPECT_EQ(Written([](Writer& w) { return w.StringLength(std::nullopt, false); }), Hex("ffff"));
  EXPECT_EQ(Written([](Writer& w) { return w.StringLength(5, true); }), Hex("06"));
  EXPECT_EQ(Written([](Writer& w) { return w.StringLength(std::nullopt, true); }), Hex("00"));
  EXPECT_EQ(Written([](Writer& w) { return w.BytesLength(std::nullopt, false); }),
            Hex("ffffffff"));
  EXPECT_EQ(Written([](Writer& w) { return w.ArrayCount(2, false); }), Hex("00000002"));
  EXPECT_EQ(Written([](Writer& w) { return w.ArrayCount(2, true); }), Hex("03"));
}

TEST(Wire, LengthsAreCheckedAgainstWhatRemains) {
  std::string in = Hex("0003 6162");
  Reader r(AsBytes(in));
  Result<std::optional<size_t>> n = r.StringLength(false);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kOutOfRange);

  std::string compact = Hex("00 03 6162");  // null, then length 2
  Reader c(AsBytes(compact));
  EXPECT_EQ(*c.StringLength(true), std::nullopt);
  EXPECT_EQ(*c.StringLength(true), std::optional<size_t>(2));

  // 3 elements of at least 4 bytes do not fit in 8 bytes.
  std::string arr = Hex("00000003 0000000000000000");
  Reader a(AsBytes(arr));
  EXPECT_EQ(a.ArrayCount(false, 4).status().code(), StatusCode::kOutOfRange);
  Reader b(AsBytes(arr));
  EXPECT_EQ(*b.ArrayCount(false, 2), std::optional<size_t>(3));
}

TEST(Wire, TaggedFieldsAreSkipped) {
  std::string in = Hex("02 00 01 aa 07 02 bbcc 99");
  Reader r(AsBytes(in));
  ASSERT_TRUE(r.SkipTaggedFields().ok());
  EXPECT_EQ(r.remaining(), 1u);
  std::string cut = Hex("01 00 05 aa");
  Reader c(AsBytes(cut));
  EXPECT_EQ(c.SkipTaggedFields().code(), StatusCode::kOutOfRange);
}

TEST(Wire, WriterRefusesOverlongStrings) {
  std::string out;
  Writer w(&out);
  EXPECT_TRUE(w.StringLength(kMaxStringSize, false).ok());
  EXPECT_FALSE(w.StringLength(kMaxStringSize + 1, false).ok());
  EXPECT_FALSE(w.StringLength(kMaxStringSize + 1, true).ok());
}

}  // namespace
}  // namespace kappa::kafka
