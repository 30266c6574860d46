#include "kafka/broker/record_batches.h"

#include <string>

#include "base/bytes.h"

namespace kappa::kafka {

namespace {

SplitBatches Fail(ErrorCode code, std::string message) {
  SplitBatches out;
  out.error = code;
  out.message = std::move(message);
  return out;
}

}  // namespace

SplitBatches SplitAndValidate(std::string_view records) {
  if (records.empty()) return Fail(ErrorCode::kCorruptMessage, "no record batch");
  SplitBatches out;
  thread_local std::string scratch;
  thread_local std::vector<log::Record> decoded;
  size_t pos = 0;
  while (pos < records.size()) {
    std::string_view rest = records.substr(pos);
    if (rest.size() <= log::kMagicPos) {
      return Fail(ErrorCode::kCorruptMessage, "truncated record batch header");
    }
    int8_t magic = static_cast<int8_t>(rest[log::kMagicPos]);
    if (magic != log::kMagicV2) {
      return Fail(ErrorCode::kUnsupportedForMessageFormat,
                  "message format v" + std::to_string(magic) + " (only v2 is supported)");
    }
    int32_t length = LoadBE<int32_t>(reinterpret_cast<const uint8_t*>(rest.data()) +
                                     log::kBatchLengthPos);
    if (length < 0 || static_cast<size_t>(length) > rest.size() - log::kBatchLengthPrefix ||
        static_cast<size_t>(length) + log::kBatchLengthPrefix < log::kBatchHeaderSize) {
      return Fail(ErrorCode::kCorruptMessage, "batch length out of bounds");
    }
    std::string_view batch = rest.substr(0, log::kBatchLengthPrefix + static_cast<size_t>(length));
    if (Status s = log::ValidateBatch(AsBytes(batch)); !s.ok()) {
      return Fail(ErrorCode::kCorruptMessage, std::string(s.message()));
    }
    if (Status s = log::DecodeRecords(AsBytes(batch), &scratch, &decoded); !s.ok()) {
      return Fail(ErrorCode::kCorruptMessage, std::string(s.message()));
    }
    auto header = log::ParseBatchHeader(AsBytes(batch));
    if (!header.ok()) return Fail(ErrorCode::kCorruptMessage, "bad batch header");
    out.batches.push_back(batch);
    out.headers.push_back(*header);
    pos += batch.size();
  }
  return out;
}

}  // namespace kappa::kafka
