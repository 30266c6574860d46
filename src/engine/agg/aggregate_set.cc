#include "engine/agg/aggregate_set.h"

namespace kappa::engine {

Result<AggregateSet> AggregateSet::Make(const std::vector<sql::AggregateCall>& calls,
                                        bool retractions) {
  AggregateSet set;
  for (const sql::AggregateCall& call : calls) {
    ASSIGN_OR_RETURN(std::unique_ptr<AggregateFunction> f,
                     AggregateFunction::Make(call, retractions));
    set.functions_.push_back(std::move(f));
  }
  return set;
}

AggregateStates AggregateSet::CreateStates() const {
  AggregateStates states;
  for (const auto& f : functions_) states.accs_.push_back(f->CreateAccumulators());
  return states;
}

Status AggregateSet::Update(const columnar::Batch& batch, const std::vector<uint32_t>& gids,
                            const std::vector<uint32_t>& rows, const std::vector<int8_t>& signs,
                            AggregateStates* states) const {
  for (size_t i = 0; i < functions_.size(); ++i) {
    columnar::ColumnPtr arg;
    if (functions_[i]->arg()) {
      ASSIGN_OR_RETURN(arg, functions_[i]->arg()->Eval(batch));
    }
    AggRows in;
    in.gids = gids.data();
    in.rows = rows.data();
    in.count = gids.size();
    in.arg = arg.get();
    in.signs = signs.empty() ? nullptr : signs.data();
    states->accs_[i]->Update(in);
  }
  return OkStatus();
}

void AggregateStates::Resize(uint32_t groups) {
  for (auto& a : accs_) a->Resize(groups);
}

void AggregateStates::Clear(uint32_t gid) {
  for (auto& a : accs_) a->Clear(gid);
}

void AggregateStates::Merge(uint32_t into, uint32_t from) {
  for (auto& a : accs_) a->Merge(into, from);
}

void AggregateStates::AppendResults(uint32_t gid,
                                    const std::vector<std::shared_ptr<columnar::Column>>& columns,
                                    size_t first) const {
  for (size_t i = 0; i < accs_.size(); ++i) accs_[i]->AppendResult(gid, columns[first + i].get());
}

void AggregateStates::Save(uint32_t gid, StateWriter* w) const {
  for (const auto& a : accs_) a->Save(gid, w);
}

Status AggregateStates::Load(uint32_t gid, StateReader* r) {
  for (auto& a : accs_) RETURN_IF_ERROR(a->Load(gid, r));
  return OkStatus();
}

}  // namespace kappa::engine
