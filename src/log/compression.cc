#include "log/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/bytes.h"

namespace kappa::log {
namespace {

// Output grows in steps of at least this many bytes while streaming.
constexpr size_t kMinGrowth = size_t{64} << 10;
// Largest output reserved at once on a frame's word; beyond it output grows
// as it is produced.
constexpr size_t kMaxPresize = size_t{8} << 20;

// The xerial snappy-java stream header: magic, version, min compatible version.
constexpr uint8_t kXerialMagic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr size_t kXerialHeaderSize = 16;
constexpr size_t kSnappyMaxRatio = 22;

// An output window over *out that grows on demand but never past
// `start + max_size`. Streaming decoders write at data() and commit().
class CappedOutput {
 public:
  CappedOutput(std::string* out, size_t max_size)
      : out_(out), start_(out->size()), used_(out->size()), limit_(out->size() + max_size) {}
  ~CappedOutput() { out_->resize(used_); }

  // Makes room for more output; false when the cap is reached.
  bool Grow(size_t hint = 0) {
    if (used_ < out_->size()) return true;
    if (used_ >= limit_) return false;
    size_t step = std::max({kMinGrowth, hint, used_ - start_});
    out_->resize(std::min(limit_, used_ + step));
    return true;
  }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(out_->data()) + used_; }
  size_t avail() const { return out_->size() - used_; }
  void commit(size_t n) { used_ += n; }

 private:
  std::string* out_;
  size_t start_;
  size_t used_;
  size_t limit_;
};

Status TooLarge(Compression c, size_t max_size) {
  return Exhausted("{} data decompresses to more than {} bytes", CompressionName(c), max_size);
}

// ---- gzip ----

Status CompressGzip(std::string_view in, std::string* out) {
  if (in.size() > (UINT32_MAX >> 1)) return Invalid("gzip input too large: {} bytes", in.size());
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return Internal("deflateInit2 failed");
  }
  size_t start = out->size();
  out->resize(start + deflateBound(&zs, in.size()));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data() + start);
  zs.avail_out = static_cast<uInt>(out->size() - start);
  int rc = deflate(&zs, Z_FINISH);
  out->resize(start + zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Internal("gzip compression failed: {}", rc);
  return OkStatus();
}

// Inflates gzip (or zlib) members until the input is used up.
Status InflateAll(z_stream* zs, CappedOutput* sink, size_t max_size) {
  while (true) {
    if (!sink->Grow()) return TooLarge(Compression::kGzip, max_size);
    zs->next_out = sink->data();
    zs->avail_out = static_cast<uInt>(std::min<size_t>(sink->avail(), 1u << 30));
    uInt before = zs->avail_out;
    int rc = inflate(zs, Z_NO_FLUSH);
    sink->commit(before - zs->avail_out);
    if (rc == Z_STREAM_END) {
      if (zs->avail_in == 0) return OkStatus();
      if (inflateReset(zs) != Z_OK) return Internal("inflateReset failed");
      continue;  // another gzip member follows
    }
    if (rc == Z_BUF_ERROR && zs->avail_in == 0) return Corruption("gzip data is truncated");
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Corruption("gzip data is corrupt: {}", zs->msg ? zs->msg : "inflate error");
    }
  }
}

Status DecompressGzip(std::string_view in, std::string* out, size_t max_size) {
  if (in.size() > UINT32_MAX) return Invalid("gzip input too large");
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Internal("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  CappedOutput sink(out, max_size);
  Status st = InflateAll(&zs, &sink, max_size);
  inflateEnd(&zs);
  return st;
}

// ---- snappy ----

Status CompressSnappy(std::string_view in, std::string* out) {
  size_t start = out->size();
  out->resize(start + snappy::MaxCompressedLength(in.size()));
  size_t n = 0;
  snappy::RawCompress(in.data(), in.size(), out->data() + start, &n);
  out->resize(start + n);
  return OkStatus();
}

// One raw snappy block appended to *out; `budget` is what the cap leaves.
Status SnappyBlock(std::string_view in, std::string* out, size_t* budget, size_t max_size) {
  size_t n = 0;
  if (!snappy::GetUncompressedLength(in.data(), in.size(), &n)) {
    return Corruption("snappy data is corrupt: bad length preamble");
  }
  if (n > *budget) return TooLarge(Compression::kSnappy, max_size);
  // A snappy copy element expands at most 64 bytes from 3: a larger claim is
  // a lie, refused before allocating for it.
  if (n / kSnappyMaxRatio > in.size()) {
    return Corruption("snappy data claims {} bytes from {}", n, in.size());
  }
  size_t start = out->size();
  out->resize(start + n);
  if (!snappy::RawUncompress(in.data(), in.size(), out->data() + start)) {
    out->resize(start);
    return Corruption("snappy data is corrupt");
  }
  *budget -= n;
  return OkStatus();
}

bool IsXerial(std::string_view in) {
  return in.size() >= kXerialHeaderSize && std::memcmp(in.data(), kXerialMagic, 8) == 0;
}

// [magic 8][version i32][compat i32] then ([length i32 BE][raw block])*.
Status DecompressXerial(std::string_view in, std::string* out, size_t max_size) {
  size_t budget = max_size;
  size_t pos = kXerialHeaderSize;
  while (pos < in.size()) {
    if (in.size() - pos < 4) return Corruption("xerial snappy block length is truncated");
    int32_t len = LoadBE<int32_t>(reinterpret_cast<const uint8_t*>(in.data()) + pos);
    pos += 4;
    if (len < 0 || static_cast<size_t>(len) > in.size() - pos) {
      return Corruption("xerial snappy block length {} out of bounds", len);
    }
    RETURN_IF_ERROR(SnappyBlock(in.substr(pos, static_cast<size_t>(len)), out, &budget, max_size));
    pos += static_cast<size_t>(len);
  }
  return OkStatus();
}

Status DecompressSnappy(std::string_view in, std::string* out, size_t max_size) {
  if (IsXerial(in)) {
    size_t start = out->size();
    Status st = DecompressXerial(in, out, max_size);
    if (st.ok() || st.code() == StatusCode::kResourceExhausted) return st;
    out->resize(start);
    // Raw snappy whose first bytes happen to match the magic: try it as raw.
    size_t budget = max_size;
    if (SnappyBlock(in, out, &budget, max_size).ok()) return OkStatus();
    out->resize(start);
    return st;
  }
  size_t budget = max_size;
  return SnappyBlock(in, out, &budget, max_size);
}

// ---- lz4 (frame format) ----

// Kafka's Java reader refuses linked blocks; librdkafka writes independent
// 64 KiB blocks without content size or checksum, as we do.
Status CompressLz4(std::string_view in, std::string* out) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  size_t start = out->size();
  out->resize(start + LZ4F_compressFrameBound(in.size(), &prefs));
  size_t n = LZ4F_compressFrame(out->data() + start, out->size() - start, in.data(), in.size(),
                                &prefs);
  if (LZ4F_isError(n)) {
    out->resize(start);
    return Internal("lz4 compression failed: {}", LZ4F_getErrorName(n));
  }
  out->resize(start + n);
  return OkStatus();
}

struct Lz4DctxFree {
  void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

// Decodes one or more concatenated frames.
Status Lz4Frames(LZ4F_dctx* dctx, std::string_view in, CappedOutput* sink, size_t max_size) {
  if (in.empty()) return Corruption("lz4 data is empty");
  const char* src = in.data();
  size_t left = in.size();
  size_t hint = 1;
  while (left > 0) {
    if (!sink->Grow()) return TooLarge(Compression::kLz4, max_size);
    size_t dst_n = sink->avail();
    size_t src_n = left;
    hint = LZ4F_decompress(dctx, sink->data(), &dst_n, src, &src_n, nullptr);
    if (LZ4F_isError(hint)) return Corruption("lz4 data is corrupt: {}", LZ4F_getErrorName(hint));
    sink->commit(dst_n);
    src += src_n;
    left -= src_n;
    if (src_n == 0 && dst_n == 0 && sink->avail() > 0) {
      return Corruption("lz4 decoder made no progress");
    }
  }
  // Input is used up; the decoder may still hold buffered output.
  while (hint != 0) {
    if (!sink->Grow()) return TooLarge(Compression::kLz4, max_size);
    size_t dst_n = sink->avail();
    size_t src_n = 0;
    hint = LZ4F_decompress(dctx, sink->data(), &dst_n, src, &src_n, nullptr);
    if (LZ4F_isError(hint)) return Corruption("lz4 data is corrupt: {}", LZ4F_getErrorName(hint));
    sink->commit(dst_n);
    if (hint != 0 && dst_n == 0 && sink->avail() > 0) return Corruption("lz4 data is truncated");
  }
  return OkStatus();
}

Status DecompressLz4(std::string_view in, std::string* out, size_t max_size) {
  LZ4F_dctx* raw = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) {
    return Internal("LZ4F_createDecompressionContext failed");
  }
  std::unique_ptr<LZ4F_dctx, Lz4DctxFree> dctx(raw);
  CappedOutput sink(out, max_size);
  return Lz4Frames(dctx.get(), in, &sink, max_size);
}

// ---- zstd ----

struct ZstdCctxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDctxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread: creating one costs more than compressing a
// small batch.
ZSTD_CCtx* ThreadCctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdCctxFree> cctx(ZSTD_createCCtx());
  return cctx.get();
}
ZSTD_DCtx* ThreadDctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDctxFree> dctx(ZSTD_createDCtx());
  return dctx.get();
}

Status CompressZstd(std::string_view in, std::string* out) {
  ZSTD_CCtx* cctx = ThreadCctx();
  if (cctx == nullptr) return Internal("ZSTD_createCCtx failed");
  size_t start = out->size();
  out->resize(start + ZSTD_compressBound(in.size()));
  size_t n = ZSTD_compressCCtx(cctx, out->data() + start, out->size() - start, in.data(),
                               in.size(), ZSTD_CLEVEL_DEFAULT);
  if (ZSTD_isError(n)) {
    out->resize(start);
    return Internal("zstd compression failed: {}", ZSTD_getErrorName(n));
  }
  out->resize(start + n);
  return OkStatus();
}

// Streams one or more frames; frames need not declare their content size.
Status DecompressZstd(std::string_view in, std::string* out, size_t max_size) {
  if (in.empty()) return Corruption("zstd data is empty");
  ZSTD_DCtx* dctx = ThreadDctx();
  if (dctx == nullptr) return Internal("ZSTD_createDCtx failed");
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
  // A declared size presizes the output, up to a bound: garbage may lie.
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  size_t hint = declared <= kMaxPresize ? static_cast<size_t>(declared) : 0;
  CappedOutput sink(out, max_size);
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  size_t rc = 1;
  while (src.pos < src.size || rc != 0) {
    if (!sink.Grow(hint)) return TooLarge(Compression::kZstd, max_size);
    ZSTD_outBuffer dst{sink.data(), sink.avail(), 0};
    size_t in_before = src.pos;
    rc = ZSTD_decompressStream(dctx, &dst, &src);
    if (ZSTD_isError(rc)) return Corruption("zstd data is corrupt: {}", ZSTD_getErrorName(rc));
    sink.commit(dst.pos);
    bool idle = src.pos == in_before && dst.pos < dst.size;
    if (rc != 0 && idle) return Corruption("zstd data is truncated");
    if (src.pos == in_before && dst.pos == 0) return Corruption("zstd decoder made no progress");
  }
  return OkStatus();
}

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kSnappy: return "snappy";
    case Compression::kLz4: return "lz4";
    case Compression::kZstd: return "zstd";
  }
  return "unknown";
}

Result<Compression> ParseCompression(std::string_view name) {
  for (auto c : {Compression::kNone, Compression::kGzip, Compression::kSnappy, Compression::kLz4,
                 Compression::kZstd}) {
    if (name == CompressionName(c)) return c;
  }
  return Invalid("unknown compression '{}': expected none, gzip, snappy, lz4 or zstd", name);
}

Status Compress(Compression c, std::string_view in, std::string* out) {
  switch (c) {
    case Compression::kNone: out->append(in); return OkStatus();
    case Compression::kGzip: return CompressGzip(in, out);
    case Compression::kSnappy: return CompressSnappy(in, out);
    case Compression::kLz4: return CompressLz4(in, out);
    case Compression::kZstd: return CompressZstd(in, out);
  }
  return Invalid("unknown compression codec {}", static_cast<int>(c));
}

Status Decompress(Compression c, std::string_view in, std::string* out, size_t max_size) {
  switch (c) {
    case Compression::kNone:
      if (in.size() > max_size) return TooLarge(c, max_size);
      out->append(in);
      return OkStatus();
    case Compression::kGzip: return DecompressGzip(in, out, max_size);
    case Compression::kSnappy: return DecompressSnappy(in, out, max_size);
    case Compression::kLz4: return DecompressLz4(in, out, max_size);
    case Compression::kZstd: return DecompressZstd(in, out, max_size);
  }
  return Corruption("unknown compression codec {}", static_cast<int>(c));
}

}  // namespace kappa::log
