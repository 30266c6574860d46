// A one-line progress bar on stderr for long commands: bytes done of the
// total, rows per second and ETA, redrawn at most five times a second.
// Disabled (every call a no-op) unless stderr is a terminal. Used by one
// thread.
#pragma once

#include <cstdint>

namespace kappa::cli {

class ProgressBar {
 public:
  // total_bytes may be 0 when unknown (no percentage or ETA then).
  explicit ProgressBar(uint64_t total_bytes);

  bool enabled() const { return enabled_; }
  // Redraws if enough time has passed since the last redraw.
  void Update(uint64_t bytes_done, int64_t rows);
  // Erases the bar (before a summary line is printed).
  void Clear();

 private:
  void Draw(uint64_t bytes_done, int64_t rows, int64_t now);

  bool enabled_;
  uint64_t total_;
  int64_t start_ns_;
  int64_t last_draw_ns_ = 0;
  bool drawn_ = false;
};

}  // namespace kappa::cli
