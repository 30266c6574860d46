#include "log/compression.h"

#include <gtest/gtest.h>
#include <snappy.h>
#include <zstd.h>

#include <random>
#include <string>

#include "base/bytes.h"
#include "base/varint.h"

namespace kappa::log {
namespace {

constexpr Compression kCodecs[] = {Compression::kNone, Compression::kGzip, Compression::kSnappy,
                                   Compression::kLz4, Compression::kZstd};
constexpr Compression kRealCodecs[] = {Compression::kGzip, Compression::kSnappy,
                                       Compression::kLz4, Compression::kZstd};

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Text-like data that compresses well but not trivially.
std::string Compressible(size_t n) {
  std::string s;
  s.reserve(n);
  for (int i = 0; s.size() < n; ++i) s += fmt::format("{{\"id\":{},\"name\":\"user-{}\"}}\n", i, i % 97);
  s.resize(n);
  return s;
}

std::string MustCompress(Compression c, std::string_view in) {
  std::string out;
  Status st = Compress(c, in, &out);
  EXPECT_TRUE(st.ok()) << CompressionName(c) << ": " << st;
  return out;
}

TEST(Compression, NamesRoundTrip) {
  for (Compression c : kCodecs) {
    Result<Compression> parsed = ParseCompression(CompressionName(c));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c);
  }
  Result<Compression> bad = ParseCompression("brotli");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("brotli"), std::string_view::npos);
}

TEST(Compression, RoundTripsEveryCodec) {
  const std::string inputs[] = {"", "x", Compressible(100000), RandomBytes(70000, 1),
                                Compressible(3 << 20)};
  for (Compression c : kCodecs) {
    for (const std::string& in : inputs) {
      std::string compressed = MustCompress(c, in);
      std::string out = "prefix";  // Decompress appends
      Status st = Decompress(c, compressed, &out);
      ASSERT_TRUE(st.ok()) << CompressionName(c) << " size " << in.size() << ": " << st;
      ASSERT_EQ(out.size(), in.size() + 6) << CompressionName(c);
      EXPECT_TRUE(out == "prefix" + in) << CompressionName(c) << " size " << in.size();
    }
  }
}

TEST(Compression, CompressedFormsAreKafkas) {
  std::string in = Compressible(200000);
  std::string gz = MustCompress(Compression::kGzip, in);
  EXPECT_EQ(static_cast<uint8_t>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<uint8_t>(gz[1]), 0x8b);
  // Snappy is written raw, as librdkafka writes it (Java reads raw too).
  std::string sn = MustCompress(Compression::kSnappy, in);
  EXPECT_TRUE(snappy::IsValidCompressedBuffer(sn.data(), sn.size()));
  // LZ4 frame magic 0x184D2204 (LE) and FLG with independent blocks, which
  // Kafka's Java reader requires.
  std::string lz = MustCompress(Compression::kLz4, in);
  EXPECT_EQ(LoadLE<uint32_t>(reinterpret_cast<const uint8_t*>(lz.data())), 0x184D2204u);
  EXPECT_NE(static_cast<uint8_t>(lz[4]) & 0x20, 0);
  std::string zs = MustCompress(Compression::kZstd, in);
  EXPECT_EQ(LoadLE<uint32_t>(reinterpret_cast<const uint8_t*>(zs.data())), 0xFD2FB528u);
}

// The stream snappy-java's SnappyOutputStream (the Java client) writes.
std::string XerialFrame(const std::vector<std::string>& blocks) {
  std::string out("\x82SNAPPY\0", 8);
  AppendBE<int32_t>(&out, 1);
  AppendBE<int32_t>(&out, 1);
  for (const std::string& b : blocks) {
    std::string raw;
    snappy::Compress(b.data(), b.size(), &raw);
    AppendBE<int32_t>(&out, static_cast<int32_t>(raw.size()));
    out += raw;
  }
  return out;
}

TEST(Compression, SnappyReadsXerialFraming) {
  std::string a = Compressible(32768), b = RandomBytes(1000, 2), c = "tail";
  std::string out;
  ASSERT_TRUE(Decompress(Compression::kSnappy, XerialFrame({a, b, c}), &out).ok());
  EXPECT_TRUE(out == a + b + c);
  out.clear();
  ASSERT_TRUE(Decompress(Compression::kSnappy, XerialFrame({}), &out).ok());
  EXPECT_TRUE(out.empty());
  // A block length running past the end is corruption.
  std::string bad = XerialFrame({a});
  bad.resize(bad.size() - 1);
  out.clear();
  Status st = Decompress(Compression::kSnappy, bad, &out);
  EXPECT_EQ(st.code(), StatusCode::kDataLoss) << st;
}

TEST(Compression, ZstdWithoutContentSizeAndConcatenatedFrames) {
  std::string in = Compressible(500000);
  // As a streaming writer (zstd-jni in the Java client) may: no content size.
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  std::string frame(ZSTD_compressBound(in.size()), '\0');
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  ZSTD_outBuffer dst{frame.data(), frame.size(), 0};
  ASSERT_EQ(ZSTD_compressStream2(cctx, &dst, &src, ZSTD_e_end), 0u);
  ZSTD_freeCCtx(cctx);
  frame.resize(dst.pos);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  std::string out;
  ASSERT_TRUE(Decompress(Compression::kZstd, frame + frame, &out).ok());
  EXPECT_TRUE(out == in + in);
}

TEST(Compression, ConcatenatedGzipMembersAndLz4Frames) {
  for (Compression c : {Compression::kGzip, Compression::kLz4}) {
    std::string a = Compressible(70000), b = "second";
    std::string both = MustCompress(c, a) + MustCompress(c, b);
    std::string out;
    Status st = Decompress(c, both, &out);
    ASSERT_TRUE(st.ok()) << CompressionName(c) << ": " << st;
    EXPECT_TRUE(out == a + b) << CompressionName(c);
  }
}

TEST(Compression, OutputIsCapped) {
  std::string zeros(8 << 20, '\0');
  for (Compression c : kCodecs) {
    std::string compressed = MustCompress(c, zeros);
    std::string out;
    Status st = Decompress(c, compressed, &out, 1 << 20);
    EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << CompressionName(c) << ": " << st;
    EXPECT_LE(out.size(), size_t{1} << 20) << CompressionName(c);
    out.clear();
    st = Decompress(c, compressed, &out, zeros.size());
    EXPECT_TRUE(st.ok()) << CompressionName(c) << " at exact cap: " << st;
    EXPECT_EQ(out.size(), zeros.size());
  }
}

TEST(Compression, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  for (Compression c : kRealCodecs) {
    for (int i = 0; i < 300; ++i) {
      std::string junk = RandomBytes(rng() % 300, static_cast<uint32_t>(i));
      std::string out;
      Status st = Decompress(c, junk, &out, 1 << 20);
      if (!st.ok()) {
        EXPECT_TRUE(st.code() == StatusCode::kDataLoss ||
                    st.code() == StatusCode::kResourceExhausted)
            << CompressionName(c) << ": " << st;
      }
    }
    std::string out;
    EXPECT_FALSE(Decompress(c, "", &out).ok()) << CompressionName(c) << " accepted empty input";
    EXPECT_FALSE(Decompress(c, std::string(100, '\xff'), &out).ok()) << CompressionName(c);
  }
}

TEST(Compression, SnappyLengthLieIsRefusedBeforeAllocating) {
  std::string lie;
  AppendUVarint(&lie, 200 << 20);  // claims 200 MiB
  lie += "abcd";
  std::string out;
  Status st = Decompress(Compression::kSnappy, lie, &out);
  EXPECT_EQ(st.code(), StatusCode::kDataLoss) << st;
  EXPECT_LT(out.capacity(), size_t{1} << 20);
}

TEST(Compression, TruncatedStreamsAreCorrupt) {
  std::string in = Compressible(20000);
  for (Compression c : kRealCodecs) {
    std::string full = MustCompress(c, in);
    for (size_t n = 0; n < full.size(); n += (n < 64 ? 1 : 37)) {
      std::string out;
      Status st = Decompress(c, std::string_view(full).substr(0, n), &out);
      EXPECT_FALSE(st.ok()) << CompressionName(c) << " accepted a prefix of " << n;
    }
  }
}

TEST(Compression, FlippedBitsNeverCrash) {
  std::string in = Compressible(50000);
  std::mt19937 rng(11);
  for (Compression c : kRealCodecs) {
    std::string full = MustCompress(c, in);
    for (int i = 0; i < 400; ++i) {
      std::string bad = full;
      bad[rng() % bad.size()] ^= static_cast<char>(1 << (rng() % 8));
      std::string out;
      (void)Decompress(c, bad, &out, 1 << 20);
      EXPECT_LE(out.size(), size_t{1} << 20);
    }
  }
}

}  // namespace
}  // namespace kappa::log
