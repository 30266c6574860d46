// Process-wide metrics in the Prometheus text exposition format: counters,
// gauges and latency histograms, each identified by a name and a label set.
// Lookups take a lock; hot paths keep the returned reference (stable for the
// process lifetime; series are never removed) and update it with atomics,
// lock-free.
//
//   static auto& appended = Metrics::Counter("kappa_log_appended_bytes_total",
//                                            "Bytes appended", {{"topic", t}});
//   appended.Add(n);
#pragma once

#include <atomic>
#include <cstdint>
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kappa {

using Labels = std::vector<std::pair<std::string, std::string>>;

class CounterMetric {
 public:
  void Add(int64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

class GaugeMetric {
 public:
  void Set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
  void Add(int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Latencies in seconds, observed in microseconds; fixed exponential buckets
// from 50us to ~10s.
class HistogramMetric {
 public:
  static constexpr int kBuckets = 18;
  static const std::array<int64_t, kBuckets>& BoundsMicros();

  void ObserveMicros(int64_t us);
  int64_t count() const { return count_.load(std::memory_order_relaxed); }
  int64_t sum_micros() const { return sum_.load(std::memory_order_relaxed); }
  int64_t bucket(int i) const { return buckets_[i].load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<int64_t>, kBuckets> buckets_{};
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> sum_{0};
};

class Metrics {
 public:
  static CounterMetric& Counter(std::string_view name, std::string_view help,
                                const Labels& labels = {});
  static GaugeMetric& Gauge(std::string_view name, std::string_view help,
                            const Labels& labels = {});
  static HistogramMetric& Histogram(std::string_view name, std::string_view help,
                                    const Labels& labels = {});
  // Everything, in the Prometheus text format (version 0.0.4).
  static std::string RenderText();
};

}  // namespace kappa
