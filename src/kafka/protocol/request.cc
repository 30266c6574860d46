#include "kafka/protocol/request.h"

#include "kafka/protocol/codec.h"
#include "kafka/protocol/frame.h"

namespace kappa::kafka {
namespace {

// Header fields are never compact, even in header v2.
constexpr WireContext kHeaderContext{1, false};

RequestError KindOf(const Status& status) {
  return status.code() == StatusCode::kOutOfRange ? RequestError::kTruncated
                                                  : RequestError::kMalformed;
}

Result<RequestBody> DecodeBody(ApiKey key, ByteSpan bytes, const WireContext& ctx) {
  Result<RequestBody> out = Internal("no decoder for {}", ApiName(key));
  AllApis::Find([&](auto api) {
    using Api = decltype(api);
    if (Api::kKey != key) return false;
    auto message = DecodeMessage<typename Api::Request>(bytes, ctx);
    if (message.ok()) {
      out = RequestBody(std::in_place_type<typename Api::Request>, std::move(*message));
    } else {
      out = message.status();
    }
    return true;
  });
  return out;
}

RequestDecodeError Failure(RequestError kind, Status status, std::optional<RequestHeader> header) {
  return RequestDecodeError{kind, std::move(status), std::move(header)};
}

}  // namespace

std::string_view RequestErrorName(RequestError kind) {
  switch (kind) {
    case RequestError::kTruncated: return "truncated";
    case RequestError::kMalformed: return "malformed";
    case RequestError::kUnknownApiKey: return "unknown api key";
    case RequestError::kUnsupportedVersion: return "unsupported version";
  }
  return "?";
}

RequestOrError DecodeRequest(ByteSpan frame_body) {
  Reader r(frame_body);
  RequestHeader header;
  Status s = internal::DecodeStruct(r, kHeaderContext, header);
  if (!s.ok()) return Failure(KindOf(s), s.WithContext("request header"), std::nullopt);

  const ApiInfo* api = FindApi(static_cast<int16_t>(header.api_key));
  if (api == nullptr) {
    return Failure(RequestError::kUnknownApiKey,
                   Invalid("unknown api key {}", static_cast<int16_t>(header.api_key)), header);
  }
  if (!api->versions.Contains(header.api_version)) {
    return Failure(RequestError::kUnsupportedVersion,
                   Invalid("{} v{} is not supported (v{}-v{})", api->name, header.api_version,
                           api->versions.min, api->versions.max),
                   header);
  }
  WireContext ctx{header.api_version, api->flexible_versions.Contains(header.api_version),
                  /*borrow_records=*/true};
  if (ctx.flexible) {
    s = r.SkipTaggedFields();
    if (!s.ok()) return Failure(KindOf(s), s.WithContext("request header"), header);
  }
  Result<RequestBody> body = DecodeBody(header.api_key, r.rest(), ctx);
  if (!body.ok()) {
    Status where = body.status().WithContext(fmt::format("{} v{}", api->name, header.api_version));
    return Failure(KindOf(body.status()), std::move(where), header);
  }
  return Request{std::move(header), std::move(*body)};
}

void DetachRecords(Request* request) {
  auto* produce = std::get_if<ProduceRequest>(&request->body);
  if (produce == nullptr) return;
  for (auto& topic : produce->topics) {
    for (auto& partition : topic.partitions) {
      if (partition.records) partition.records->mutable_bytes();
    }
  }
}

Result<std::string> EncodeRequest(const RequestHeader& header, const RequestBody& body) {
  if (ApiKeyOf(body) != header.api_key) {
    return Invalid("header names {} but the body is {}", ApiName(header.api_key),
                   ApiName(ApiKeyOf(body)));
  }
  const ApiInfo* api = FindApi(static_cast<int16_t>(header.api_key));
  if (!api->versions.Contains(header.api_version)) {
    return Invalid("{} v{} is not supported", api->name, header.api_version);
  }
  WireContext ctx{header.api_version, api->flexible_versions.Contains(header.api_version)};
  std::string frame = StartFrame();
  Writer w(&frame);
  RETURN_IF_ERROR(internal::EncodeStruct(w, kHeaderContext, header));
  if (ctx.flexible) w.NoTaggedFields();
  RETURN_IF_ERROR(std::visit([&](const auto& m) { return EncodeMessage(m, ctx, &frame); }, body));
  RETURN_IF_ERROR(FinishFrame(&frame));
  return frame;
}

}  // namespace kappa::kafka
