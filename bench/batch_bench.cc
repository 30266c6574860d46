// kappa_batch_bench: single-thread throughput of the record-batch hot paths
// that `kappa ingest` and every consumer run: BatchBuilder (encode + CRC,
// optionally compress), ValidateBatch (CRC) and DecodeRecords. No disk.
//
//   kappa_batch_bench [--seconds=0.5]
//
// Prints one row per case: records/s and MB/s of uncompressed record bytes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "log/record_batch.h"

namespace kappa::log {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// JSON-ish rows of `size` bytes, varied enough that codecs do real work.
std::vector<std::string> MakeValues(size_t size, int n) {
  std::vector<std::string> vs;
  for (int i = 0; i < n; ++i) {
    std::string v = fmt::format("{{\"id\":{},\"user\":\"u{}\",\"amount\":{}.{:02},\"note\":\"", i,
                                i * 7919 % 100003, i % 997, i % 100);
    while (v.size() < size) v += static_cast<char>('a' + (i * 31 + v.size() * 17) % 26);
    v.resize(size);
    vs.push_back(std::move(v));
  }
  return vs;
}

struct Row {
  std::string name;
  double records_per_s;
  double mb_per_s;
  double ratio;  // batch bytes / raw record bytes
};

constexpr size_t kBatchBytes = size_t{1} << 20;

// Encodes 1 MiB batches of `values` for about `seconds`.
Row Encode(Compression c, const std::vector<std::string>& values, double seconds) {
  BatchBuilder b(c);
  int64_t records = 0, raw = 0, out = 0;
  auto t0 = Clock::now();
  int64_t ts = 1700000000000;
  while (SecondsSince(t0) < seconds) {
    for (size_t i = 0; b.records_bytes() < kBatchBytes; i = (i + 1) % values.size()) {
      b.Add(std::nullopt, values[i], ts++);
      raw += static_cast<int64_t>(values[i].size());
      ++records;
    }
    Result<std::string> batch = b.Finish();
    if (!batch.ok()) std::abort();
    out += static_cast<int64_t>(batch->size());
  }
  double s = SecondsSince(t0);
  return {fmt::format("encode {} B {}", values[0].size(), CompressionName(c)), records / s,
          raw / s / 1e6, static_cast<double>(out) / static_cast<double>(raw)};
}

std::string OneBatch(Compression c, const std::vector<std::string>& values) {
  BatchBuilder b(c);
  for (size_t i = 0; b.records_bytes() < kBatchBytes; i = (i + 1) % values.size()) {
    b.Add(std::nullopt, values[i], 1700000000000 + static_cast<int64_t>(i));
  }
  return *b.Finish();
}

// Validates (CRC) and decodes the same batch for about `seconds`.
Row Decode(Compression c, const std::vector<std::string>& values, double seconds) {
  std::string batch = OneBatch(c, values);
  std::string scratch;
  std::vector<Record> records;
  int64_t n = 0, raw = 0;
  auto t0 = Clock::now();
  while (SecondsSince(t0) < seconds) {
    ByteSpan span = AsBytes(batch);
    if (!ValidateBatch(span).ok() || !DecodeRecords(span, &scratch, &records).ok()) std::abort();
    n += static_cast<int64_t>(records.size());
    for (const Record& r : records) raw += static_cast<int64_t>(r.value->size());
  }
  double s = SecondsSince(t0);
  return {fmt::format("validate+decode {} B {}", values[0].size(), CompressionName(c)), n / s,
          raw / s / 1e6, 0};
}

Row Validate(const std::vector<std::string>& values, double seconds) {
  std::string batch = OneBatch(Compression::kNone, values);
  int64_t bytes = 0;
  auto t0 = Clock::now();
  while (SecondsSince(t0) < seconds) {
    if (!ValidateBatch(AsBytes(batch)).ok()) std::abort();
    bytes += static_cast<int64_t>(batch.size());
  }
  double s = SecondsSince(t0);
  return {"validate (CRC-32C) 1 MiB batch", 0, bytes / s / 1e6, 0};
}

void Print(const std::vector<Row>& rows) {
  std::printf("%-34s %14s %10s %7s\n", "case (1 MiB batches, 1 thread)", "records/s", "MB/s",
              "ratio");
  for (const Row& r : rows) {
    std::string rps = r.records_per_s > 0 ? fmt::format("{:.0f}", r.records_per_s) : "-";
    std::string ratio = r.ratio > 0 ? fmt::format("{:.2f}", r.ratio) : "-";
    std::printf("%-34s %14s %10.0f %7s\n", r.name.c_str(), rps.c_str(), r.mb_per_s,
                ratio.c_str());
  }
}

int Main(int argc, char** argv) {
  double seconds = 0.5;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--seconds=", 10) == 0) {
      seconds = std::atof(argv[i] + 10);
    } else {
      std::fprintf(stderr, "usage: kappa_batch_bench [--seconds=0.5]\n");
      return 2;
    }
  }
  std::vector<std::string> small = MakeValues(100, 4096), large = MakeValues(1024, 1024);
  std::vector<Row> rows;
  rows.push_back(Encode(Compression::kNone, small, seconds));
  rows.push_back(Encode(Compression::kNone, large, seconds));
  for (Compression c : {Compression::kGzip, Compression::kSnappy, Compression::kLz4,
                        Compression::kZstd}) {
    rows.push_back(Encode(c, small, seconds));
  }
  rows.push_back(Validate(large, seconds));
  rows.push_back(Decode(Compression::kNone, small, seconds));
  rows.push_back(Decode(Compression::kNone, large, seconds));
  rows.push_back(Decode(Compression::kLz4, small, seconds));
  rows.push_back(Decode(Compression::kZstd, small, seconds));
  Print(rows);
  return 0;
}

}  // namespace
}  // namespace kappa::log

int main(int argc, char** argv) { return kappa::log::Main(argc, argv); }
