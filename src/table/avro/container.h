// Avro object container files, built and parsed in memory (Iceberg manifests
// and manifest lists are small):
//   file   := "Obj" 0x01, metadata map<bytes> (avro.schema, avro.codec, and
//             the caller's keys), 16-byte sync marker, block*
//   block  := long object count, long byte size, the objects' bytes (after
//             the codec), the sync marker
// Codecs: "null" and "deflate" (raw deflate, RFC 1951, as zlib with
// windowBits -15). A ContainerWriter is used by one thread at a time.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/avro/datum.h"
#include "table/avro/schema.h"

namespace kappa::table::avro {

enum class Codec { kNull, kDeflate };

class ContainerWriter {
 public:
  // `metadata` holds extra header keys; avro.schema and avro.codec are added.
  ContainerWriter(NodePtr schema, Codec codec, std::map<std::string, std::string> metadata = {});

  // Encodes one datum into the current block. Invalid if it does not fit.
  Status Append(const Datum& datum);
  // The whole file: header and every block. The writer is spent afterwards.
  Result<std::string> Finish();

  const NodePtr& schema() const { return schema_; }

 private:
  Status FlushBlock();

  NodePtr schema_;
  Codec codec_;
  std::string out_;
  std::string sync_;
  std::string block_;
  int64_t block_count_ = 0;
};

struct ContainerFile {
  NodePtr schema;  // the writer's schema, from avro.schema
  std::map<std::string, std::string> metadata;
  std::vector<Datum> data;
};

// Parses a whole container file; DataLoss on anything truncated or corrupt
// (bad magic, sync mismatch, undecodable block), Unimplemented for a codec
// other than null and deflate.
Result<ContainerFile> ReadContainer(std::string_view bytes);

// Raw deflate helpers (exposed for tests).
Result<std::string> Deflate(std::string_view data);
Result<std::string> Inflate(std::string_view data, size_t max_size);

}  // namespace kappa::table::avro
