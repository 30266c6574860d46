#include "table/parquet/codec.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

namespace kappa::table::parquet {
namespace {

Result<std::string> Unsnappy(std::string_view data, size_t size) {
  size_t n = 0;
  if (!snappy::GetUncompressedLength(data.data(), data.size(), &n) || n != size) {
    return Corruption("snappy: page length does not match its header");
  }
  std::string out(size, '\0');
  if (!snappy::RawUncompress(data.data(), data.size(), out.data())) {
    return Corruption("snappy: corrupt block");
  }
  return out;
}

Result<std::string> Unzstd(std::string_view data, size_t size) {
  std::string out(size, '\0');
  size_t n = ZSTD_decompress(out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(n)) return Corruption("zstd: {}", ZSTD_getErrorName(n));
  if (n != size) return Corruption("zstd: page length does not match its header");
  return out;
}

Result<std::string> Ungzip(std::string_view data, size_t size) {
  std::string out(size, '\0');
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return Internal("gzip: inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  size_t n = z.total_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return Corruption("gzip: corrupt stream ({})", rc);
  if (n != size) return Corruption("gzip: page length does not match its header");
  return out;
}

}  // namespace

void Compress(Codec codec, int zstd_level, std::string_view data, std::string* out) {
  size_t start = out->size();
  switch (codec) {
    case Codec::kSnappy: {
      out->resize(start + snappy::MaxCompressedLength(data.size()));
      size_t n = 0;
      snappy::RawCompress(data.data(), data.size(), out->data() + start, &n);
      out->resize(start + n);
      return;
    }
    case Codec::kZstd: {
      out->resize(start + ZSTD_compressBound(data.size()));
      size_t n = ZSTD_compress(out->data() + start, out->size() - start, data.data(), data.size(),
                               zstd_level);
      out->resize(start + (ZSTD_isError(n) ? 0 : n));
      return;
    }
    default: out->append(data); return;
  }
}

Result<std::string> Decompress(Codec codec, std::string_view data, size_t uncompressed_size) {
  switch (codec) {
    case Codec::kUncompressed:
      if (data.size() != uncompressed_size) return Corruption("page sizes differ without compression");
      return std::string(data);
    case Codec::kSnappy: return Unsnappy(data, uncompressed_size);
    case Codec::kZstd: return Unzstd(data, uncompressed_size);
    case Codec::kGzip: return Ungzip(data, uncompressed_size);
    default: return Unimplemented("parquet codec {} is not supported", CodecName(codec));
  }
}

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kLzo: return "LZO";
    case Codec::kBrotli: return "BROTLI";
    case Codec::kLz4: return "LZ4";
    case Codec::kZstd: return "ZSTD";
    case Codec::kLz4Raw: return "LZ4_RAW";
  }
  return "UNKNOWN";
}

}  // namespace kappa::table::parquet
