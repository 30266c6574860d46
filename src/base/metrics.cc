#include "base/metrics.h"

#include "fmt/format.h"

namespace kappa {
namespace {

enum class Kind { kCounter, kGauge, kHistogram };

struct Family {
  Kind kind;
  std::string help;
  // Series keyed by rendered labels ("{topic=\"a\"}"); pointers stay stable.
  std::map<std::string, std::unique_ptr<CounterMetric>> counters;
  std::map<std::string, std::unique_ptr<GaugeMetric>> gauges;
  std::map<std::string, std::unique_ptr<HistogramMetric>> histograms;
};

struct Registry {
  std::mutex mu;
  std::map<std::string, Family, std::less<>> families;
};

Registry& GetRegistry() {
  static auto* r = new Registry();  // never destroyed: metrics outlive statics
  return *r;
}

std::string EscapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    out.push_back(c);
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += fmt::format("{}=\"{}\"", labels[i].first, EscapeLabel(labels[i].second));
  }
  return out + "}";
}

// Adds le="..." to a rendered label set.
std::string WithLe(const std::string& labels, std::string_view le) {
  if (labels.empty()) return fmt::format("{{le=\"{}\"}}", le);
  return fmt::format("{},le=\"{}\"}}", labels.substr(0, labels.size() - 1), le);
}

Family& GetFamily(Registry& r, std::string_view name, std::string_view help, Kind kind) {
  auto it = r.families.find(name);
  if (it == r.families.end()) {
    it = r.families.emplace(std::string(name), Family{kind, std::string(help), {}, {}, {}}).first;
  }
  return it->second;
}

template <typename T>
T& GetSeries(std::map<std::string, std::unique_ptr<T>>& m, const std::string& key) {
  auto& slot = m[key];
  if (!slot) slot = std::make_unique<T>();
  return *slot;
}

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kCounter: return "counter";
    case Kind::kGauge: return "gauge";
    case Kind::kHistogram: return "histogram";
  }
  return "untyped";
}

void RenderHistogram(std::string* out, const std::string& name, const std::string& labels,
                     const HistogramMetric& h) {
  int64_t cumulative = 0;
  const auto& bounds = HistogramMetric::BoundsMicros();
  for (int i = 0; i < HistogramMetric::kBuckets; ++i) {
    cumulative += h.bucket(i);
    *out += fmt::format("{}_bucket{} {}\n", name,
                        WithLe(labels, fmt::format("{:g}", bounds[i] / 1e6)), cumulative);
  }
  *out += fmt::format("{}_bucket{} {}\n", name, WithLe(labels, "+Inf"), h.count());
  *out += fmt::format("{}_sum{} {:g}\n", name, labels, h.sum_micros() / 1e6);
  *out += fmt::format("{}_count{} {}\n", name, labels, h.count());
}

}  // namespace

const std::array<int64_t, HistogramMetric::kBuckets>& HistogramMetric::BoundsMicros() {
  static const std::array<int64_t, kBuckets> bounds = [] {
    std::array<int64_t, kBuckets> b{};
    int64_t v = 50;
    for (auto& x : b) {
      x = v;
      v *= 2;
    }
    return b;
  }();
  return bounds;
}

void HistogramMetric::ObserveMicros(int64_t us) {
  const auto& bounds = BoundsMicros();
  int i = 0;
  while (i < kBuckets && us > bounds[i]) ++i;
  if (i < kBuckets) buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(us, std::memory_order_relaxed);
}

CounterMetric& Metrics::Counter(std::string_view name, std::string_view help,
                                const Labels& labels) {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  return GetSeries(GetFamily(r, name, help, Kind::kCounter).counters, RenderLabels(labels));
}

GaugeMetric& Metrics::Gauge(std::string_view name, std::string_view help, const Labels& labels) {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  return GetSeries(GetFamily(r, name, help, Kind::kGauge).gauges, RenderLabels(labels));
}

HistogramMetric& Metrics::Histogram(std::string_view name, std::string_view help,
                                    const Labels& labels) {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  return GetSeries(GetFamily(r, name, help, Kind::kHistogram).histograms, RenderLabels(labels));
}

std::string Metrics::RenderText() {
  Registry& r = GetRegistry();
  std::lock_guard lock(r.mu);
  std::string out;
  for (const auto& [name, f] : r.families) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, KindName(f.kind));
    for (const auto& [labels, c] : f.counters) out += fmt::format("{}{} {}\n", name, labels, c->value());
    for (const auto& [labels, g] : f.gauges) out += fmt::format("{}{} {}\n", name, labels, g->value());
    for (const auto& [labels, h] : f.histograms) RenderHistogram(&out, name, labels, *h);
  }
  return out;
}

}  // namespace kappa
