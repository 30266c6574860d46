#include "engine/ops/row_order.h"

#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <variant>

namespace kappa::engine {

using columnar::Column;
using columnar::TypeId;

namespace {

template <typename T>
int Three(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareDoubles(double a, double b) {
  bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  return Three(a, b);  // -0.0 == 0.0
}

// NULL-aware comparison for ROW fields and the tie-break: NULLs first.
int CompareNullable(const Column& a, uint32_t i, const Column& b, uint32_t j, bool nulls_first) {
  bool an = a.IsNull(i), bn = b.IsNull(j);
  if (an || bn) {
    if (an == bn) return 0;
    return an == nulls_first ? -1 : 1;
  }
  return CompareCells(a, i, b, j);
}

}  // namespace

int CompareCells(const Column& a, uint32_t i, const Column& b, uint32_t j) {
  switch (a.type().id()) {
    case TypeId::kNull: return 0;
    case TypeId::kBoolean: return Three(a.values<uint8_t>()[i], b.values<uint8_t>()[j]);
    case TypeId::kInt32:
    case TypeId::kDate: return Three(a.values<int32_t>()[i], b.values<int32_t>()[j]);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return Three(a.values<int64_t>()[i], b.values<int64_t>()[j]);
    case TypeId::kDouble: return CompareDoubles(a.values<double>()[i], b.values<double>()[j]);
    case TypeId::kDecimal:
      return Three(a.values<columnar::Int128>()[i], b.values<columnar::Int128>()[j]);
    case TypeId::kString: {
      int c = a.GetString(i).compare(b.GetString(j));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeId::kRow: {
      const auto& ac = a.children();
      const auto& bc = b.children();
      for (size_t f = 0; f < ac.size(); ++f) {
        int c = CompareNullable(*ac[f], i, *bc[f], j, true);
        if (c != 0) return c;
      }
      return 0;
    }
  }
  return 0;
}

int CompareValues(const columnar::Value& a, const columnar::Value& b) {
  return std::visit(
      [&](const auto& x) -> int {
        using V = std::decay_t<decltype(x)>;
        const auto* y = std::get_if<V>(&b.payload());
        if (y == nullptr) return Three(a.payload().index(), b.payload().index());
        if constexpr (std::is_same_v<V, std::monostate>) {
          return 0;
        } else if constexpr (std::is_same_v<V, double>) {
          return CompareDoubles(x, *y);
        } else if constexpr (std::is_same_v<V, std::string>) {
          int c = x.compare(*y);
          return c < 0 ? -1 : (c > 0 ? 1 : 0);
        } else if constexpr (std::is_same_v<V, std::vector<columnar::Value>>) {
          for (size_t f = 0; f < x.size() && f < y->size(); ++f) {
            int c = CompareKeyValues(x[f], (*y)[f], true, true);
            if (c != 0) return c;
          }
          return Three(x.size(), y->size());
        } else {
          return Three(x, *y);
        }
      },
      a.payload());
}

int CompareKeyValues(const columnar::Value& a, const columnar::Value& b, bool ascending,
                     bool nulls_first) {
  if (a.is_null() || b.is_null()) {
    if (a.is_null() == b.is_null()) return 0;
    return a.is_null() == nulls_first ? -1 : 1;
  }
  int c = CompareValues(a, b);
  return ascending ? c : -c;
}

int RowOrder::Compare(const columnar::Batch& a, uint32_t i, const columnar::Batch& b,
                      uint32_t j) const {
  for (const OrderKey& k : keys_) {
    const Column& ca = *a.columns[k.column];
    const Column& cb = *b.columns[k.column];
    bool an = ca.IsNull(i), bn = cb.IsNull(j);
    int c;
    if (an || bn) {
      if (an == bn) continue;
      c = an == k.nulls_first ? -1 : 1;  // NULL placement ignores the direction
    } else {
      c = CompareCells(ca, i, cb, j);
      if (!k.ascending) c = -c;
    }
    if (c != 0) return c;
  }
  return 0;
}

namespace {

constexpr uint64_t kSign = uint64_t{1} << 63;

// Order-preserving (not necessarily one-to-one) image of a non-NULL cell.
uint64_t AscendingPrefix(const Column& c, uint32_t i) {
  switch (c.type().id()) {
    case TypeId::kBoolean: return c.values<uint8_t>()[i];
    case TypeId::kInt32:
    case TypeId::kDate: return static_cast<uint64_t>(int64_t{c.values<int32_t>()[i]}) ^ kSign;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval: return static_cast<uint64_t>(c.values<int64_t>()[i]) ^ kSign;
    case TypeId::kDouble: {
      double d = c.values<double>()[i];
      if (std::isnan(d)) return UINT64_MAX;
      if (d == 0) d = 0.0;  // -0.0 == 0.0
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return (bits & kSign) != 0 ? ~bits : bits | kSign;
    }
    case TypeId::kDecimal: {
      columnar::Int128 v = c.values<columnar::Int128>()[i];
      return static_cast<uint64_t>(static_cast<int64_t>(v >> 64)) ^ kSign;
    }
    case TypeId::kString: {
      std::string_view v = c.GetString(i);
      uint64_t out = 0;
      for (size_t b = 0; b < 8; ++b) {
        out = (out << 8) | (b < v.size() ? static_cast<uint8_t>(v[b]) : 0);
      }
      return out;
    }
    case TypeId::kNull:
    case TypeId::kRow: return 0;
  }
  return 0;
}

}  // namespace

uint64_t RowOrder::Prefix(const columnar::Batch& batch, uint32_t i) const {
  if (keys_.empty()) return 0;
  const OrderKey& k = keys_[0];
  const Column& c = *batch.columns[k.column];
  if (c.IsNull(i)) return k.nulls_first ? 0 : UINT64_MAX;
  uint64_t u = AscendingPrefix(c, i);
  return k.ascending ? u : ~u;
}

Result<SortColumns> SortColumns::Make(const std::vector<sql::SortKey>& keys,
                                      const columnar::Schema& input, bool tie_break) {
  SortColumns out;
  std::vector<OrderKey> order;
  int next = static_cast<int>(input.size());
  for (const sql::SortKey& k : keys) {
    if (k.expr == nullptr) return Internal("sort key without an expression");
    ASSIGN_OR_RETURN(BoundExpr e, BoundExpr::Bind(k.expr));
    int column = e.column();
    if (column >= static_cast<int>(input.size())) return Internal("sort key column out of range");
    if (column < 0) {
      column = next++;
      out.computed_.push_back(std::move(e));
    }
    order.push_back({column, k.ascending, k.nulls_first});
  }
  if (tie_break && !order.empty()) {
    for (size_t c = 0; c < input.size(); ++c) order.push_back({static_cast<int>(c), true, true});
  }
  out.order_ = RowOrder(std::move(order));
  return out;
}

Result<columnar::Batch> SortColumns::Extend(columnar::Batch dense) const {
  for (const BoundExpr& e : computed_) {
    ASSIGN_OR_RETURN(columnar::ColumnPtr c, e.Eval(dense));
    dense.columns.push_back(std::move(c));
  }
  return dense;
}

}  // namespace kappa::engine
