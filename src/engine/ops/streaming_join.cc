#include "engine/ops/streaming_join.h"

#include <string>

#include "engine/ops/batch_util.h"
#include "engine/state/group_table.h"
#include "engine/state/state_io.h"

namespace kappa::engine {

using columnar::Batch;
using columnar::Column;
using columnar::RowKind;
using sql::JoinKind;

namespace {

struct Kept {
  std::string row;      // every column of its side, cell-encoded
  int64_t matches = 0;  // pairs it has been part of
};

struct Side {
  explicit Side(std::vector<int> key_columns) : encoder(std::move(key_columns)) {}
  GroupTable keys;
  std::vector<std::vector<Kept>> rows;  // by key id, in arrival order
  KeyEncoder encoder;                   // keys of this side's input batches

  std::vector<Kept>& RowsOf(std::string_view key) {
    bool inserted = false;
    uint32_t id = keys.FindOrInsert(key, &inserted);
    if (rows.size() <= id) rows.resize(id + 1);
    return rows[id];
  }
};

struct StreamJoinState : OperatorState {
  StreamJoinState(ExecContext* ctx, std::vector<int> left, std::vector<int> right)
      : OperatorState(ctx), sides{Side(std::move(left)), Side(std::move(right))} {}
  Side sides[2];
};

using Columns = std::vector<std::shared_ptr<Column>>;

bool KeyHasNull(const Batch& batch, const std::vector<int>& keys, uint32_t row) {
  for (int k : keys) {
    if (batch.columns[k]->IsNull(row)) return true;
  }
  return false;
}

}  // namespace

// Joins one input batch of side `own` against the other side's state.
class StreamingJoin::Step {
 public:
  Step(const StreamingJoin& op, StreamJoinState* s, int own, const Batch& in)
      : op_(op), own_(own), other_(1 - own), in_(in), mine_(s->sides[own]),
        theirs_(s->sides[1 - own]), pairs_(MakeColumns(op.output_schema())),
        out_(MakeColumns(op.output_schema())) {}

  Status Run(OperatorOutput* out) {
    mine_.encoder.Encode(in_);
    RETURN_IF_ERROR(CollectCandidates());
    ASSIGN_OR_RETURN(std::vector<uint8_t> pass, Evaluate());
    size_t p = 0;
    for (size_t i = 0; i < in_.active_rows(); ++i) {
      uint32_t r = in_.row(i);
      int64_t matches = 0;
      for (; p < cand_row_.size() && cand_row_[p] == i; ++p) {
        if (!pass[p]) continue;
        Kept& x = theirs_.rows[cand_key_[p]][cand_index_[p]];
        if (op_.Preserves(other_) && x.matches == 0) {
          RETURN_IF_ERROR(AppendPaddedKept(x));
          kinds_.push_back(RowKind::kDelete);
        }
        for (size_t c = 0; c < out_.size(); ++c) out_[c]->AppendFrom(*pairs_[c], p);
        kinds_.push_back(RowKind::kInsert);
        ++x.matches;
        ++matches;
      }
      if (matches == 0 && op_.Preserves(own_)) {
        AppendPaddedInput(r);
        kinds_.push_back(RowKind::kInsert);
      }
      if (!KeyHasNull(in_, op_.keys_[own_], r)) Keep(i, r, matches);
    }
    if (kinds_.empty()) return OkStatus();
    return out->Emit(Chunk(MakeBatch(std::move(out_), std::move(kinds_))));
  }

 private:
  // The columns of side `side` within `columns` (an output-shaped set).
  Columns Part(const Columns& columns, int side) const {
    size_t nl = op_.rows_[0].types().size();
    return side == 0 ? Columns(columns.begin(), columns.begin() + static_cast<long>(nl))
                     : Columns(columns.begin() + static_cast<long>(nl), columns.end());
  }

  void AppendInput(const Columns& to, uint32_t r) const {
    for (size_t c = 0; c < to.size(); ++c) to[c]->AppendFrom(*in_.columns[c], r);
  }

  static void AppendNulls(const Columns& to) {
    for (const auto& c : to) c->AppendNull();
  }

  // Every candidate pair (input row, kept row of the other side with an
  // equal key), in input row order, into pairs_.
  Status CollectCandidates() {
    Columns own_part = Part(pairs_, own_), other_part = Part(pairs_, other_);
    for (size_t i = 0; i < in_.active_rows(); ++i) {
      uint32_t r = in_.row(i);
      if (KeyHasNull(in_, op_.keys_[own_], r)) continue;
      uint32_t id = theirs_.keys.Find(mine_.encoder.key(i));
      if (id == GroupTable::kNone) continue;
      const std::vector<Kept>& kept = theirs_.rows[id];
      for (uint32_t j = 0; j < kept.size(); ++j) {
        AppendInput(own_part, r);
        RETURN_IF_ERROR(op_.rows_[other_].AppendKey(kept[j].row, other_part));
        cand_row_.push_back(i);
        cand_key_.push_back(id);
        cand_index_.push_back(j);
      }
    }
    return OkStatus();
  }

  // Whether each candidate passes the residual predicate (TRUE only).
  Result<std::vector<uint8_t>> Evaluate() const {
    std::vector<uint8_t> pass(cand_row_.size(), 1);
    if (!op_.residual_ || pass.empty()) return pass;
    Batch b = MakeBatch(pairs_);
    ASSIGN_OR_RETURN(columnar::ColumnPtr cond, op_.residual_->Eval(b));
    const std::vector<uint8_t>& v = cond->values<uint8_t>();
    for (size_t p = 0; p < pass.size(); ++p) pass[p] = v[p] != 0 && !cond->IsNull(p);
    return pass;
  }

  Status AppendPaddedKept(const Kept& x) {
    RETURN_IF_ERROR(op_.rows_[other_].AppendKey(x.row, Part(out_, other_)));
    AppendNulls(Part(out_, own_));
    return OkStatus();
  }

  void AppendPaddedInput(uint32_t r) {
    AppendInput(Part(out_, own_), r);
    AppendNulls(Part(out_, other_));
  }

  void Keep(size_t i, uint32_t r, int64_t matches) {
    Kept k;
    for (const columnar::ColumnPtr& c : in_.columns) EncodeCell(*c, r, &k.row);
    k.matches = matches;
    mine_.RowsOf(mine_.encoder.key(i)).push_back(std::move(k));
  }

  const StreamingJoin& op_;
  int own_, other_;
  const Batch& in_;
  Side& mine_;
  Side& theirs_;
  Columns pairs_;
  std::vector<size_t> cand_row_;  // active input row of each candidate
  std::vector<uint32_t> cand_key_, cand_index_;
  Columns out_;
  std::vector<RowKind> kinds_;
};

std::string StreamingJoin::NameOf(JoinKind kind) {
  switch (kind) {
    case JoinKind::kInner: return "Join(inner, streaming)";
    case JoinKind::kLeft: return "Join(left, streaming)";
    case JoinKind::kRight: return "Join(right, streaming)";
    case JoinKind::kFull: return "Join(full, streaming)";
  }
  return "Join(streaming)";
}

bool StreamingJoin::Preserves(int side) const {
  if (kind_ == JoinKind::kFull) return true;
  return side == 0 ? kind_ == JoinKind::kLeft : kind_ == JoinKind::kRight;
}

Result<std::unique_ptr<StreamingJoin>> StreamingJoin::Make(const sql::Plan& plan) {
  if (plan.inputs.size() != 2) return Internal("a join needs two inputs");
  for (const sql::PlanPtr& in : plan.inputs) {
    if (in->updates) {
      return Unimplemented("JOIN of an updating input (such as an unbounded GROUP BY) is not "
                           "supported yet in streaming pipelines");
    }
  }
  const columnar::Schema& left = plan.inputs[0]->schema;
  const columnar::Schema& right = plan.inputs[1]->schema;
  if (plan.schema.size() != left.size() + right.size()) {
    return Internal("join output must be the left columns then the right columns");
  }
  if (plan.left_keys.size() != plan.right_keys.size()) return Internal("join key count mismatch");
  for (size_t i = 0; i < plan.left_keys.size(); ++i) {
    int l = plan.left_keys[i], r = plan.right_keys[i];
    if (l < 0 || static_cast<size_t>(l) >= left.size() || r < 0 ||
        static_cast<size_t>(r) >= right.size()) {
      return Internal("join key out of range");
    }
    const columnar::DataType& lt = left.field(l).type;
    const columnar::DataType& rt = right.field(r).type;
    if (lt.id() != rt.id() ||
        (lt.id() == columnar::TypeId::kDecimal && lt.scale() != rt.scale())) {
      return Internal("join key {} = {} compares {} with {}", left.field(l).name,
                      right.field(r).name, lt.ToString(), rt.ToString());
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
  auto types = [](const columnar::Schema& s) {
    std::vector<columnar::DataType> t;
    for (const columnar::Field& f : s.fields()) t.push_back(f.type);
    return KeyDecoder(std::move(t));
  };
  return std::unique_ptr<StreamingJoin>(new StreamingJoin(plan.schema, plan.join, plan.left_keys,
                                                          plan.right_keys, std::move(residual),
                                                          types(left), types(right)));
}

std::unique_ptr<OperatorState> StreamingJoin::CreateState(ExecContext* ctx) const {
  return std::make_unique<StreamJoinState>(ctx, keys_[0], keys_[1]);
}

Status StreamingJoin::ProcessBatch(OperatorState* state, int port, const Chunk& chunk,
                                   OperatorOutput* out) const {
  if (port < 0 || port > 1) return Internal("join port {}", port);
  const Batch& in = chunk.batch;
  if (!in.append_only()) return Invalid("{} takes only inserted rows, not a changelog", name());
  if (in.active_rows() == 0) return OkStatus();
  Step step(*this, static_cast<StreamJoinState*>(state), port, in);
  return step.Run(out);
}

Status StreamingJoin::OnBarrier(OperatorState* state, Epoch /*epoch*/,
                                std::string* snapshot) const {
  auto* s = static_cast<StreamJoinState*>(state);
  StateWriter w;
  for (const Side& side : s->sides) {
    std::vector<uint32_t> live = side.keys.LiveIds();
    w.UVarint(live.size());
    for (uint32_t id : live) {
      w.Bytes(side.keys.key(id));
      w.UVarint(side.rows[id].size());
      for (const Kept& k : side.rows[id]) {
        w.Bytes(k.row);
        w.I64(k.matches);
      }
    }
  }
  snapshot->append(w.data());
  return OkStatus();
}

Status StreamingJoin::Restore(OperatorState* state, std::string_view snapshot) const {
  auto* s = static_cast<StreamJoinState*>(state);
  StateReader r(snapshot, "join snapshot");
  for (Side& side : s->sides) {
    uint64_t keys = 0;
    RETURN_IF_ERROR(r.UVarint(&keys));
    for (uint64_t k = 0; k < keys; ++k) {
      std::string_view key;
      uint64_t n = 0;
      RETURN_IF_ERROR(r.Bytes(&key));
      RETURN_IF_ERROR(r.UVarint(&n));
      std::vector<Kept>& rows = side.RowsOf(key);
      if (!rows.empty()) return Corruption("join snapshot holds a key twice");
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view row;
        Kept kept;
        RETURN_IF_ERROR(r.Bytes(&row));
        RETURN_IF_ERROR(r.I64(&kept.matches));
        kept.row = std::string(row);
        rows.push_back(std::move(kept));
      }
    }
  }
  return r.ExpectEnd();
}

}  // namespace kappa::engine
