// WindowAssigner is the window table-valued function (TUMBLE, HOP,
// CUMULATE, SESSION): it appends window_start, window_end and window_time
// (= window_end - 1 ms) to each row, once per window the row belongs to
// (HOP and CUMULATE put a row in several). SESSION rows get their own
// one-row window [t, t + gap), which the session window aggregate merges.
//
// Lateness is decided here, per row, against the row's own split watermark
// (Chunk::row_watermarks, set by the WatermarkAssigner): a window that a
// row's split watermark has already passed (window_end - 1 <= watermark) is
// closed for that row. A row whose every window is closed is late: counted,
// and written to the dead-letter topic under 'late-records' = 'dlq'. Rows
// with a NULL time attribute are reported the same way. Because the split
// watermark depends only on the split's rows in offset order, the decision
// is the same in a replay as in the live run. Stateless.
#pragma once

#include <memory>

#include "engine/operator.h"
#include "sql/plan.h"

namespace kappa::engine {

class WindowAssigner final : public Operator {
 public:
  static Result<std::unique_ptr<WindowAssigner>> Make(const sql::Plan& plan);

  Status ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                      OperatorOutput* out) const override;

  // The windows of event time `ts`, as (start, end) pairs appended to *out.
  void WindowsOf(int64_t ts, std::vector<std::pair<int64_t, int64_t>>* out) const;

 private:
  WindowAssigner(columnar::Schema schema, sql::WindowSpec spec)
      : Operator("WindowAssigner", std::move(schema)), spec_(std::move(spec)) {}

  sql::WindowSpec spec_;
};

// Floor of a / b for b > 0 (toward minus infinity).
int64_t FloorDiv(int64_t a, int64_t b);

}  // namespace kappa::engine
