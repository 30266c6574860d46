// The physical planner: turns the logical plans of sql/plan.h into a
// PhysicalPlan of operators. One Planner builds one job's plan: every
// INSERT of a pipeline (PlanPipeline) or one bounded query (PlanQuery).
// Scans become sources (one per scan: each INSERT reads its topics
// itself); operators that need rows spread by key declare it and the
// runtime puts an exchange in front of them. Bounded queries run joins
// (ops/hash_join.h), ORDER BY / LIMIT (ops/sort.h: a partial top-k per
// task, then one final task, so the rows reach the sink in order), Top-N
// (ops/top_n.h) and deduplication (ops/deduplicate.h). Streaming jobs run
// joins, deduplication, Top-N (ORDER BY ... LIMIT n is one) and LIMIT as
// operators with checkpointed state (ops/streaming_*.h), over insert-only
// inputs: each refuses an updating input by name.
#pragma once

#include <map>
#include <vector>

#include "base/status.h"
#include "engine/physical_plan.h"
#include "engine/sink/sink.h"
#include "sql/plan.h"

namespace kappa::engine {

class Planner {
 public:
  explicit Planner(bool bounded) : bounded_(bounded) {}

  // Adds the operators of `plan`; returns the edge carrying its output.
  Result<PhysicalInput> AddQuery(const sql::PlanPtr& plan);
  // Adds a sink node for `input` (rows of `query`), writing to `sink`
  // (index `sink_index` of the job's sinks). An updating query needs a
  // target with a PRIMARY KEY (`target`, may be null for a collecting
  // sink); rows are spread by that key so one task writes each key.
  Status AddSink(PhysicalInput input, const sql::Plan& query, const sql::TableDef* target,
                 Sink* sink, int sink_index);

  PhysicalPlan Finish() { return std::move(plan_); }

 private:
  Result<PhysicalInput> AddNode(std::shared_ptr<const Operator> op,
                                std::vector<PhysicalInput> inputs);
  Result<PhysicalInput> Build(const sql::Plan& p);
  Result<std::vector<PhysicalInput>> BuildInputs(const sql::Plan& p);
  Result<PhysicalInput> BuildOrderLimit(const sql::Plan& p);
  // The source index of the scan under `p` through single-input nodes.
  Result<int> SourceUnder(const sql::Plan& p) const;

  bool bounded_;
  PhysicalPlan plan_;
  std::map<const sql::Plan*, int> scan_sources_;
};

// Plans every INSERT of `pipeline`; sinks[i] receives INSERT i.
Result<PhysicalPlan> PlanPipeline(const sql::Pipeline& pipeline, const std::vector<Sink*>& sinks);
// Plans a bounded query whose rows go to `sink` (index 0).
Result<PhysicalPlan> PlanQuery(const sql::PlanPtr& query, Sink* sink);

}  // namespace kappa::engine
