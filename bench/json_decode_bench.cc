// Decoding ~100-byte JSON payment events (issue 4's `payments` table: id,
// user_id, amount DECIMAL(18, 2), currency, ts TIMESTAMP(3)) into columns:
// the value decoder alone, and the replay path from stored record batches
// (uncompressed and lz4) through RecordDecoder. Reports events/s
// (items_per_second) on one core. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "format/json_column_decoder.h"
#include "format/record_decoder.h"
#include "format/row_encoder.h"
#include "log/record_batch.h"

namespace kappa::format {
namespace {

using columnar::DataType;

columnar::Schema Payments() {
  return columnar::Schema({{"id", DataType::Int64()},
                           {"user_id", DataType::Int64()},
                           {"amount", DataType::Decimal(18, 2)},
                           {"currency", DataType::String()},
                           {"ts", DataType::Timestamp()}});
}

std::vector<std::string> MakeEvents(size_t n) {
  static const char* kCurrencies[] = {"EUR", "USD", "GBP", "JPY", "CHF"};
  std::mt19937_64 rng(42);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t ms = 1704067200000 + static_cast<int64_t>(i) * 7;
    int64_t sec = ms / 1000;
    out.push_back(fmt::format(
        R"({{"id":{},"user_id":{},"amount":{}.{:02},"currency":"{}","ts":"2024-01-01 {:02}:{:02}:{:02}.{:03}"}})",
        1000000 + i, rng() % 1000000, rng() % 10000, rng() % 100, kCurrencies[rng() % 5],
        sec / 3600 % 24, sec / 60 % 60, sec % 60, ms % 1000));
  }
  return out;
}

// All events in one buffer, each followed by the next (the last by padding),
// as record values sit in a stored batch.
struct PackedEvents {
  std::string buf;
  std::vector<std::string_view> views;
};

PackedEvents Pack(const std::vector<std::string>& events) {
  PackedEvents p;
  for (const std::string& e : events) p.buf += e;
  p.buf.append(kValuePadding, ' ');
  size_t pos = 0;
  for (const std::string& e : events) {
    p.views.emplace_back(p.buf.data() + pos, e.size());
    pos += e.size();
  }
  return p;
}

void BM_JsonColumnDecoder(benchmark::State& state) {
  std::vector<std::string> events = MakeEvents(100000);
  PackedEvents packed = Pack(events);
  auto decoder = *JsonColumnDecoder::Create(Payments());
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    std::string_view v = packed.views[i];
    if (!decoder->Decode(v, /*padded=*/true).ok()) state.SkipWithError("decode failed");
    bytes += v.size();
    if (++i == packed.views.size()) i = 0;
    if (decoder->rows() == columnar::kBatchRows) benchmark::DoNotOptimize(decoder->Finish());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_JsonColumnDecoder);

// Stored batches of ~1 MiB (Kafka producers' usual batch.size is smaller;
// kappa ingest writes ~1 MiB).
std::string StoredBatches(const std::vector<std::string>& events, log::Compression c) {
  std::string out;
  log::BatchBuilder b(c);
  int64_t offset = 0, base = 0;
  auto flush = [&] {
    auto batch = b.Finish();
    log::SetBaseOffset(reinterpret_cast<uint8_t*>(batch->data()), base);
    out += *batch;
    base = offset;
  };
  for (const std::string& e : events) {
    b.Add(std::nullopt, e, 1704067200000 + offset);
    ++offset;
    if (b.records_bytes() >= (1 << 20)) flush();
  }
  if (!b.empty()) flush();
  return out;
}

void BM_RecordDecoder(benchmark::State& state) {
  auto c = static_cast<log::Compression>(state.range(0));
  std::vector<std::string> events = MakeEvents(200000);
  std::string stored = StoredBatches(events, c);
  auto decoder = *JsonColumnDecoder::Create(Payments());
  RecordDecoder rd(decoder.get(), {.metadata = {RecordMetadata::kTimestamp}});
  DecodedBatch out;
  int64_t rows = 0;
  for (auto _ : state) {
    rd.Reset(AsBytes(stored), 0);
    while (!rd.AtEnd()) {
      if (!rd.Next(&out).ok() || !out.malformed.empty()) state.SkipWithError("decode failed");
      rows += static_cast<int64_t>(out.batch.num_rows);
    }
  }
  state.SetItemsProcessed(rows);
  state.SetLabel(std::string(log::CompressionName(c)));
}
BENCHMARK(BM_RecordDecoder)
    ->Arg(static_cast<int>(log::Compression::kNone))
    ->Arg(static_cast<int>(log::Compression::kLz4))
    ->Unit(benchmark::kMillisecond);

void BM_JsonRowEncoder(benchmark::State& state) {
  std::vector<std::string> events = MakeEvents(columnar::kBatchRows);
  auto decoder = *JsonColumnDecoder::Create(Payments());
  for (const std::string& e : events) (void)decoder->Decode(e);
  columnar::Batch batch;
  batch.num_rows = decoder->rows();
  batch.columns = decoder->Finish();
  JsonRowEncoder encoder(Payments());
  std::string buf;
  std::vector<size_t> ends;
  for (auto _ : state) {
    buf.clear();
    ends.clear();
    encoder.EncodeBatch(batch, &buf, &ends);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch.num_rows));
}
BENCHMARK(BM_JsonRowEncoder);

}  // namespace
}  // namespace kappa::format

BENCHMARK_MAIN();
