#include "format/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kappa::format {
namespace {

TEST(LineReader, SplitsLinesAtEveryChunkSize) {
  for (size_t chunk : {size_t{1}, size_t{3}, SIZE_MAX}) {
    StringSource source("{\"a\":1}\r\n\n{\"b\":2}\nlast", chunk);
    LineReader reader(&source, 4);
    std::vector<std::string> texts;
    std::vector<int64_t> numbers;
    Line line;
    while (true) {
      Result<bool> more = reader.Next(&line);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      texts.emplace_back(line.text);
      numbers.push_back(line.number);
    }
    EXPECT_EQ(texts, (std::vector<std::string>{"{\"a\":1}", "", "{\"b\":2}", "last"}));
    EXPECT_EQ(numbers, (std::vector<int64_t>{1, 2, 3, 4}));
  }
}

TEST(LineReader, TooLongLineFails) {
  StringSource source(std::string(100, 'x'));
  LineReader reader(&source, 8, 16);
  Line line;
  EXPECT_FALSE(reader.Next(&line).ok());
}

TEST(TrimLine, Trims) {
  EXPECT_EQ(TrimLine("  {} \t\r"), "{}");
  EXPECT_EQ(TrimLine("\xEF\xBB\xBF{}"), "{}");
  EXPECT_EQ(TrimLine("   "), "");
}

}  // namespace
}  // namespace kappa::format
