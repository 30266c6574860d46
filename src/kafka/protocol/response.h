// Responses: the server's EncodeResponse and its inverse DecodeResponse (for
// tests and client tools). A response does not name its API; the caller
// knows it from the request it answers (matched by correlation id).
// Stateless; thread-safe.
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "kafka/protocol/apis.h"
#include "kafka/protocol/header.h"

namespace kappa::kafka {

struct Response {
  ResponseHeader header;
  ResponseBody body;
};

// Encodes a whole frame (size prefix, header, body) in api_version of the
// body's API. Fails when that version is not supported or a value cannot be
// carried by it (null in a non-nullable field, an over-long string).
Result<std::string> EncodeResponse(const ResponseHeader& header, int16_t api_version,
                                   const ResponseBody& body);

// Decodes one response frame body (without its size prefix) of API `key` in
// `api_version`. Errors as for requests (wire.h): kOutOfRange when
// truncated, kInvalidArgument when malformed or unsupported.
Result<Response> DecodeResponse(ByteSpan frame_body, ApiKey key, int16_t api_version);

}  // namespace kappa::kafka
