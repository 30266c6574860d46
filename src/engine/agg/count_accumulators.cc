#include <vector>

#include "engine/agg/accumulator_impls.h"

namespace kappa::engine {
namespace {

class CountAccumulators final : public Accumulators {
 public:
  explicit CountAccumulators(bool star) : star_(star) {}

  void Resize(uint32_t groups) override {
    if (counts_.size() < groups) counts_.resize(groups, 0);
  }
  void Clear(uint32_t gid) override { counts_[gid] = 0; }
  void Update(const AggRows& in) override {
    const columnar::Column* arg = star_ ? nullptr : in.arg;
    bool nulls = arg != nullptr && arg->has_nulls();
    for (size_t i = 0; i < in.count; ++i) {
      if (nulls && arg->IsNull(in.rows[i])) continue;
      counts_[in.gids[i]] += in.sign(i);
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    counts_[into] += counts_[from];
    counts_[from] = 0;
  }
  void AppendResult(uint32_t gid, columnar::Column* out) const override {
    out->Append<int64_t>(counts_[gid]);
  }
  void Save(uint32_t gid, StateWriter* w) const override { w->I64(counts_[gid]); }
  Status Load(uint32_t gid, StateReader* r) override { return r->I64(&counts_[gid]); }

 private:
  bool star_;
  std::vector<int64_t> counts_;
};

}  // namespace

std::unique_ptr<Accumulators> MakeCountAccumulators(bool star) {
  return std::make_unique<CountAccumulators>(star);
}

}  // namespace kappa::engine
