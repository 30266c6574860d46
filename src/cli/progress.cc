#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "base/time.h"
#include "cli/command.h"

namespace kappa::cli {
namespace {

constexpr int64_t kRedrawNs = 200'000'000;
constexpr int kBarWidth = 24;

std::string Duration(double seconds) {
  int64_t s = static_cast<int64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace

ProgressBar::ProgressBar(uint64_t total_bytes)
    : enabled_(::isatty(STDERR_FILENO) == 1), total_(total_bytes), start_ns_(MonotonicNanos()) {}

void ProgressBar::Update(uint64_t bytes_done, int64_t rows) {
  if (!enabled_) return;
  int64_t now = MonotonicNanos();
  if (now - last_draw_ns_ < kRedrawNs) return;
  last_draw_ns_ = now;
  Draw(bytes_done, rows, now);
}

void ProgressBar::Draw(uint64_t bytes_done, int64_t rows, int64_t now) {
  double elapsed = std::max(1e-9, static_cast<double>(now - start_ns_) / 1e9);
  double rate = static_cast<double>(rows) / elapsed;
  std::string line;
  if (total_ > 0) {
    double frac = std::min(1.0, static_cast<double>(bytes_done) / static_cast<double>(total_));
    int filled = static_cast<int>(frac * kBarWidth);
    double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    line = fmt::format("[{}{}] {:3.0f}% {} / {}  {} rows/s  ETA {}", std::string(filled, '#'),
                       std::string(kBarWidth - filled, '.'), frac * 100, FormatBytes(bytes_done),
                       FormatBytes(total_), FormatCount(static_cast<int64_t>(rate)),
                       Duration(eta));
  } else {
    line = fmt::format("{}  {} rows/s", FormatBytes(bytes_done),
                       FormatCount(static_cast<int64_t>(rate)));
  }
  fmt::print(stderr, "\r{}\x1b[K", line);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace kappa::cli
