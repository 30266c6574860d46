#include "format/input_file.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <string>

#include "base/file.h"

namespace kappa::format {
namespace {

std::string TempPath(const char* name) {
  return std::string(testing::TempDir()) + "kappa_format_" + name + "_" +
         std::to_string(::getpid());
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string ReadAll(InputFile* in, size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  while (true) {
    Result<size_t> n = in->Read(buf.data(), buf.size());
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || *n == 0) break;
    out.append(buf.data(), *n);
  }
  return out;
}

std::string Payload() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "row " + std::to_string(i) + ",some,text\n";
  return s;
}

TEST(InputFile, PlainFile) {
  std::string path = TempPath("plain");
  ASSERT_TRUE(WriteFileAtomic(path, Payload()).ok());
  auto in = InputFile::Open(path);
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE((*in)->gzip());
  EXPECT_EQ(ReadAll(in->get(), 4096), Payload());
  EXPECT_EQ((*in)->file_position(), (*in)->file_size());
  ASSERT_TRUE(RemoveFile(path).ok());
}

TEST(InputFile, GzipAndConcatenatedMembers) {
  std::string path = TempPath("gz");
  std::string half = Payload();
  ASSERT_TRUE(WriteFileAtomic(path, Gzip(half) + Gzip("tail\n")).ok());
  for (size_t chunk : {size_t{1000}, size_t{1} << 20}) {
    auto in = InputFile::Open(path);
    ASSERT_TRUE(in.ok());
    EXPECT_TRUE((*in)->gzip());
    EXPECT_EQ(ReadAll(in->get(), chunk), half + "tail\n");
    EXPECT_EQ((*in)->file_position(), (*in)->file_size());
  }
  ASSERT_TRUE(RemoveFile(path).ok());
}

TEST(InputFile, TruncatedGzipIsCorruption) {
  std::string path = TempPath("trunc");
  std::string gz = Gzip(Payload());
  ASSERT_TRUE(WriteFileAtomic(path, gz.substr(0, gz.size() / 2)).ok());
  auto in = InputFile::Open(path);
  ASSERT_TRUE(in.ok());
  std::string buf(1 << 16, '\0');
  Status st;
  while (true) {
    Result<size_t> n = (*in)->Read(buf.data(), buf.size());
    if (!n.ok()) {
      st = n.status();
      break;
    }
    ASSERT_NE(*n, 0u) << "truncated gzip read to a clean end";
  }
  EXPECT_EQ(st.code(), StatusCode::kDataLoss);
  ASSERT_TRUE(RemoveFile(path).ok());
}

TEST(InputFile, MissingFile) {
  auto in = InputFile::Open("/nonexistent/kappa/file.csv");
  EXPECT_FALSE(in.ok());
}

}  // namespace
}  // namespace kappa::format
