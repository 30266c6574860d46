#include "engine/ops/window_assigner.h"

#include "engine/exec_context.h"
#include "engine/ops/batch_util.h"

namespace kappa::engine {

using columnar::Column;
using sql::WindowKind;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

namespace {

// Start of the window of length `size` (aligned at `offset`) holding ts.
int64_t AlignedStart(int64_t ts, int64_t size, int64_t offset) {
  return FloorDiv(ts - offset, size) * size + offset;
}

Status CheckSpec(const sql::WindowSpec& s) {
  switch (s.kind) {
    case WindowKind::kTumble:
      if (s.size_ms <= 0) return Invalid("TUMBLE size must be positive");
      return OkStatus();
    case WindowKind::kHop:
      if (s.size_ms <= 0 || s.slide_ms <= 0) return Invalid("HOP size and slide must be positive");
      if (s.size_ms / s.slide_ms > 10000) return Invalid("HOP puts a row in more than 10000 windows");
      return OkStatus();
    case WindowKind::kCumulate:
      if (s.size_ms <= 0 || s.slide_ms <= 0) {
        return Invalid("CUMULATE step and size must be positive");
      }
      if (s.size_ms % s.slide_ms != 0) {
        return Invalid("CUMULATE size must be a whole multiple of its step");
      }
      return OkStatus();
    case WindowKind::kSession:
      if (s.gap_ms <= 0) return Invalid("SESSION gap must be positive");
      return OkStatus();
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<WindowAssigner>> WindowAssigner::Make(const sql::Plan& plan) {
  RETURN_IF_ERROR(CheckSpec(plan.window));
  if (plan.inputs.size() != 1) return Internal("window TVF needs one input");
  const columnar::Schema& in = plan.inputs[0]->schema;
  int t = plan.window.time_column;
  if (t < 0 || static_cast<size_t>(t) >= in.size()) return Internal("window time column out of range");
  columnar::TypeId id = in.field(t).type.id();
  if (id != columnar::TypeId::kTimestamp && id != columnar::TypeId::kTimestampLtz) {
    return Invalid("window time column {} must be a TIMESTAMP(3), got {}", in.field(t).name,
                   in.field(t).type.ToString());
  }
  if (plan.schema.size() != in.size() + 3) return Internal("window TVF output must add 3 columns");
  if (plan.updates) return Unimplemented("window functions over an updating input");
  return std::unique_ptr<WindowAssigner>(new WindowAssigner(plan.schema, plan.window));
}

void WindowAssigner::WindowsOf(int64_t ts, std::vector<std::pair<int64_t, int64_t>>* out) const {
  const sql::WindowSpec& s = spec_;
  switch (s.kind) {
    case WindowKind::kTumble: {
      int64_t start = AlignedStart(ts, s.size_ms, s.offset_ms);
      out->emplace_back(start, start + s.size_ms);
      return;
    }
    case WindowKind::kHop: {
      int64_t last = AlignedStart(ts, s.slide_ms, s.offset_ms);
      for (int64_t start = last; start > ts - s.size_ms; start -= s.slide_ms) {
        out->emplace_back(start, start + s.size_ms);
      }
      return;
    }
    case WindowKind::kCumulate: {
      int64_t start = AlignedStart(ts, s.size_ms, s.offset_ms);
      for (int64_t end = start + s.slide_ms; end <= start + s.size_ms; end += s.slide_ms) {
        if (end > ts) out->emplace_back(start, end);
      }
      return;
    }
    case WindowKind::kSession: out->emplace_back(ts, ts + s.gap_ms); return;
  }
}

Status WindowAssigner::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                    OperatorOutput* out) const {
  const columnar::Batch& in = chunk.batch;
  const Column& time = *in.columns[spec_.time_column];
  const std::vector<int64_t>& ts = time.values<int64_t>();
  const std::vector<int64_t>* wms = chunk.row_watermarks.get();
  size_t n = in.active_rows();

  std::vector<uint32_t> rows;  // physical input row of each output row
  std::vector<int64_t> starts, ends;
  rows.reserve(n);
  starts.reserve(n);
  ends.reserve(n);
  std::vector<uint32_t> late, null_time;
  std::vector<std::pair<int64_t, int64_t>> windows;
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    if (time.IsNull(r)) {
      null_time.push_back(r);
      continue;
    }
    int64_t wm = wms ? (*wms)[r] : kMinWatermark;
    windows.clear();
    WindowsOf(ts[r], &windows);
    bool any = false;
    for (const auto& [start, end] : windows) {
      if (end - 1 <= wm) continue;  // closed for this row's split
      rows.push_back(r);
      starts.push_back(start);
      ends.push_back(end);
      any = true;
    }
    if (!any) late.push_back(r);
  }
  ExecContext* ctx = state->ctx();
  if (!late.empty()) {
    RETURN_IF_ERROR(ctx->ReportLate(chunk, late, "every window of the row has closed"));
  }
  if (!null_time.empty()) {
    RETURN_IF_ERROR(ctx->ReportLate(chunk, null_time, "NULL time attribute"));
  }
  if (rows.empty()) return OkStatus();

  // One output row per input row in place (TUMBLE, SESSION, nothing late):
  // share the input columns and keep the selection.
  bool in_place = rows.size() == n;
  for (size_t i = 0; in_place && i < n; ++i) in_place = rows[i] == in.row(i);

  columnar::Batch b;
  auto start_col = std::make_shared<Column>(output_schema().field(in.num_columns()).type);
  auto end_col = std::make_shared<Column>(output_schema().field(in.num_columns() + 1).type);
  auto time_col = std::make_shared<Column>(output_schema().field(in.num_columns() + 2).type);
  if (in_place) {
    b = in;
    std::vector<int64_t> s(in.num_rows, 0), e(in.num_rows, 0), t(in.num_rows, 0);
    for (size_t i = 0; i < rows.size(); ++i) {
      s[rows[i]] = starts[i];
      e[rows[i]] = ends[i];
      t[rows[i]] = ends[i] - 1;
    }
    start_col->mutable_values<int64_t>() = std::move(s);
    end_col->mutable_values<int64_t>() = std::move(e);
    time_col->mutable_values<int64_t>() = std::move(t);
    for (auto* c : {start_col.get(), end_col.get(), time_col.get()}) c->SetSize(in.num_rows);
  } else {
    b.num_rows = rows.size();
    for (const columnar::ColumnPtr& c : in.columns) b.columns.push_back(c->Take(rows));
    if (!in.kinds.empty()) {
      for (uint32_t r : rows) b.kinds.push_back(in.kinds[r]);
    }
    std::vector<int64_t> t(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) t[i] = ends[i] - 1;
    start_col->mutable_values<int64_t>() = std::move(starts);
    end_col->mutable_values<int64_t>() = std::move(ends);
    time_col->mutable_values<int64_t>() = std::move(t);
    for (auto* c : {start_col.get(), end_col.get(), time_col.get()}) c->SetSize(rows.size());
  }
  b.columns.push_back(std::move(start_col));
  b.columns.push_back(std::move(end_col));
  b.columns.push_back(std::move(time_col));
  if (in_place) return out->Emit(chunk.WithBatch(std::move(b)));
  Chunk c(std::move(b));
  c.split = chunk.split;
  return out->Emit(std::move(c));
}

}  // namespace kappa::engine
