#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "columnar/value.h"
#include "engine/agg/accumulator_impls.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

using columnar::Column;
using columnar::DataType;
using columnar::Int128;
using columnar::TypeId;
using columnar::Value;

namespace {

// Append-only MIN/MAX over a fixed-width physical type T.
template <typename T>
class FixedMinMax final : public Accumulators {
 public:
  explicit FixedMinMax(bool max) : max_(max) {}

  void Resize(uint32_t groups) override {
    if (best_.size() < groups) {
      best_.resize(groups, T{});
      has_.resize(groups, 0);
    }
  }
  void Clear(uint32_t gid) override { has_[gid] = 0; }
  void Update(const AggRows& in) override {
    const std::vector<T>& values = in.arg->values<T>();
    bool nulls = in.arg->has_nulls();
    for (size_t i = 0; i < in.count; ++i) {
      uint32_t r = in.rows[i];
      if (nulls && in.arg->IsNull(r)) continue;
      Offer(in.gids[i], values[r]);
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    if (has_[from]) Offer(into, best_[from]);
    has_[from] = 0;
  }
  void AppendResult(uint32_t gid, Column* out) const override {
    if (!has_[gid]) return out->AppendNull();
    out->Append<T>(best_[gid]);
  }
  void Save(uint32_t gid, StateWriter* w) const override {
    w->U8(has_[gid]);
    w->Bytes(std::string_view(reinterpret_cast<const char*>(&best_[gid]), sizeof(T)));
  }
  Status Load(uint32_t gid, StateReader* r) override {
    RETURN_IF_ERROR(r->U8(&has_[gid]));
    std::string_view b;
    RETURN_IF_ERROR(r->Bytes(&b));
    if (b.size() != sizeof(T)) return Corruption("MIN/MAX state has a value of {} bytes", b.size());
    std::memcpy(&best_[gid], b.data(), sizeof(T));
    return OkStatus();
  }

 private:
  void Offer(uint32_t g, T v) {
    if (!has_[g] || (max_ ? best_[g] < v : v < best_[g])) {
      best_[g] = v;
      has_[g] = 1;
    }
  }

  bool max_;
  std::vector<T> best_;
  std::vector<uint8_t> has_;
};

// MIN/MAX over any type, keeping a count per distinct value so that
// retracting the current extreme finds the next one.
class RetractingMinMax final : public Accumulators {
 public:
  RetractingMinMax(DataType type, bool max) : type_(std::move(type)), max_(max) {}

  void Resize(uint32_t groups) override {
    if (values_.size() < groups) values_.resize(groups);
  }
  void Clear(uint32_t gid) override { values_[gid].clear(); }
  void Update(const AggRows& in) override {
    for (size_t i = 0; i < in.count; ++i) {
      uint32_t r = in.rows[i];
      if (in.arg->IsNull(r)) continue;
      Add(in.gids[i], in.arg->Get(r), in.sign(i));
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    for (auto& [v, n] : values_[from]) Add(into, v, n);
    values_[from].clear();
  }
  void AppendResult(uint32_t gid, Column* out) const override {
    const auto& m = values_[gid];
    if (m.empty()) return out->AppendNull();
    out->AppendValue(max_ ? m.rbegin()->first : m.begin()->first);
  }
  void Save(uint32_t gid, StateWriter* w) const override {
    w->UVarint(values_[gid].size());
    std::string key;
    for (const auto& [v, n] : values_[gid]) {
      key.clear();
      EncodeValue(v, &key);
      w->Bytes(key);
      w->I64(n);
    }
  }
  Status Load(uint32_t gid, StateReader* r) override {
    uint64_t count = 0;
    RETURN_IF_ERROR(r->UVarint(&count));
    values_[gid].clear();
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view key;
      int64_t n = 0;
      RETURN_IF_ERROR(r->Bytes(&key));
      RETURN_IF_ERROR(r->I64(&n));
      ASSIGN_OR_RETURN(Value v, DecodeValue(&key, type_));
      values_[gid][std::move(v)] = n;
    }
    return OkStatus();
  }

 private:
  void Add(uint32_t g, const Value& v, int64_t n) {
    auto [it, inserted] = values_[g].try_emplace(v, 0);
    it->second += n;
    if (it->second <= 0) values_[g].erase(it);
  }

  DataType type_;
  bool max_;
  std::vector<std::map<Value, int64_t>> values_;
};

// Append-only MIN/MAX over STRING.
class StringMinMax final : public Accumulators {
 public:
  explicit StringMinMax(bool max) : max_(max) {}

  void Resize(uint32_t groups) override {
    if (best_.size() < groups) {
      best_.resize(groups);
      has_.resize(groups, 0);
    }
  }
  void Clear(uint32_t gid) override {
    has_[gid] = 0;
    best_[gid].clear();
  }
  void Update(const AggRows& in) override {
    for (size_t i = 0; i < in.count; ++i) {
      uint32_t r = in.rows[i];
      if (in.arg->IsNull(r)) continue;
      Offer(in.gids[i], in.arg->GetString(r));
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    if (has_[from]) Offer(into, best_[from]);
    Clear(from);
  }
  void AppendResult(uint32_t gid, Column* out) const override {
    if (!has_[gid]) return out->AppendNull();
    out->AppendString(best_[gid]);
  }
  void Save(uint32_t gid, StateWriter* w) const override {
    w->U8(has_[gid]);
    w->Bytes(best_[gid]);
  }
  Status Load(uint32_t gid, StateReader* r) override {
    RETURN_IF_ERROR(r->U8(&has_[gid]));
    std::string_view b;
    RETURN_IF_ERROR(r->Bytes(&b));
    best_[gid].assign(b);
    return OkStatus();
  }

 private:
  void Offer(uint32_t g, std::string_view v) {
    if (!has_[g] || (max_ ? std::string_view(best_[g]) < v : v < std::string_view(best_[g]))) {
      best_[g].assign(v);
      has_[g] = 1;
    }
  }

  bool max_;
  std::vector<std::string> best_;
  std::vector<uint8_t> has_;
};

}  // namespace

std::unique_ptr<Accumulators> MakeMinMaxAccumulators(const DataType& arg, bool max,
                                                     bool retractions) {
  if (retractions) return std::make_unique<RetractingMinMax>(arg, max);
  switch (arg.id()) {
    case TypeId::kBoolean: return std::make_unique<FixedMinMax<uint8_t>>(max);
    case TypeId::kInt32:
    case TypeId::kDate: return std::make_unique<FixedMinMax<int32_t>>(max);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return std::make_unique<FixedMinMax<int64_t>>(max);
    case TypeId::kDouble: return std::make_unique<FixedMinMax<double>>(max);
    case TypeId::kDecimal: return std::make_unique<FixedMinMax<Int128>>(max);
    case TypeId::kString: return std::make_unique<StringMinMax>(max);
    default: return std::make_unique<RetractingMinMax>(arg, max);
  }
}

}  // namespace kappa::engine
