#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "engine/agg/accumulator_impls.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {
namespace {

// COUNT(DISTINCT x): per group, a count of rows per distinct encoded value.
class DistinctCountAccumulators final : public Accumulators {
 public:
  void Resize(uint32_t groups) override {
    if (values_.size() < groups) values_.resize(groups);
  }
  void Clear(uint32_t gid) override { values_[gid].clear(); }
  void Update(const AggRows& in) override {
    std::string key;
    for (size_t i = 0; i < in.count; ++i) {
      uint32_t r = in.rows[i];
      if (in.arg->IsNull(r)) continue;
      key.clear();
      EncodeCell(*in.arg, r, &key);
      Add(in.gids[i], key, in.sign(i));
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    for (const auto& [k, n] : values_[from]) Add(into, k, n);
    values_[from].clear();
  }
  void AppendResult(uint32_t gid, columnar::Column* out) const override {
    out->Append<int64_t>(static_cast<int64_t>(values_[gid].size()));
  }
  void Save(uint32_t gid, StateWriter* w) const override {
    // Sorted, so that equal states give equal snapshots.
    std::vector<std::pair<std::string_view, int64_t>> sorted(values_[gid].begin(),
                                                              values_[gid].end());
    std::sort(sorted.begin(), sorted.end());
    w->UVarint(sorted.size());
    for (const auto& [k, n] : sorted) {
      w->Bytes(k);
      w->I64(n);
    }
  }
  Status Load(uint32_t gid, StateReader* r) override {
    uint64_t count = 0;
    RETURN_IF_ERROR(r->UVarint(&count));
    values_[gid].clear();
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view k;
      int64_t n = 0;
      RETURN_IF_ERROR(r->Bytes(&k));
      RETURN_IF_ERROR(r->I64(&n));
      values_[gid].emplace(std::string(k), n);
    }
    return OkStatus();
  }

 private:
  void Add(uint32_t g, std::string_view key, int64_t n) {
    auto& m = values_[g];
    auto it = m.find(absl::string_view(key.data(), key.size()));
    if (it == m.end()) it = m.emplace(std::string(key), 0).first;
    it->second += n;
    if (it->second <= 0) m.erase(it);
  }

  std::vector<absl::flat_hash_map<std::string, int64_t>> values_;
};

}  // namespace

std::unique_ptr<Accumulators> MakeDistinctCountAccumulators() {
  return std::make_unique<DistinctCountAccumulators>();
}

}  // namespace kappa::engine
