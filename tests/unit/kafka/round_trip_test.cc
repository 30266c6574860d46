// Every request and response of every supported API, at every version:
// encode a random message, decode it, and get back the same message with
// the fields that version does not carry reset to their defaults.
#include <gtest/gtest.h>

#include "kafka/protocol/apis.h"
#include "kafka/protocol/request.h"
#include "kafka/protocol/response.h"
#include "test_util.h"

namespace kappa::kafka {
namespace {

using testing_util::FillStruct;
using testing_util::Rng;
using testing_util::StripAbsent;

constexpr int kSeedsPerVersion = 25;

template <typename Msg>
void CheckMessageRoundTrip(const WireContext& ctx, uint64_t seed) {
  Rng rng(seed);
  Msg original;
  FillStruct(original, rng, ctx.version);
  std::string bytes;
  Status s = EncodeMessage(original, ctx, &bytes);
  ASSERT_TRUE(s.ok()) << s << " v" << ctx.version << " " << DebugString(original);
  Result<Msg> decoded = DecodeMessage<Msg>(AsBytes(bytes), ctx);
  ASSERT_TRUE(decoded.ok()) << decoded.status() << " v" << ctx.version;
  Msg expected = original;
  StripAbsent(expected, ctx.version);
  EXPECT_EQ(*decoded, expected) << "v" << ctx.version << " seed " << seed;
}

TEST(RoundTrip, EveryMessageAtEveryVersion) {
  int checked = 0;
  AllApis::ForEach([&](auto api) {
    using Api = decltype(api);
    for (int16_t v = Api::kVersions.min; v <= Api::kVersions.max; ++v) {
      WireContext ctx{v, Api::kFlexibleVersions.Contains(v)};
      for (uint64_t seed = 0; seed < kSeedsPerVersion; ++seed) {
        SCOPED_TRACE(fmt::format("{} v{} seed {}", Api::kName, v, seed));
        CheckMessageRoundTrip<typename Api::Request>(ctx, seed);
        CheckMessageRoundTrip<typename Api::Response>(ctx, seed);
      }
      ++checked;
    }
  });
  EXPECT_EQ(checked, 8 + 12 + 3 + 5 + 6 + 5 + 3 + 6 + 4 + 2 + 4 + 4 + 4 + 4 + 2);
}

template <typename Api>
void CheckFrameRoundTrips() {
    for (int16_t v = Api::kVersions.min; v <= Api::kVersions.max; ++v) {
      SCOPED_TRACE(fmt::format("{} v{}", Api::kName, v));
      Rng rng(v);
      typename Api::Request request;
      FillStruct(request, rng, v);
      RequestHeader header{Api::kKey, v, 7 + v, "client-" + std::to_string(v)};
      Result<std::string> frame = EncodeRequest(header, request);
      ASSERT_TRUE(frame.ok()) << frame.status();
      RequestOrError decoded = DecodeRequest(AsBytes(*frame).subspan(4));
      ASSERT_TRUE(decoded.ok()) << decoded.error().status;
      EXPECT_EQ(decoded.request().header, header);
      StripAbsent(request, v);
      EXPECT_EQ(std::get<typename Api::Request>(decoded.request().body), request);

      typename Api::Response response;
      FillStruct(response, rng, v);
      Result<std::string> rframe = EncodeResponse(ResponseHeader{99}, v, response);
      ASSERT_TRUE(rframe.ok()) << rframe.status();
      Result<Response> rdecoded = DecodeResponse(AsBytes(*rframe).subspan(4), Api::kKey, v);
      ASSERT_TRUE(rdecoded.ok()) << rdecoded.status();
      EXPECT_EQ(rdecoded->header.correlation_id, 99);
      StripAbsent(response, v);
      EXPECT_EQ(std::get<typename Api::Response>(rdecoded->body), response);
    }
}

TEST(RoundTrip, WholeFramesThroughDecodeRequestAndDecodeResponse) {
  AllApis::ForEach([](auto api) { CheckFrameRoundTrips<decltype(api)>(); });
}

// Definition sanity: every field exists in some supported version, and a
// field may be null only if its member can hold null (the DSL enforces the
// converse at compile time).
template <typename Api, Described Msg>
void CheckDefinitions(std::string_view where) {
  (void)ForEachField<Msg>([&](const auto& field) {
    using T = typename std::decay_t<decltype(field)>::Type;
    EXPECT_LE(field.versions.min, Api::kVersions.max) << where << "." << field.name;
    EXPECT_LE(field.versions.min, field.versions.max) << where << "." << field.name;
    if constexpr (IsOptional<T>::value) {
      EXPECT_FALSE(field.nullable.empty()) << where << "." << field.name << " is optional";
    }
    if constexpr (internal::IsVector<T>::value) {
      if constexpr (Described<typename T::value_type>) {
        CheckDefinitions<Api, typename T::value_type>(field.name);
      }
    }
    if constexpr (IsOptional<T>::value) {
      if constexpr (internal::IsVector<typename T::value_type>::value) {
        if constexpr (Described<typename T::value_type::value_type>) {
          CheckDefinitions<Api, typename T::value_type::value_type>(field.name);
        }
      }
    }
    return OkStatus();
  });
}

TEST(Definitions, FieldsFitTheirApis) {
  AllApis::ForEach([&](auto api) {
    using Api = decltype(api);
    CheckDefinitions<Api, typename Api::Request>(Api::kName);
    CheckDefinitions<Api, typename Api::Response>(Api::kName);
  });
}

TEST(Definitions, SupportedApisAdvertiseMinVersionZero) {
  auto apis = SupportedApis();
  ASSERT_EQ(apis.size(), 15u);
  for (size_t i = 0; i < apis.size(); ++i) {
    EXPECT_EQ(apis[i].versions.min, 0) << apis[i].name;
    if (i > 0) {
      EXPECT_LT(apis[i - 1].key, apis[i].key);
    }
  }
  EXPECT_EQ(FindApi(18)->versions.max, 3);
  EXPECT_EQ(FindApi(1)->versions.max, 11);
  EXPECT_EQ(FindApi(0)->versions.max, 7);
  EXPECT_EQ(FindApi(4), nullptr);
  EXPECT_EQ(ApiName(ApiKey::kSyncGroup), "SyncGroup");
  EXPECT_EQ(ApiName(ApiKey{57}), "ApiKey(57)");
  EXPECT_TRUE(IsFlexible(ApiKey::kApiVersions, 3));
  EXPECT_FALSE(IsFlexible(ApiKey::kApiVersions, 2));
  EXPECT_FALSE(IsFlexible(ApiKey::kFetch, 11));
  EXPECT_EQ(RequestHeaderVersion(ApiKey::kApiVersions, 3), 2);
  EXPECT_EQ(ResponseHeaderVersion(ApiKey::kApiVersions, 3), 0);
  EXPECT_EQ(RequestHeaderVersion(ApiKey::kMetadata, 4), 1);
}

}  // namespace
}  // namespace kappa::kafka
