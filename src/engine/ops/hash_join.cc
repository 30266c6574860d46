#include "engine/ops/hash_join.h"

#include "engine/ops/row_store.h"
#include "engine/state/group_table.h"
#include "engine/state/key_codec.h"

namespace kappa::engine {

using columnar::Batch;
using sql::JoinKind;

namespace {

struct JoinState : OperatorState {
  using OperatorState::OperatorState;
  RowStore sides[2];  // 0 left, 1 right
};

bool KeyHasNull(const Batch& batch, const std::vector<int>& keys, uint32_t row) {
  for (int k : keys) {
    if (batch.columns[k]->IsNull(row)) return true;
  }
  return false;
}

bool SameKeyType(const columnar::DataType& a, const columnar::DataType& b) {
  if (a.id() != b.id()) return false;
  return a.id() != columnar::TypeId::kDecimal || a.scale() == b.scale();
}

}  // namespace

// One execution of the join at the end of input: build, probe, then the
// unmatched rows of the outer sides.
class HashJoin::Run {
 public:
  Run(const HashJoin& op, JoinState* s, OperatorOutput* out)
      : op_(op), s_(s), out_(out),
        build_(s->sides[1].rows() <= s->sides[0].rows() ? 1 : 0), probe_(1 - build_) {}

  Status Execute() {
    build_batch_ = s_->sides[build_].Concat();
    s_->sides[build_].Clear();
    BuildTable();
    for (const Batch& probe : s_->sides[probe_].batches()) RETURN_IF_ERROR(Probe(probe));
    s_->sides[probe_].Clear();
    if (op_.Preserves(build_)) RETURN_IF_ERROR(EmitUnmatched(build_batch_, build_, build_matched_));
    return OkStatus();
  }

 private:
  void BuildTable() {
    uint32_t n = static_cast<uint32_t>(build_batch_.num_rows);
    build_matched_.assign(n, 0);
    next_.assign(n, GroupTable::kNone);
    if (n == 0) return;
    KeyEncoder keys(op_.keys_[build_]);
    keys.Encode(build_batch_);
    // Backwards, so that each chain lists its rows in arrival order.
    for (uint32_t r = n; r-- > 0;) {
      if (KeyHasNull(build_batch_, op_.keys_[build_], r)) continue;
      bool inserted = false;
      uint32_t gid = table_.FindOrInsert(keys.key(r), &inserted);
      if (head_.size() <= gid) head_.resize(gid + 1, GroupTable::kNone);
      next_[r] = head_[gid];
      head_[gid] = r;
    }
  }

  Status Probe(const Batch& probe) {
    uint32_t n = static_cast<uint32_t>(probe.num_rows);
    std::vector<uint8_t> matched(n, 0);
    if (table_.size() > 0) {
      KeyEncoder keys(op_.keys_[probe_]);
      keys.Encode(probe);
      for (uint32_t i = 0; i < n; ++i) {
        if (KeyHasNull(probe, op_.keys_[probe_], i)) continue;
        uint32_t gid = table_.Find(keys.key(i));
        if (gid == GroupTable::kNone) continue;
        for (uint32_t r = head_[gid]; r != GroupTable::kNone; r = next_[r]) {
          probe_rows_.push_back(i);
          build_rows_.push_back(r);
          if (probe_rows_.size() >= columnar::kBatchRows) RETURN_IF_ERROR(Flush(probe, &matched));
        }
      }
      RETURN_IF_ERROR(Flush(probe, &matched));
    }
    if (op_.Preserves(probe_)) RETURN_IF_ERROR(EmitUnmatched(probe, probe_, matched));
    return OkStatus();
  }

  // Emits the pending pairs that pass the residual predicate.
  Status Flush(const Batch& probe, std::vector<uint8_t>* probe_matched) {
    if (probe_rows_.empty()) return OkStatus();
    Batch joined = probe_ == 0 ? Assemble(probe, probe_rows_, build_batch_, build_rows_)
                               : Assemble(build_batch_, build_rows_, probe, probe_rows_);
    std::vector<uint32_t> keep;
    if (op_.residual_) {
      ASSIGN_OR_RETURN(columnar::ColumnPtr cond, op_.residual_->Eval(joined));
      const std::vector<uint8_t>& values = cond->values<uint8_t>();
      for (uint32_t i = 0; i < joined.num_rows; ++i) {
        if (values[i] != 0 && !cond->IsNull(i)) keep.push_back(i);
      }
    } else {
      keep.resize(joined.num_rows);
      for (uint32_t i = 0; i < joined.num_rows; ++i) keep[i] = i;
    }
    for (uint32_t i : keep) {
      (*probe_matched)[probe_rows_[i]] = 1;
      build_matched_[build_rows_[i]] = 1;
    }
    probe_rows_.clear();
    build_rows_.clear();
    if (keep.empty()) return OkStatus();
    if (keep.size() < joined.num_rows) joined.selection = std::move(keep);
    return out_->Emit(Chunk(std::move(joined)));
  }

  // Rows of `side` never matched, with NULLs for the other side's columns.
  Status EmitUnmatched(const Batch& rows, int side, const std::vector<uint8_t>& matched) {
    std::vector<uint32_t> own, none;
    for (uint32_t i = 0; i < matched.size(); ++i) {
      if (matched[i]) continue;
      own.push_back(i);
      none.push_back(kNullRow);
      if (own.size() >= columnar::kBatchRows) RETURN_IF_ERROR(EmitPadded(rows, side, &own, &none));
    }
    return EmitPadded(rows, side, &own, &none);
  }

  Status EmitPadded(const Batch& rows, int side, std::vector<uint32_t>* own,
                    std::vector<uint32_t>* none) {
    if (own->empty()) return OkStatus();
    static const Batch kAbsent;
    Batch b = side == 0 ? Assemble(rows, *own, kAbsent, *none) : Assemble(kAbsent, *none, rows, *own);
    own->clear();
    none->clear();
    return out_->Emit(Chunk(std::move(b)));
  }

  // Output rows: left row left_rows[i] beside right row right_rows[i]
  // (kNullRow: NULLs).
  Batch Assemble(const Batch& left, const std::vector<uint32_t>& left_rows, const Batch& right,
                 const std::vector<uint32_t>& right_rows) const {
    const columnar::Schema& schema = op_.output_schema();
    Batch out;
    out.num_rows = left_rows.size();
    for (size_t c = 0; c < schema.size(); ++c) {
      bool is_left = c < op_.left_columns_;
      const Batch& from = is_left ? left : right;
      const std::vector<uint32_t>& rows = is_left ? left_rows : right_rows;
      size_t column = is_left ? c : c - op_.left_columns_;
      if (from.num_columns() <= column || (!rows.empty() && rows[0] == kNullRow)) {
        out.columns.push_back(NullColumn(schema.field(c).type, rows.size()));
      } else {
        out.columns.push_back(GatherColumn(*from.columns[column], rows));
      }
    }
    return out;
  }

  const HashJoin& op_;
  JoinState* s_;
  OperatorOutput* out_;
  int build_, probe_;
  Batch build_batch_;
  GroupTable table_;
  std::vector<uint32_t> head_, next_;  // chains of build rows per key
  std::vector<uint8_t> build_matched_;
  std::vector<uint32_t> probe_rows_, build_rows_;  // pending pairs
};

std::string HashJoin::NameOf(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner: return "HashJoin(inner)";
    case JoinKind::kLeft: return "HashJoin(left)";
    case JoinKind::kRight: return "HashJoin(right)";
    case JoinKind::kFull: return "HashJoin(full)";
  }
  return "HashJoin";
}

bool HashJoin::Preserves(int side) const {
  if (kind_ == JoinKind::kFull) return true;
  return side == 0 ? kind_ == JoinKind::kLeft : kind_ == JoinKind::kRight;
}

Result<std::unique_ptr<HashJoin>> HashJoin::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 2) return Internal("a join needs two inputs");
  const columnar::Schema& left = plan.inputs[0]->schema;
  const columnar::Schema& right = plan.inputs[1]->schema;
  if (plan.schema.size() != left.size() + right.size()) {
    return Internal("join output must be the left columns then the right columns");
  }
  if (plan.left_keys.size() != plan.right_keys.size()) {
    return Internal("join with {} left keys and {} right keys", plan.left_keys.size(),
                    plan.right_keys.size());
  }
  for (size_t i = 0; i < plan.left_keys.size(); ++i) {
    int l = plan.left_keys[i], r = plan.right_keys[i];
    if (l < 0 || static_cast<size_t>(l) >= left.size() || r < 0 ||
        static_cast<size_t>(r) >= right.size()) {
      return Internal("join key out of range");
    }
    if (!SameKeyType(left.field(l).type, right.field(r).type)) {
      return Internal("join key {} = {} compares {} with {}", left.field(l).name,
                      right.field(r).name, left.field(l).type.ToString(),
                      right.field(r).type.ToString());
    }
  }
  std::optional<BoundExpr> residual;
  if (plan.predicate != nullptr) {
    if (plan.predicate->type.id() != columnar::TypeId::kBoolean) {
      return Invalid("a join condition must be BOOLEAN, got {}", plan.predicate->type.ToString());
    }
    ASSIGN_OR_RETURN(BoundExpr e, BoundExpr::Bind(plan.predicate));
    residual = std::move(e);
  }
  return std::unique_ptr<HashJoin>(new HashJoin(plan.schema, plan.join, plan.left_keys,
                                                plan.right_keys, std::move(residual),
                                                left.size()));
}

std::unique_ptr<OperatorState> HashJoin::CreateState(ExecContext* ctx) const {
  return std::make_unique<JoinState>(ctx);
}

Status HashJoin::ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                              OperatorOutput* /*out*/) const {
  if (port < 0 || port > 1) return Internal("join port {}", port);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  if (in.active_rows() == 0) return OkStatus();
  static_cast<JoinState*>(state)->sides[port].Add(in.Compact());
  return OkStatus();
}

Status HashJoin::OnEndOfInput(OperatorState* state, OperatorOutput* out) const {
  Run run(*this, static_cast<JoinState*>(state), out);
  return run.Execute();
}

}  // namespace kappa::engine
