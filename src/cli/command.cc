#include "cli/command.h"

#include <csignal>
#include <cstdio>

namespace kappa::cli {

const CommandFn* CommandRegistry::Selected() const {
  for (const auto& [app, fn] : commands_) {
    if (app->parsed()) return &fn;
  }
  return nullptr;
}

Result<std::unique_ptr<log::Log>> OpenLog(const GlobalOptions& globals, std::string_view holder) {
  log::LogOptions options;
  options.data_dir = globals.data_dir;
  options.holder = std::string(holder);
  return log::Log::Open(options);
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  size_t unit = 0;
  while (v >= 1024 && unit + 1 < std::size(kUnits)) {
    v /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} B", bytes);
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

void Note(std::string_view line) { fmt::print(stderr, "kappa: {}\n", line); }

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void OnStopSignal(int) { g_stop = 1; }

}  // namespace

void InstallStopHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool StopRequested() { return g_stop != 0; }

}  // namespace kappa::cli
