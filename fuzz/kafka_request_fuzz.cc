// libFuzzer target over the Kafka request decoder. Input: one request frame
// body (the bytes after the i32 size). Beyond "no crash, no sanitizer
// report", it checks the decoder's contract:
//   - an unknown api key or unsupported version always comes with the header;
//   - a request that decodes re-encodes, and the re-encoding decodes to the
//     same header and body (the codec is symmetric on everything it accepts);
//   - record batches in Produce payloads go through log::ValidateBatch, and
//     the valid ones through log::DecodeRecords.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kafka/protocol/debug_string.h"
#include "kafka/protocol/request.h"
#include "log/record_batch.h"

namespace {

using kappa::ByteSpan;
using namespace kappa::kafka;

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "kafka_request_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Splits a records field into batches by their batchLength and checks each.
void CheckBatches(std::string_view records) {
  ByteSpan rest = kappa::AsBytes(records);
  while (rest.size() >= kappa::log::kBatchLengthPrefix) {
    int32_t length = kappa::LoadBE<int32_t>(rest.data() + kappa::log::kBatchLengthPos);
    if (length < 0 || static_cast<size_t>(length) > rest.size() - kappa::log::kBatchLengthPrefix) {
      return;  // a partial trailing batch, as Kafka tolerates on fetch
    }
    ByteSpan batch = rest.first(kappa::log::kBatchLengthPrefix + static_cast<size_t>(length));
    if (kappa::log::ValidateBatch(batch).ok()) {
      std::string scratch;
      std::vector<kappa::log::Record> out;
      (void)kappa::log::DecodeRecords(batch, &scratch, &out);
    }
    rest = rest.subspan(batch.size());
  }
}

void CheckProduce(const ProduceRequest& produce) {
  for (const auto& topic : produce.topics) {
    for (const auto& partition : topic.partitions) {
      if (partition.records) CheckBatches(partition.records->bytes());
    }
  }
}

void CheckRoundTrip(const Request& request) {
  kappa::Result<std::string> frame = EncodeRequest(request.header, request.body);
  if (!frame.ok()) Fail("re-encoding failed", frame.status().ToString());
  RequestOrError again = DecodeRequest(kappa::AsBytes(*frame).subspan(4));
  if (!again.ok()) Fail("re-encoded request does not decode", again.error().status.ToString());
  if (!(again.request().header == request.header) || again.request().body != request.body) {
    Fail("round trip changed the request", DebugString(request.body) + " became " +
                                               DebugString(again.request().body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RequestOrError decoded = DecodeRequest(ByteSpan(data, size));
  if (!decoded.ok()) {
    const RequestDecodeError& e = decoded.error();
    bool needs_header = e.kind == RequestError::kUnknownApiKey ||
                        e.kind == RequestError::kUnsupportedVersion;
    if (needs_header && !e.header) Fail("header missing", e.status.ToString());
    if (e.status.ok()) Fail("error without a status", std::string(RequestErrorName(e.kind)));
    return 0;
  }
  const Request& request = decoded.request();
  (void)DebugString(request.body);
  CheckRoundTrip(request);
  if (const auto* produce = std::get_if<ProduceRequest>(&request.body)) CheckProduce(*produce);
  return 0;
}
