// What every subcommand shares: the global options, the registry that maps
// the subcommand chosen on the command line to its body, opening the log, and
// output helpers. A subcommand body returns a Status; main() turns a failed
// one into a single "kappa: error: <message>" line on stderr and exit code 1
// (130 for kCancelled, i.e. interrupted by a signal).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "base/status.h"
#include "log/log.h"

namespace kappa::cli {

struct GlobalOptions {
  std::string data_dir = "./kappa-data";
  std::string server;  // --server URL; empty: find the server through the data dir
};

using CommandFn = std::function<Status()>;

// Remembers the body of each leaf subcommand. Not thread-safe.
class CommandRegistry {
 public:
  // `app` is a leaf subcommand; it must outlive the registry.
  void Add(CLI::App* app, CommandFn fn) { commands_.emplace_back(app, std::move(fn)); }
  // The body of the subcommand that was parsed, or nullptr.
  const CommandFn* Selected() const;

 private:
  std::vector<std::pair<CLI::App*, CommandFn>> commands_;
};

// Everything a subcommand group needs to register itself.
struct CommandContext {
  GlobalOptions* globals;
  CommandRegistry* registry;
};

// Opens the log in --data-dir, naming this process `holder` in the lock.
Result<std::unique_ptr<log::Log>> OpenLog(const GlobalOptions& globals, std::string_view holder);

// "1.5 MiB", "912 B".
std::string FormatBytes(uint64_t bytes);
// "12,345,678".
std::string FormatCount(int64_t n);

// Writes a line to stderr prefixed with "kappa: ".
void Note(std::string_view line);

// Set by SIGINT/SIGTERM once InstallStopHandlers() ran: long-running
// commands check it and stop cleanly.
void InstallStopHandlers();
bool StopRequested();

}  // namespace kappa::cli
