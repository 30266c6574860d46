// kappa_log_bench: what the log's storage path achieves against what the
// machine allows, in one run on a scratch directory.
//
//   (a) disk bound: sequential write() of the append test's byte count in
//       chunks of the append test's batch size, with fdatasync as group
//       commit does it (a second thread every flush interval, then once at
//       the end) and with a single fdatasync at the end; the better of the
//       two is the bound. Bound and append runs alternate, --repeat times,
//       and medians are reported: a virtual disk drifts;
//   (b) append: Partition::Append of prebuilt batches (1 KiB and 100 B
//       records, 1 MiB and 16 KiB batches) under group commit, then
//       WaitDurable for the last offset; MB/s, records/s, % of the bound;
//   (c) sequential read of a --read-gib topic from offset 0 through
//       Partition::Read + FileSlice::AppendTo, warmed once, then timed;
//   (d) RSS after each phase (peak: ru_maxrss; now: /proc/self/statm).
//
//   kappa_log_bench [--dir=/tmp/kappa-bench] [--append-mib=1024]
//                   [--read-gib=2] [--repeat=3] [--flush-ms=5] [--keep]
//
// The directory is wiped at start and removed at the end unless --keep.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "base/file.h"
#include "log/log.h"
#include "log/record_batch.h"

namespace kappa::log {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Options {
  std::string dir = "/tmp/kappa-bench";
  size_t append_bytes = size_t{1024} << 20;
  size_t read_bytes = size_t{2} << 30;
  int flush_ms = 5;
  int repeat = 3;
  bool keep = false;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void Die(const Status& st, std::string_view what) {
  std::fprintf(stderr, "kappa_log_bench: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               st.ToString().c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, std::string_view what) {
  if (!r.ok()) Die(r.status(), what);
  return std::move(*r);
}

// ---- (d) memory ----

double PeakRssMib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

// User + system CPU seconds of the whole process so far (all threads).
double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

double CurrentRssMib() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

struct RssRow {
  std::string phase;
  double now_mib;
  double peak_mib;
};
std::vector<RssRow> g_rss;

void NoteRss(std::string phase) { g_rss.push_back({std::move(phase), CurrentRssMib(), PeakRssMib()}); }

// ---- (a) disk bound ----

// Writes `total` bytes in `chunk`-sized write() calls; with a flusher thread
// calling fdatasync every flush_ms when `periodic`; fdatasync at the end.
double DiskWriteMbps(const Options& o, size_t chunk, size_t total, bool periodic) {
  std::string path = o.dir + "/disk-bound.dat";
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) Die(ErrnoError("open", path, errno), "disk bound");
  std::string buf(chunk, '\0');
  for (size_t i = 0; i < chunk; ++i) buf[i] = static_cast<char>(i * 131 + 7);
  std::atomic<bool> done{false};
  auto t0 = Clock::now();
  std::thread flusher([&] {
    while (periodic && !done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(o.flush_ms));
      ::fdatasync(fd);
    }
  });
  for (size_t written = 0; written < total; written += chunk) {
    if (::write(fd, buf.data(), chunk) != static_cast<ssize_t>(chunk)) {
      Die(ErrnoError("write", path, errno), "disk bound");
    }
  }
  done = true;
  flusher.join();
  if (::fdatasync(fd) != 0) Die(ErrnoError("fdatasync", path, errno), "disk bound");
  double s = SecondsSince(t0);
  ::close(fd);
  ::unlink(path.c_str());
  return static_cast<double>(total) / s / 1e6;
}

// Medians over the repetitions.
struct Bound {
  double periodic_mbps;
  double final_sync_mbps;
  double best() const { return std::max(periodic_mbps, final_sync_mbps); }
};

// ---- (b) append ----

// `n` distinct batches of about `batch_bytes` of `record_size`-byte values.
std::vector<std::string> MakeBatches(size_t record_size, size_t batch_bytes, int n) {
  std::vector<std::string> batches;
  int64_t id = 0;
  for (int b = 0; b < n; ++b) {
    BatchBuilder builder;
    std::string v;
    while (builder.records_bytes() + record_size + 8 <= batch_bytes || builder.empty()) {
      v = fmt::format("{{\"id\":{},\"pad\":\"", id);
      v.resize(record_size, static_cast<char>('a' + id % 26));
      builder.Add(std::nullopt, v, 1700000000000 + id);
      ++id;
    }
    batches.push_back(Check(builder.Finish(), "build batch"));
  }
  return batches;
}

int32_t RecordsIn(const std::string& batch) {
  return Check(ParseBatchHeader(AsBytes(batch)), "parse batch").records_count;
}

struct AppendRow {
  size_t record_size;
  size_t batch_bytes;
  double mbps;  // median
  double min_mbps;
  double max_mbps;
  double records_per_s;
  double cpu_s_per_gb;  // median, process CPU (appender + flusher) per GB appended
  Bound bound;
};

struct AppendRun {
  double mbps;
  double records_per_s;
  double cpu_s_per_gb;
};

// One timed append of o.append_bytes to a fresh topic.
AppendRun AppendOnce(Log* log, const Options& o,
                                     const std::vector<std::string>& batches,
                                     const std::string& name) {
  TopicConfig config;
  config.durability = Durability::kGroup;
  std::shared_ptr<Topic> topic = Check(log->CreateTopic(name, config), "create topic");
  Partition* p = topic->partition(PartitionId(0));
  size_t n = std::max<size_t>(1, o.append_bytes / batches[0].size());
  int64_t records = 0;
  size_t bytes = 0;
  double cpu0 = ProcessCpuSeconds();
  auto t0 = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    const std::string& batch = batches[i % batches.size()];
    Check(p->Append(batch), "append");
    bytes += batch.size();
    records += RecordsIn(batch);
  }
  Status st = p->WaitDurable(p->end_offset());
  if (!st.ok()) Die(st, "wait durable");
  double s = SecondsSince(t0);
  double cpu = ProcessCpuSeconds() - cpu0;
  topic.reset();
  st = log->DeleteTopic(name);
  if (!st.ok()) Die(st, "delete topic");
  return {static_cast<double>(bytes) / s / 1e6, records / s, cpu / (static_cast<double>(bytes) / 1e9)};
}

// Alternates disk-bound runs (same chunk size and byte count) with append
// runs so that drift in the (virtual) disk affects both alike.
AppendRow AppendCase(Log* log, const Options& o, size_t record_size, size_t batch_bytes) {
  std::vector<std::string> batches = MakeBatches(record_size, batch_bytes, 8);
  std::string name = fmt::format("append-{}b-{}k", record_size, batch_bytes >> 10);
  std::vector<double> periodic, final_sync, mbps, rps, cpu;
  for (int r = 0; r < o.repeat; ++r) {
    periodic.push_back(DiskWriteMbps(o, batches[0].size(), o.append_bytes, true));
    final_sync.push_back(DiskWriteMbps(o, batches[0].size(), o.append_bytes, false));
    AppendRun run = AppendOnce(log, o, batches, name);
    mbps.push_back(run.mbps);
    rps.push_back(run.records_per_s);
    cpu.push_back(run.cpu_s_per_gb);
  }
  NoteRss("after append " + name);
  return {record_size,
          batch_bytes,
          Median(mbps),
          *std::min_element(mbps.begin(), mbps.end()),
          *std::max_element(mbps.begin(), mbps.end()),
          Median(rps),
          Median(cpu),
          {Median(periodic), Median(final_sync)}};
}

// ---- (c) read ----

void FillTopic(Partition* p, size_t total) {
  std::vector<std::string> batches = MakeBatches(1024, size_t{1} << 20, 8);
  for (size_t bytes = 0, i = 0; bytes < total; ++i) {
    const std::string& batch = batches[i % batches.size()];
    Check(p->Append(batch), "append");
    bytes += batch.size();
  }
  Status st = p->WaitDurable(p->end_offset());
  if (!st.ok()) Die(st, "wait durable");
}

struct ReadRow {
  std::string name;
  double mbps;
  double records_per_s;
};

// Reads the whole partition in `max_bytes` fetches; `check_crc` validates
// every batch as a CRC-checking consumer would.
ReadRow ReadPass(const Partition* p, size_t max_bytes, bool check_crc) {
  std::string buf;
  buf.reserve(max_bytes + (size_t{2} << 20));
  Offset from(0);
  const Offset end = p->high_watermark();
  size_t bytes = 0;
  int64_t records = 0;
  auto t0 = Clock::now();
  while (from < end) {
    ReadResult r = Check(p->Read(from, max_bytes), "read");
    if (r.slices.empty()) break;
    buf.clear();
    for (const FileSlice& slice : r.slices) {
      Status st = slice.AppendTo(&buf);
      if (!st.ok()) Die(st, "slice read");
    }
    for (size_t pos = 0; pos + kBatchHeaderSize <= buf.size();) {
      ByteSpan rest = AsBytes(buf).subspan(pos);
      BatchHeader h = Check(ParseBatchHeader(rest), "parse read batch");
      if (check_crc) {
        Status st = ValidateBatch(rest.subspan(0, h.total_size()));
        if (!st.ok()) Die(st, "validate read batch");
      }
      records += h.records_count;
      pos += h.total_size();
    }
    bytes += buf.size();
    from = r.next_offset;
  }
  double s = SecondsSince(t0);
  std::string name = fmt::format("Read({} MiB){}", max_bytes >> 20, check_crc ? " + CRC" : "");
  return {name, static_cast<double>(bytes) / s / 1e6, records / s};
}

std::vector<ReadRow> ReadCases(Log* log, const Options& o) {
  TopicConfig config;
  config.durability = Durability::kNever;  // filling is setup, not measured
  std::shared_ptr<Topic> topic = Check(log->CreateTopic("read", config), "create topic");
  Partition* p = topic->partition(PartitionId(0));
  FillTopic(p, o.read_bytes);
  NoteRss("after filling read topic");
  std::vector<ReadRow> rows;
  (void)ReadPass(p, size_t{1} << 20, false);  // warm the page cache
  rows.push_back(ReadPass(p, size_t{1} << 20, false));
  rows.push_back(ReadPass(p, size_t{16} << 20, false));
  rows.push_back(ReadPass(p, size_t{1} << 20, true));
  NoteRss("after reading");
  return rows;
}

// ---- driver ----

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string_view flag) -> const char* {
      return a.substr(0, flag.size()) == flag ? argv[i] + flag.size() : nullptr;
    };
    if (const char* v = value("--dir=")) {
      o.dir = v;
    } else if (const char* v = value("--append-mib=")) {
      o.append_bytes = static_cast<size_t>(std::atof(v) * (1 << 20));
    } else if (const char* v = value("--read-gib=")) {
      o.read_bytes = static_cast<size_t>(std::atof(v) * (1 << 30));
    } else if (const char* v = value("--repeat=")) {
      o.repeat = std::max(1, std::atoi(v));
    } else if (const char* v = value("--flush-ms=")) {
      o.flush_ms = std::atoi(v);
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: kappa_log_bench [--dir=/tmp/kappa-bench] [--append-mib=1024] "
                   "[--read-gib=2] [--repeat=3] [--flush-ms=5] [--keep]\n");
      std::exit(2);
    }
  }
  return o;
}

void PrintAppend(const Options& o, const std::vector<AppendRow>& rows) {
  std::printf("\n(a) disk bound: write() of %zu MiB in batch-sized chunks + fdatasync "
              "(median of %d)\n", o.append_bytes >> 20, o.repeat);
  std::printf("%-8s %-8s %24s %18s\n", "record", "batch", "fdatasync every flush",
              "fdatasync at end");
  for (const AppendRow& r : rows) {
    std::printf("%-8s %-8s %19.0f MB/s %13.0f MB/s\n",
                fmt::format("{} B", r.record_size).c_str(),
                fmt::format("{} KiB", r.batch_bytes >> 10).c_str(), r.bound.periodic_mbps,
                r.bound.final_sync_mbps);
  }
  std::printf("\n(b) append, group commit, until durable (median of %d, min-max)\n", o.repeat);
  std::printf("%-8s %-8s %16s %12s %12s %9s %9s\n", "record", "batch", "MB/s", "records/s",
              "bound MB/s", "of bound", "CPU s/GB");
  for (const AppendRow& r : rows) {
    std::printf("%-8s %-8s %16s %12.0f %12.0f %8.0f%% %9.2f\n",
                fmt::format("{} B", r.record_size).c_str(),
                fmt::format("{} KiB", r.batch_bytes >> 10).c_str(),
                fmt::format("{:.0f} ({:.0f}-{:.0f})", r.mbps, r.min_mbps, r.max_mbps).c_str(),
                r.records_per_s, r.bound.best(), 100.0 * r.mbps / r.bound.best(), r.cpu_s_per_gb);
  }
}

int Main(int argc, char** argv) {
  Options o = ParseFlags(argc, argv);
  if (Status st = RemoveTree(o.dir); !st.ok()) Die(st, "clean dir");
  if (Status st = CreateDirs(o.dir); !st.ok()) Die(st, "create dir");
  NoteRss("start");

  LogOptions lo;
  lo.data_dir = o.dir + "/data";
  lo.holder = "kappa_log_bench";
  lo.flush_interval_ms = o.flush_ms;
  std::unique_ptr<Log> log = Check(Log::Open(lo), "open log");
  NoteRss("after open");

  std::vector<AppendRow> appends;
  for (size_t record : {size_t{1024}, size_t{100}}) {
    for (size_t batch : {size_t{1} << 20, size_t{16} << 10}) {
      appends.push_back(AppendCase(log.get(), o, record, batch));
    }
  }
  std::vector<ReadRow> reads = ReadCases(log.get(), o);

  if (Status st = log->Close(); !st.ok()) Die(st, "close log");
  log.reset();
  if (!o.keep) (void)RemoveTree(o.dir);

  std::printf("kappa_log_bench: dir %s, append %zu MiB per run, read %.2f GiB, flush %d ms\n",
              o.dir.c_str(), o.append_bytes >> 20, static_cast<double>(o.read_bytes) / (1 << 30),
              o.flush_ms);
  PrintAppend(o, appends);
  std::printf("\n(c) sequential read from offset 0, page cache warm, 1 KiB records\n");
  std::printf("%-22s %10s %12s\n", "reader", "MB/s", "records/s");
  for (const ReadRow& r : reads) {
    std::printf("%-22s %10.0f %12.0f\n", r.name.c_str(), r.mbps, r.records_per_s);
  }
  std::printf("\n(d) resident memory\n%-34s %10s %10s\n", "phase", "now MiB", "peak MiB");
  for (const RssRow& r : g_rss) {
    std::printf("%-34s %10.1f %10.1f\n", r.phase.c_str(), r.now_mib, r.peak_mib);
  }
  return 0;
}

}  // namespace
}  // namespace kappa::log

int main(int argc, char** argv) { return kappa::log::Main(argc, argv); }
