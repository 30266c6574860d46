#include "engine/expr/kernel.h"

#include "fmt/format.h"

namespace kappa::engine {

RowSet BatchRows(const columnar::Batch& batch) {
  if (batch.selection) return RowSet::Of(*batch.selection);
  return RowSet::All(batch.num_rows);
}

Result<ColumnPtr> Kernel::Eval(const columnar::Batch& batch) const {
  ASSIGN_OR_RETURN(Datum d, Evaluate(batch, BatchRows(batch)));
  return Materialize(d, type(), batch.num_rows);
}

Result<std::vector<uint32_t>> Kernel::Select(const columnar::Batch& batch, RowSet rows) const {
  ASSIGN_OR_RETURN(Datum d, Evaluate(batch, rows));
  return SelectTrue(d, rows);
}

LiteralKernel::LiteralKernel(Value v) : Kernel(v.type()), value_(std::move(v)) {}

KernelPtr MakeLiteral(Value v) { return std::make_unique<LiteralKernel>(std::move(v)); }

bool AllConstant(const std::vector<KernelPtr>& args) {
  for (const KernelPtr& a : args) {
    if (a->constant() == nullptr) return false;
  }
  return true;
}

KernelPtr FoldConstant(KernelPtr k) {
  if (!k->deterministic() || k->constant() != nullptr) return k;
  columnar::Batch one;
  one.num_rows = 1;
  Result<Datum> d = k->Evaluate(one, RowSet::All(1));
  if (!d.ok()) return k;
  Value v = d->is_constant() ? d->scalar : d->column->Get(0);
  auto lit = MakeLiteral(Value(k->type(), v.payload()));
  lit->set_text(k->text());
  return lit;
}

bool IsFixedWidth(TypeId id) {
  return id != TypeId::kString && id != TypeId::kRow && id != TypeId::kNull;
}

ColumnPtr Materialize(const Datum& d, const DataType& type, size_t n) {
  if (!d.is_constant()) return d.column;
  if (d.scalar.is_null()) {
    auto c = std::make_shared<Column>(type);
    c->Reserve(n);
    for (size_t i = 0; i < n; ++i) c->AppendNull();
    return c;
  }
  if (!IsFixedWidth(type.id())) return Column::Constant(Value(type, d.scalar.payload()), n);
  return DispatchFixed(type.id(), [&](auto tag) -> ColumnPtr {
    using T = decltype(tag);
    auto c = NewColumn<T>(type, n);
    std::fill(c->template mutable_values<T>().begin(), c->template mutable_values<T>().end(),
              ScalarAs<T>(d.scalar));
    return c;
  });
}

std::vector<uint8_t> UnionNulls(std::initializer_list<const Datum*> args, size_t n) {
  std::vector<uint8_t> out;
  for (const Datum* d : args) {
    const uint8_t* nulls = d->nulls();
    if (nulls == nullptr) continue;
    if (out.empty()) {
      out.assign(nulls, nulls + n);
    } else {
      for (size_t i = 0; i < n; ++i) out[i] |= nulls[i];
    }
  }
  return out;
}

void SetNulls(Column& c, std::vector<uint8_t> nulls) {
  if (nulls.empty()) return;
  c.mutable_nulls().swap(nulls);
}

StringBuilder::StringBuilder(const DataType& type, size_t n)
    : column_(std::make_shared<Column>(type)), n_(n) {
  column_->Reserve(n);
}

ColumnPtr StringBuilder::Finish() {
  Skip(static_cast<uint32_t>(n_));
  return column_;
}

std::vector<uint32_t> SelectTrue(const Datum& d, RowSet rows) {
  std::vector<uint32_t> out;
  if (d.is_constant()) {
    if (!d.scalar.is_null() && d.scalar.boolean()) {
      if (rows.dense()) {
        out.resize(rows.size);
        for (uint32_t i = 0; i < rows.size; ++i) out[i] = i;
      } else {
        out.assign(rows.sel, rows.sel + rows.size);
      }
    }
    return out;
  }
  out.resize(rows.size);
  const uint8_t* v = d.column->values<uint8_t>().data();
  const uint8_t* nulls = d.nulls();
  size_t k = 0;
  if (nulls == nullptr) {
    ForEachRow(rows, [&](uint32_t i) {
      out[k] = i;
      k += v[i];
    });
  } else {
    ForEachRow(rows, [&](uint32_t i) {
      out[k] = i;
      k += v[i] & (nulls[i] ^ 1);
    });
  }
  out.resize(k);
  return out;
}

std::vector<uint32_t> Difference(RowSet rows, const std::vector<uint32_t>& taken) {
  std::vector<uint32_t> out;
  out.reserve(rows.size - taken.size());
  size_t t = 0;
  ForEachRow(rows, [&](uint32_t i) {
    if (t < taken.size() && taken[t] == i) {
      ++t;
    } else {
      out.push_back(i);
    }
  });
  return out;
}

Status Unsupported(const sql::Expr& expr) {
  std::string args;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    if (i > 0) args += ", ";
    args += expr.args[i]->type.ToString();
  }
  return Unimplemented("unsupported function {}({})", expr.function, args);
}

}  // namespace kappa::engine
