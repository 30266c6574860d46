// Writes seed inputs for kafka_request_fuzz: for every supported API and
// version, one request frame body with every field filled (arrays of one
// element, non-null values), named <api>_v<N>. Usage:
//   kafka_seed_corpus <dir>
// The committed seeds in fuzz/corpus/kafka_request/ came from this plus the
// real-client captures of tests/unit/kafka/data/; rerun it after adding an
// API or a version.
#include <cstdio>
#include <fstream>
#include <string>

#include "kafka/protocol/codec.h"
#include "kafka/protocol/request.h"

namespace {

using namespace kappa::kafka;

// A deterministic, non-default value for every field (see types.h).
template <typename T>
void Fill(T& v, int& counter) {
  using namespace internal;
  ++counter;
  if constexpr (IsOptional<T>::value) {
    Fill(v.emplace(), counter);
  } else if constexpr (std::is_same_v<T, bool>) {
    v = true;
  } else if constexpr (kIsFixed<T>) {
    v = T(static_cast<WireType<T>>(counter % 100));
  } else if constexpr (std::is_same_v<T, std::string>) {
    v = "s" + std::to_string(counter);
  } else if constexpr (std::is_same_v<T, Bytes> || std::is_same_v<T, Records>) {
    v = T{std::string(8, static_cast<char>(counter))};
  } else if constexpr (IsVector<T>::value) {
    v.resize(1);
    Fill(v[0], counter);
  } else {
    (void)ForEachField<T>([&](const auto& field) {
      Fill(v.*field.member, counter);
      return kappa::OkStatus();
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  int written = 0;
  AllApis::ForEach([&](auto api) {
    using Api = decltype(api);
    for (int16_t v = Api::kVersions.min; v <= Api::kVersions.max; ++v) {
      typename Api::Request request;
      int counter = 0;
      Fill(request, counter);
      auto frame = EncodeRequest({Api::kKey, v, v + 1, "kappa-seed"}, request);
      if (!frame.ok()) {
        std::fprintf(stderr, "%s v%d: %s\n", Api::kName.data(), v, frame.status().ToString().c_str());
        continue;
      }
      std::string path = std::string(argv[1]) + "/" + std::string(Api::kName) + "_v" +
                         std::to_string(v);
      std::ofstream(path, std::ios::binary) << frame->substr(4);
      ++written;
    }
  });
  std::printf("wrote %d seeds\n", written);
  return 0;
}
