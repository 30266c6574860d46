#include <vector>

#include "columnar/value.h"
#include "engine/agg/accumulator_impls.h"

namespace kappa::engine {

using columnar::Column;
using columnar::DataType;
using columnar::Int128;
using columnar::TypeId;

Int128 RescaleDecimal(Int128 v, int from_scale, int to_scale) {
  if (to_scale == from_scale) return v;
  if (to_scale > from_scale) return v * columnar::Pow10(to_scale - from_scale);
  return DivideHalfUp(v, columnar::Pow10(from_scale - to_scale));
}

Int128 DivideHalfUp(Int128 a, Int128 b) {
  if (b == 0) return 0;
  Int128 q = a / b;
  Int128 r = a % b;
  Int128 twice = (r < 0 ? -r : r) * 2;
  Int128 abs_b = b < 0 ? -b : b;
  if (twice >= abs_b) q += ((a < 0) != (b < 0)) ? -1 : 1;
  return q;
}

namespace {

// Two's-complement wrap on overflow, as Java's long arithmetic (no UB).
template <typename T>
T WrapAdd(T a, T b) {
  if constexpr (std::is_same_v<T, int64_t>) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  } else if constexpr (std::is_same_v<T, Int128>) {
    using U = unsigned __int128;
    return static_cast<Int128>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

template <typename T>
T WrapSub(T a, T b) {
  if constexpr (std::is_same_v<T, int64_t>) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  } else if constexpr (std::is_same_v<T, Int128>) {
    using U = unsigned __int128;
    return static_cast<Int128>(static_cast<U>(a) - static_cast<U>(b));
  } else {
    return a - b;
  }
}

// Sum of `In` values (the argument's physical type) kept as `Acc`, with the
// number of non-NULL values; SUM or AVG on output.
template <typename In, typename Acc>
class SumAccumulators final : public Accumulators {
 public:
  SumAccumulators(DataType arg, DataType result, bool average)
      : arg_scale_(arg.id() == TypeId::kDecimal ? arg.scale() : 0), result_(std::move(result)),
        average_(average) {}

  void Resize(uint32_t groups) override {
    if (sums_.size() < groups) {
      sums_.resize(groups, Acc{});
      counts_.resize(groups, 0);
    }
  }
  void Clear(uint32_t gid) override {
    sums_[gid] = Acc{};
    counts_[gid] = 0;
  }
  void Update(const AggRows& in) override {
    const std::vector<In>& values = in.arg->values<In>();
    bool nulls = in.arg->has_nulls();
    for (size_t i = 0; i < in.count; ++i) {
      uint32_t r = in.rows[i];
      if (nulls && in.arg->IsNull(r)) continue;
      uint32_t g = in.gids[i];
      Acc v = static_cast<Acc>(values[r]);
      if (in.sign(i) > 0) {
        sums_[g] = WrapAdd(sums_[g], v);
        ++counts_[g];
      } else {
        sums_[g] = WrapSub(sums_[g], v);
        --counts_[g];
      }
    }
  }
  void Merge(uint32_t into, uint32_t from) override {
    sums_[into] = WrapAdd(sums_[into], sums_[from]);
    counts_[into] += counts_[from];
    Clear(from);
  }
  void AppendResult(uint32_t gid, Column* out) const override {
    if (counts_[gid] <= 0) return out->AppendNull();
    Acc v = sums_[gid];
    if (average_) return AppendAverage(v, counts_[gid], out);
    AppendSum(v, out);
  }
  void Save(uint32_t gid, StateWriter* w) const override {
    if constexpr (std::is_same_v<Acc, double>) {
      w->F64(sums_[gid]);
    } else if constexpr (std::is_same_v<Acc, Int128>) {
      w->I128(sums_[gid]);
    } else {
      w->I64(sums_[gid]);
    }
    w->I64(counts_[gid]);
  }
  Status Load(uint32_t gid, StateReader* r) override {
    if constexpr (std::is_same_v<Acc, double>) {
      RETURN_IF_ERROR(r->F64(&sums_[gid]));
    } else if constexpr (std::is_same_v<Acc, Int128>) {
      RETURN_IF_ERROR(r->I128(&sums_[gid]));
    } else {
      RETURN_IF_ERROR(r->I64(&sums_[gid]));
    }
    return r->I64(&counts_[gid]);
  }

 private:
  void AppendSum(Acc v, Column* out) const {
    switch (result_.id()) {
      case TypeId::kInt32: return out->Append<int32_t>(static_cast<int32_t>(v));
      case TypeId::kDouble: return out->Append<double>(ToDouble(v));
      case TypeId::kDecimal:
        return out->Append<Int128>(RescaleDecimal(static_cast<Int128>(v), arg_scale_,
                                                  result_.scale()));
      default: return out->Append<int64_t>(static_cast<int64_t>(v));
    }
  }
  void AppendAverage(Acc v, int64_t n, Column* out) const {
    switch (result_.id()) {
      case TypeId::kDouble: return out->Append<double>(ToDouble(v) / static_cast<double>(n));
      case TypeId::kDecimal: {
        Int128 scaled = RescaleDecimal(static_cast<Int128>(v), arg_scale_, result_.scale() + 6);
        Int128 q = DivideHalfUp(scaled, n);
        return out->Append<Int128>(RescaleDecimal(q, result_.scale() + 6, result_.scale()));
      }
      case TypeId::kInt32:
        return out->Append<int32_t>(static_cast<int32_t>(IntegralAverage(v, n)));
      default: return out->Append<int64_t>(static_cast<int64_t>(IntegralAverage(v, n)));
    }
  }
  Acc IntegralAverage(Acc v, int64_t n) const {
    if constexpr (std::is_same_v<Acc, double>) {
      return v / static_cast<double>(n);
    } else if constexpr (std::is_same_v<Acc, Int128>) {
      return RescaleDecimal(v, arg_scale_, 0) / n;
    } else {
      return v / n;
    }
  }
  double ToDouble(Acc v) const {
    if constexpr (std::is_same_v<Acc, Int128>) {
      return static_cast<double>(v) / static_cast<double>(columnar::Pow10(arg_scale_));
    } else {
      return static_cast<double>(v);
    }
  }

  int arg_scale_;
  DataType result_;
  bool average_;
  std::vector<Acc> sums_;
  std::vector<int64_t> counts_;
};

}  // namespace

std::unique_ptr<Accumulators> MakeSumAccumulators(const DataType& arg, const DataType& result,
                                                  bool average) {
  switch (arg.id()) {
    case TypeId::kInt32:
      return std::make_unique<SumAccumulators<int32_t, int64_t>>(arg, result, average);
    case TypeId::kDouble:
      return std::make_unique<SumAccumulators<double, double>>(arg, result, average);
    case TypeId::kDecimal:
      return std::make_unique<SumAccumulators<Int128, Int128>>(arg, result, average);
    default:
      return std::make_unique<SumAccumulators<int64_t, int64_t>>(arg, result, average);
  }
}

}  // namespace kappa::engine
