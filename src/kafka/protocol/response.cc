#include "kafka/protocol/response.h"

#include "kafka/protocol/codec.h"
#include "kafka/protocol/frame.h"

namespace kappa::kafka {
namespace {

constexpr WireContext kHeaderContext{0, false};

Result<ResponseBody> DecodeBody(ApiKey key, ByteSpan bytes, const WireContext& ctx) {
  Result<ResponseBody> out = Internal("no decoder for {}", ApiName(key));
  AllApis::Find([&](auto api) {
    using Api = decltype(api);
    if (Api::kKey != key) return false;
    auto message = DecodeMessage<typename Api::Response>(bytes, ctx);
    if (message.ok()) {
      out = ResponseBody(std::in_place_type<typename Api::Response>, std::move(*message));
    } else {
      out = message.status();
    }
    return true;
  });
  return out;
}

}  // namespace

Result<std::string> EncodeResponse(const ResponseHeader& header, int16_t api_version,
                                   const ResponseBody& body) {
  ApiKey key = ApiKeyOf(body);
  const ApiInfo* api = FindApi(static_cast<int16_t>(key));
  if (!api->versions.Contains(api_version)) {
    return Invalid("{} v{} is not supported", api->name, api_version);
  }
  WireContext ctx{api_version, api->flexible_versions.Contains(api_version)};
  std::string frame = StartFrame();
  Writer w(&frame);
  RETURN_IF_ERROR(internal::EncodeStruct(w, kHeaderContext, header));
  if (ResponseHeaderVersion(key, api_version) >= 1) w.NoTaggedFields();
  RETURN_IF_ERROR(std::visit([&](const auto& m) { return EncodeMessage(m, ctx, &frame); }, body));
  RETURN_IF_ERROR(FinishFrame(&frame));
  return frame;
}

Result<Response> DecodeResponse(ByteSpan frame_body, ApiKey key, int16_t api_version) {
  const ApiInfo* api = FindApi(static_cast<int16_t>(key));
  if (api == nullptr || !api->versions.Contains(api_version)) {
    return Invalid("{} v{} is not supported", ApiName(key), api_version);
  }
  Reader r(frame_body);
  Response out;
  RETURN_IF_ERROR(internal::DecodeStruct(r, kHeaderContext, out.header).WithContext("response header"));
  if (ResponseHeaderVersion(key, api_version) >= 1) RETURN_IF_ERROR(r.SkipTaggedFields());
  WireContext ctx{api_version, api->flexible_versions.Contains(api_version)};
  ASSIGN_OR_RETURN(out.body, DecodeBody(key, r.rest(), ctx));
  return out;
}

}  // namespace kappa::kafka
