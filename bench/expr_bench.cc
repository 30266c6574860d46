// Expression evaluator throughput (engine/expr) over 4096-row batches of
// payments (amount DECIMAL(18, 2), currency STRING, qty INT): the filter
// `amount > 100 AND currency = 'EUR'`, decimal projections summed as a SUM
// would, and a hand-written loop as the floor to compare against. Rows/s are
// reported as items_per_second. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <random>

#include "columnar/batch.h"
#include "engine/expr/evaluator.h"
#include "sql/plan.h"

namespace {

using kappa::columnar::Batch;
using kappa::columnar::Column;
using kappa::columnar::DataType;
using kappa::columnar::Int128;
using kappa::columnar::Value;
namespace sql = kappa::sql;

const DataType kAmount = DataType::Decimal(18, 2);

Batch Payments(size_t rows) {
  std::mt19937_64 rng(42);
  auto amount = std::make_shared<Column>(kAmount);
  auto currency = std::make_shared<Column>(DataType::String());
  auto qty = std::make_shared<Column>(DataType::Int32());
  const char* kCurrencies[] = {"EUR", "USD", "GBP", "JPY"};
  for (size_t i = 0; i < rows; ++i) {
    amount->Append<Int128>(static_cast<Int128>(rng() % 20000));  // 0.00 .. 199.99
    currency->AppendString(kCurrencies[rng() % 4]);
    qty->Append<int32_t>(static_cast<int32_t>(1 + rng() % 10));
  }
  Batch b;
  b.columns = {amount, currency, qty};
  b.num_rows = rows;
  return b;
}

sql::ExprPtr Amount() { return sql::ColumnRef(0, kAmount, "amount"); }
sql::ExprPtr Currency() { return sql::ColumnRef(1, DataType::String(), "currency"); }
sql::ExprPtr Qty() { return sql::ColumnRef(2, DataType::Int32(), "qty"); }

std::unique_ptr<kappa::engine::CompiledExpr> Compile(const sql::ExprPtr& e) {
  auto r = kappa::engine::CompiledExpr::Compile(e);
  if (!r.ok()) {
    fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::abort();
  }
  return std::move(*r);
}

sql::ExprPtr AmountAndCurrency() {
  auto gt = sql::Call(">", {Amount(), sql::Literal(Value::Int32(100))}, DataType::Boolean(), "amount > 100");
  auto eq = sql::Call("=", {Currency(), sql::Literal(Value::String("EUR"))}, DataType::Boolean(), "currency = 'EUR'");
  return sql::Call("AND", {gt, eq}, DataType::Boolean(), "amount > 100 AND currency = 'EUR'");
}

void Filter(benchmark::State& state, const sql::ExprPtr& predicate) {
  Batch b = Payments(kappa::columnar::kBatchRows);
  auto compiled = Compile(predicate);
  size_t kept = 0;
  for (auto _ : state) {
    auto sel = kappa::engine::EvalFilter(*compiled, b);
    kept = sel->size();
    benchmark::DoNotOptimize(kept);
  }
  state.counters["kept"] = static_cast<double>(kept);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.num_rows));
}

void BM_FilterAmountAndCurrency(benchmark::State& state) { Filter(state, AmountAndCurrency()); }
BENCHMARK(BM_FilterAmountAndCurrency);

void BM_FilterAmountOnly(benchmark::State& state) {
  Filter(state, sql::Call(">", {Amount(), sql::Literal(Value::Int32(100))}, DataType::Boolean()));
}
BENCHMARK(BM_FilterAmountOnly);

// The same filter as a hand-written loop over the raw vectors: the floor.
void BM_FilterHandWritten(benchmark::State& state) {
  Batch b = Payments(kappa::columnar::kBatchRows);
  const Int128* amount = b.columns[0]->values<Int128>().data();
  const Column& currency = *b.columns[1];
  std::vector<uint32_t> sel(b.num_rows);
  for (auto _ : state) {
    size_t k = 0;
    for (uint32_t i = 0; i < b.num_rows; ++i) {
      sel[k] = i;
      k += amount[i] > 10000 && currency.GetString(i) == "EUR";
    }
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.num_rows));
}
BENCHMARK(BM_FilterHandWritten);

// A projection then a SUM over its Int128 values, as a SUM(expr) would do.
void ProjectSum(benchmark::State& state, const sql::ExprPtr& expr, bool half_selected) {
  Batch b = Payments(kappa::columnar::kBatchRows);
  if (half_selected) {
    std::vector<uint32_t> sel;
    for (uint32_t i = 0; i < b.num_rows; i += 2) sel.push_back(i);
    b.selection = std::move(sel);
  }
  auto compiled = Compile(expr);
  for (auto _ : state) {
    auto col = compiled->Eval(b);
    const Int128* v = (*col)->values<Int128>().data();
    Int128 sum = 0;
    for (size_t i = 0; i < b.active_rows(); ++i) sum += v[b.row(i)];
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.active_rows()));
}

sql::ExprPtr AmountTimesRate() {
  auto rate = sql::Literal(Value::Decimal(119, 3, 2));  // 1.19
  return sql::Call("*", {Amount(), rate}, DataType::Decimal(21, 4), "amount * 1.19");
}

void BM_ProjectDecimalTimesLiteralSum(benchmark::State& state) { ProjectSum(state, AmountTimesRate(), false); }
BENCHMARK(BM_ProjectDecimalTimesLiteralSum);

void BM_ProjectDecimalTimesIntSum(benchmark::State& state) {
  ProjectSum(state, sql::Call("*", {Amount(), Qty()}, DataType::Decimal(29, 2), "amount * qty"), false);
}
BENCHMARK(BM_ProjectDecimalTimesIntSum);

void BM_ProjectDecimalPlusLiteralSum(benchmark::State& state) {
  auto fee = sql::Literal(Value::Decimal(25, 3, 2));  // 0.25
  ProjectSum(state, sql::Call("+", {Amount(), fee}, DataType::Decimal(19, 2), "amount + 0.25"), false);
}
BENCHMARK(BM_ProjectDecimalPlusLiteralSum);

void BM_ProjectDecimalTimesLiteralHalfSelected(benchmark::State& state) {
  ProjectSum(state, AmountTimesRate(), true);
}
BENCHMARK(BM_ProjectDecimalTimesLiteralHalfSelected);

// Decimal division (HALF_UP, Int128 division per row).
void BM_ProjectDecimalDivideSum(benchmark::State& state) {
  ProjectSum(state, sql::Call("/", {Amount(), Qty()}, DataType::Decimal(29, 13), "amount / qty"), false);
}
BENCHMARK(BM_ProjectDecimalDivideSum);

}  // namespace

BENCHMARK_MAIN();
