#include "engine/ops/watermark_assigner.h"

#include <algorithm>
#include <map>

#include "engine/exec_context.h"
#include "engine/state/state_io.h"

namespace kappa::engine {

namespace {

struct AssignerState : OperatorState {
  using OperatorState::OperatorState;
  std::map<int32_t, int64_t> split_watermarks;  // owned splits only
  int64_t emitted = kMinWatermark;

  int64_t Combined() const {
    int64_t wm = kMaxWatermark;
    for (const auto& [split, w] : split_watermarks) wm = std::min(wm, w);
    return wm;
  }
};

}  // namespace

Result<std::unique_ptr<WatermarkAssigner>> WatermarkAssigner::Make(const sql::Plan& plan,
                                                                   int source) {
  if (plan.watermark == nullptr) return Internal("watermark node without an expression");
  columnar::TypeId t = plan.watermark->type.id();
  if (t != columnar::TypeId::kTimestamp && t != columnar::TypeId::kTimestampLtz) {
    return Invalid("WATERMARK expression must be a TIMESTAMP(3), got {}",
                   plan.watermark->type.ToString());
  }
  ASSIGN_OR_RETURN(BoundExpr wm, BoundExpr::Bind(plan.watermark));
  return std::unique_ptr<WatermarkAssigner>(new WatermarkAssigner(plan.schema, std::move(wm),
                                                                  source));
}

std::unique_ptr<OperatorState> WatermarkAssigner::CreateState(ExecContext* ctx) const {
  auto s = std::make_unique<AssignerState>(ctx);
  for (int32_t split : ctx->OwnedSplits(source_)) s->split_watermarks[split] = kMinWatermark;
  return s;
}

Status WatermarkAssigner::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<AssignerState*>(state);
  StateReader r(snapshot, "watermark assigner snapshot");
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t split = 0;
    int64_t wm = 0;
    RETURN_IF_ERROR(r.U32(&split));
    RETURN_IF_ERROR(r.I64(&wm));
    auto it = s->split_watermarks.find(static_cast<int32_t>(split));
    if (it != s->split_watermarks.end()) it->second = wm;
  }
  return r.ExpectEnd();
}

Status WatermarkAssigner::Open(OperatorState* state, OperatorOutput* out) const {
  auto* s = static_cast<AssignerState*>(state);
  if (s->split_watermarks.empty()) return out->EmitIdle();
  int64_t wm = s->Combined();
  if (wm > s->emitted) {
    s->emitted = wm;
    return out->EmitWatermark(wm);
  }
  return OkStatus();
}

Status WatermarkAssigner::ProcessBatch(OperatorState* state, int /*port*/, const Chunk& chunk,
                                       OperatorOutput* out) const {
  auto* s = static_cast<AssignerState*>(state);
  auto it = s->split_watermarks.find(chunk.split);
  if (it == s->split_watermarks.end()) {
    return Internal("watermark assigner got rows of split {} it does not own", chunk.split);
  }
  const columnar::Batch& in = chunk.batch;
  ASSIGN_OR_RETURN(columnar::ColumnPtr values, watermark_.Eval(in));
  const std::vector<int64_t>& v = values->values<int64_t>();
  auto before = std::make_shared<std::vector<int64_t>>(in.num_rows, it->second);
  int64_t wm = it->second;
  size_t n = in.active_rows();
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    (*before)[r] = wm;
    if (!values->IsNull(r)) wm = std::max(wm, v[r]);
  }
  it->second = wm;
  Chunk c = chunk;
  c.row_watermarks = std::move(before);
  RETURN_IF_ERROR(out->Emit(std::move(c)));
  int64_t combined = s->Combined();
  if (combined > s->emitted) {
    s->emitted = combined;
    return out->EmitWatermark(combined);
  }
  return OkStatus();
}

Status WatermarkAssigner::OnWatermark(OperatorState* state, int64_t watermark,
                                      OperatorOutput* out) const {
  // Sources send no watermarks, only kMaxWatermark at the end of bounded
  // input, which closes every window.
  auto* s = static_cast<AssignerState*>(state);
  if (watermark == kMaxWatermark && s->emitted < kMaxWatermark) {
    s->emitted = kMaxWatermark;
    return out->EmitWatermark(kMaxWatermark);
  }
  return OkStatus();
}

Status WatermarkAssigner::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                    std::string* snapshot) const {
  auto* s = static_cast<AssignerState*>(state);
  StateWriter w;
  w.UVarint(s->split_watermarks.size());
  for (const auto& [split, wm] : s->split_watermarks) {
    w.U32(static_cast<uint32_t>(split));
    w.I64(wm);
  }
  snapshot->append(w.data());
  return OkStatus();
}

}  // namespace kappa::engine
