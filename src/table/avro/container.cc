#include "table/avro/container.h"

#include <zlib.h>

#include <random>

#include "base/varint.h"

namespace kappa::table::avro {
namespace {

constexpr std::string_view kMagic("Obj\x01", 4);
constexpr size_t kSyncSize = 16;
constexpr size_t kBlockBytes = 1 << 20;
// A deflate block may not inflate beyond this (ours are ~1 MiB; the limit
// stops a decompression bomb).
constexpr size_t kMaxBlockBytes = size_t{64} << 20;

std::string RandomSync() {
  std::random_device rd;
  std::string sync(kSyncSize, '\0');
  for (char& c : sync) c = static_cast<char>(rd() & 0xff);
  return sync;
}

std::string_view CodecName(Codec codec) { return codec == Codec::kDeflate ? "deflate" : "null"; }

void AppendBytes(std::string* out, std::string_view v) {
  AppendVarint(out, static_cast<int64_t>(v.size()));
  out->append(v);
}

void AppendHeader(std::string* out, const std::map<std::string, std::string>& metadata,
                  const std::string& sync) {
  out->append(kMagic);
  AppendVarint(out, static_cast<int64_t>(metadata.size()));
  for (const auto& [key, value] : metadata) {
    AppendBytes(out, key);
    AppendBytes(out, value);
  }
  out->push_back(0);
  out->append(sync);
}

Result<std::map<std::string, std::string>> ReadMetadata(Decoder* in) {
  std::map<std::string, std::string> metadata;
  for (;;) {
    ASSIGN_OR_RETURN(int64_t count, in->ReadLong());
    if (count == 0) break;
    if (count < 0) {
      count = -count;
      ASSIGN_OR_RETURN(int64_t ignored, in->ReadLong());
      (void)ignored;
    }
    if (count < 0 || count > static_cast<int64_t>(in->remaining())) {
      return Corruption("avro file: header map of {} entries", count);
    }
    for (int64_t i = 0; i < count; ++i) {
      ASSIGN_OR_RETURN(std::string_view key, in->ReadBytes());
      ASSIGN_OR_RETURN(std::string_view value, in->ReadBytes());
      metadata[std::string(key)] = std::string(value);
    }
  }
  return metadata;
}

Result<Codec> ParseCodec(const std::map<std::string, std::string>& metadata) {
  auto it = metadata.find("avro.codec");
  if (it == metadata.end() || it->second == "null") return Codec::kNull;
  if (it->second == "deflate") return Codec::kDeflate;
  return Unimplemented("avro file: codec '{}' is not supported", it->second);
}

Status ReadBlock(Decoder* in, const ContainerFile& file, Codec codec, std::string_view sync,
                 std::vector<Datum>* out) {
  ASSIGN_OR_RETURN(int64_t count, in->ReadLong());
  ASSIGN_OR_RETURN(int64_t size, in->ReadLong());
  if (count < 0 || size < 0) return Corruption("avro file: block of {} objects, {} bytes", count, size);
  ASSIGN_OR_RETURN(std::string_view raw, in->ReadFixed(static_cast<size_t>(size)));
  std::string inflated;
  if (codec == Codec::kDeflate) {
    ASSIGN_OR_RETURN(inflated, Inflate(raw, kMaxBlockBytes));
    raw = inflated;
  }
  Decoder block(raw);
  for (int64_t i = 0; i < count; ++i) {
    if (block.done()) return Corruption("avro file: block ends after {} of {} objects", i, count);
    ASSIGN_OR_RETURN(Datum d, block.Decode(*file.schema));
    out->push_back(std::move(d));
  }
  if (!block.done()) return Corruption("avro file: {} stray bytes after a block", block.remaining());
  ASSIGN_OR_RETURN(std::string_view marker, in->ReadFixed(kSyncSize));
  if (marker != sync) return Corruption("avro file: sync marker mismatch at byte {}", in->position());
  return OkStatus();
}

}  // namespace

ContainerWriter::ContainerWriter(NodePtr schema, Codec codec,
                                 std::map<std::string, std::string> metadata)
    : schema_(std::move(schema)), codec_(codec), sync_(RandomSync()) {
  metadata["avro.schema"] = SchemaToString(schema_);
  metadata["avro.codec"] = std::string(CodecName(codec_));
  AppendHeader(&out_, metadata, sync_);
}

Status ContainerWriter::Append(const Datum& datum) {
  RETURN_IF_ERROR(Encode(*schema_, datum, &block_));
  ++block_count_;
  if (block_.size() >= kBlockBytes) return FlushBlock();
  return OkStatus();
}

Status ContainerWriter::FlushBlock() {
  if (block_count_ == 0) return OkStatus();
  std::string body = std::move(block_);
  if (codec_ == Codec::kDeflate) {
    ASSIGN_OR_RETURN(body, Deflate(body));
  }
  AppendVarint(&out_, block_count_);
  AppendBytes(&out_, body);
  out_.append(sync_);
  block_.clear();
  block_count_ = 0;
  return OkStatus();
}

Result<std::string> ContainerWriter::Finish() {
  RETURN_IF_ERROR(FlushBlock());
  return std::move(out_);
}

Result<ContainerFile> ReadContainer(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return Corruption("avro file: bad magic");
  Decoder in(bytes.substr(kMagic.size()));
  ContainerFile file;
  ASSIGN_OR_RETURN(file.metadata, ReadMetadata(&in));
  auto schema = file.metadata.find("avro.schema");
  if (schema == file.metadata.end()) return Corruption("avro file: no avro.schema in the header");
  auto parsed = ParseSchema(schema->second);
  if (!parsed.ok()) return Corruption("avro file: {}", parsed.status().message());
  file.schema = *parsed;
  ASSIGN_OR_RETURN(Codec codec, ParseCodec(file.metadata));
  ASSIGN_OR_RETURN(std::string_view sync, in.ReadFixed(kSyncSize));
  while (!in.done()) {
    RETURN_IF_ERROR(ReadBlock(&in, file, codec, sync, &file.data));
  }
  return file;
}

Result<std::string> Deflate(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Internal("deflate failed: {}", rc);
  return out;
}

Result<std::string> Inflate(std::string_view data, size_t max_size) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) return Internal("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > max_size) break;
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // input ended early
  }
  inflateEnd(&zs);
  if (out.size() > max_size) return Corruption("avro file: block inflates beyond {} bytes", max_size);
  if (rc != Z_STREAM_END) return Corruption("avro file: deflate block is corrupt or truncated");
  return out;
}

}  // namespace kappa::table::avro
