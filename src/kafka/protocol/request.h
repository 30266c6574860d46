// Requests: the server's entry point DecodeRequest and its inverse
// EncodeRequest (for tests and client tools).
//
// DecodeRequest takes one frame body (the bytes after the i32 size) and
// returns the header and a typed body, or a RequestDecodeError whose kind
// tells the server what to do:
//   kTruncated, kMalformed  the bytes are not a valid request: close the
//                           connection (the peer's framing can't be trusted)
//   kUnknownApiKey          close the connection (as Kafka does)
//   kUnsupportedVersion     the header is valid: answer ApiVersions with
//                           UNSUPPORTED_VERSION in v0 and our range; for
//                           other APIs close the connection
// The error carries the header whenever the header itself decoded, so the
// server always has the correlation id it needs to answer. Decoding never
// allocates more than a small multiple of the frame's size. Stateless;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "base/status.h"
#include "kafka/protocol/apis.h"
#include "kafka/protocol/header.h"

namespace kappa::kafka {

struct Request {
  RequestHeader header;
  RequestBody body;
};

enum class RequestError {
  kTruncated,           // the bytes end before the request does
  kMalformed,           // impossible values, or bytes left after the body
  kUnknownApiKey,       // header.api_key is not an API Kappa supports
  kUnsupportedVersion,  // known API, version outside its range
};

std::string_view RequestErrorName(RequestError kind);

struct RequestDecodeError {
  RequestError kind;
  Status status;                        // what failed and where, for the log
  std::optional<RequestHeader> header;  // set unless the header failed
};

// A decoded request or why there is none.
class RequestOrError {
 public:
  RequestOrError(Request request) : v_(std::move(request)) {}          // NOLINT
  RequestOrError(RequestDecodeError error) : v_(std::move(error)) {}   // NOLINT

  bool ok() const { return v_.index() == 0; }
  // REQUIRES: ok()
  const Request& request() const& { return std::get<Request>(v_); }
  Request&& request() && { return std::get<Request>(std::move(v_)); }
  // REQUIRES: !ok()
  const RequestDecodeError& error() const { return std::get<RequestDecodeError>(v_); }

 private:
  std::variant<Request, RequestDecodeError> v_;
};

// Decodes one request frame body (without its size prefix). The returned
// request owns copies of every string and byte range except Records (a
// Produce request's record batches), which view `frame_body`: keep the frame
// alive as long as the request, or copy them (Records::mutable_bytes).
RequestOrError DecodeRequest(ByteSpan frame_body);

// Makes every Records of `request` own a copy of its bytes, so the request
// outlives its frame (tests, tools). Only Produce requests carry Records.
void DetachRecords(Request* request);

// Encodes a whole frame (size prefix, header, body). Fails when the header's
// api_key does not match the body, the version is not supported, or a value
// cannot be carried by that version (null in a non-nullable field, ...).
Result<std::string> EncodeRequest(const RequestHeader& header, const RequestBody& body);

}  // namespace kappa::kafka
