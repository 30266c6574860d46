#include "engine/planner.h"

#include <limits>

#include "engine/ops/deduplicate.h"
#include "engine/ops/filter.h"
#include "engine/ops/group_aggregate.h"
#include "engine/ops/hash_join.h"
#include "engine/ops/project.h"
#include "engine/ops/session_window_aggregate.h"
#include "engine/ops/sink_operator.h"
#include "engine/ops/sort.h"
#include "engine/ops/streaming_deduplicate.h"
#include "engine/ops/streaming_join.h"
#include "engine/ops/streaming_limit.h"
#include "engine/ops/streaming_top_n.h"
#include "engine/ops/top_n.h"
#include "engine/ops/union_all.h"
#include "engine/ops/watermark_assigner.h"
#include "engine/ops/window_aggregate.h"
#include "engine/ops/window_assigner.h"

namespace kappa::engine {

using sql::PlanKind;

namespace {

const char* KindName(PlanKind k) {
  switch (k) {
    case PlanKind::kJoin: return "JOIN";
    case PlanKind::kSort: return "ORDER BY";
    case PlanKind::kLimit: return "LIMIT";
    case PlanKind::kTopN: return "Top-N (ROW_NUMBER() ... <= N)";
    case PlanKind::kDeduplicate: return "deduplication (ROW_NUMBER() ... = 1)";
    default: return "this operator";
  }
}

// The window TVF under a window aggregate, through single-input nodes.
const sql::Plan* WindowUnder(const sql::Plan& p) {
  const sql::Plan* at = &p;
  while (at->kind != PlanKind::kWindow) {
    if (at->inputs.size() != 1) return nullptr;
    at = at->inputs[0].get();
  }
  return at;
}

}  // namespace

Result<PhysicalInput> Planner::AddNode(std::shared_ptr<const Operator> op,
                                       std::vector<PhysicalInput> inputs) {
  if (static_cast<int>(inputs.size()) != op->num_inputs()) {
    return Internal("{} takes {} inputs, got {}", op->name(), op->num_inputs(), inputs.size());
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].distribution = op->input_distribution(static_cast<int>(i));
  }
  plan_.nodes.push_back(PhysicalNode{std::move(op), std::move(inputs), -1});
  return PhysicalInput{PhysicalInput::From::kNode, static_cast<int>(plan_.nodes.size() - 1), {}};
}

Result<std::vector<PhysicalInput>> Planner::BuildInputs(const sql::Plan& p) {
  std::vector<PhysicalInput> out;
  for (const sql::PlanPtr& in : p.inputs) {
    if (in == nullptr) return Internal("plan node with a null input");
    ASSIGN_OR_RETURN(PhysicalInput e, Build(*in));
    out.push_back(e);
  }
  return out;
}

Result<int> Planner::SourceUnder(const sql::Plan& p) const {
  const sql::Plan* at = &p;
  while (at->kind != PlanKind::kScan) {
    if (at->inputs.size() != 1) return Unimplemented("WATERMARK over more than one source");
    at = at->inputs[0].get();
  }
  auto it = scan_sources_.find(at);
  if (it == scan_sources_.end()) return Internal("scan under a watermark was not planned");
  return it->second;
}

Result<PhysicalInput> Planner::Build(const sql::Plan& p) {
  switch (p.kind) {
    case PlanKind::kScan: {
      if (p.table == nullptr) return Internal("scan without a table");
      plan_.sources.push_back(PhysicalSource{p.table, {}, p.schema});
      int index = static_cast<int>(plan_.sources.size() - 1);
      scan_sources_[&p] = index;
      return PhysicalInput{PhysicalInput::From::kSource, index, {}};
    }
    case PlanKind::kValues: {
      plan_.sources.push_back(PhysicalSource{nullptr, p.rows, p.schema});
      return PhysicalInput{PhysicalInput::From::kSource,
                           static_cast<int>(plan_.sources.size() - 1), {}};
    }
    case PlanKind::kJoin:
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kTopN:
    case PlanKind::kDeduplicate:
      if (!bounded_ && p.kind == PlanKind::kSort) {
        return Unimplemented("{} is not supported yet in streaming pipelines", KindName(p.kind));
      }
      if (bounded_ && (p.kind == PlanKind::kSort || p.kind == PlanKind::kLimit)) {
        return BuildOrderLimit(p);
      }
      break;
    default: break;
  }
  ASSIGN_OR_RETURN(std::vector<PhysicalInput> inputs, BuildInputs(p));
  std::shared_ptr<const Operator> op;
  switch (p.kind) {
    case PlanKind::kProject: {
      ASSIGN_OR_RETURN(op, ProjectOperator::Make(p));
      break;
    }
    case PlanKind::kFilter: {
      ASSIGN_OR_RETURN(op, FilterOperator::Make(p));
      break;
    }
    case PlanKind::kWatermark: {
      // A bounded query has batch semantics: no row is late, and every
      // window closes at the end of input (the final watermark), so its
      // answer is the same whatever order the partitions are read in.
      if (bounded_) return inputs[0];
      ASSIGN_OR_RETURN(int source, SourceUnder(p));
      ASSIGN_OR_RETURN(op, WatermarkAssigner::Make(p, source));
      break;
    }
    case PlanKind::kWindow: {
      ASSIGN_OR_RETURN(op, WindowAssigner::Make(p));
      break;
    }
    case PlanKind::kWindowAggregate: {
      const sql::Plan* window = WindowUnder(*p.inputs[0]);
      if (window == nullptr) return Internal("window aggregate without a window TVF under it");
      if (window->window.kind == sql::WindowKind::kSession) {
        ASSIGN_OR_RETURN(op, SessionWindowAggregate::Make(p));
      } else {
        ASSIGN_OR_RETURN(op, WindowAggregate::Make(p));
      }
      break;
    }
    case PlanKind::kAggregate: {
      ASSIGN_OR_RETURN(op, GroupAggregate::Make(p, bounded_));
      break;
    }
    case PlanKind::kUnionAll: {
      if (p.inputs.size() < 2) return Internal("UNION ALL needs two inputs");
      op = std::make_shared<UnionAllOperator>(p.schema, static_cast<int>(p.inputs.size()));
      break;
    }
    case PlanKind::kJoin: {
      if (bounded_) {
        ASSIGN_OR_RETURN(op, HashJoin::Make(p));
      } else {
        ASSIGN_OR_RETURN(op, StreamingJoin::Make(p));
      }
      break;
    }
    case PlanKind::kLimit: {
      ASSIGN_OR_RETURN(op, StreamingLimit::Make(p));  // bounded ones are built above
      break;
    }
    case PlanKind::kTopN: {
      if (bounded_) {
        ASSIGN_OR_RETURN(op, TopN::Make(p));
      } else {
        ASSIGN_OR_RETURN(op, StreamingTopN::Make(p));
      }
      break;
    }
    case PlanKind::kDeduplicate: {
      if (bounded_) {
        ASSIGN_OR_RETURN(op, Deduplicate::Make(p));
      } else {
        ASSIGN_OR_RETURN(op, StreamingDeduplicate::Make(p));
      }
      break;
    }
    default: return Internal("unknown plan node");
  }
  return AddNode(std::move(op), std::move(inputs));
}

// ORDER BY, LIMIT/OFFSET, or a LIMIT over an ORDER BY as one top-k. With
// a limit, a partial stage in every task keeps its best offset + limit
// rows before the final stage gathers them into one task.
Result<PhysicalInput> Planner::BuildOrderLimit(const sql::Plan& p) {
  if (p.inputs.size() != 1 || p.inputs[0] == nullptr) return Internal("sort/limit needs one input");
  const sql::Plan* sort = p.kind == PlanKind::kSort ? &p : nullptr;
  const sql::Plan* below = p.inputs[0].get();
  SortOperator::Spec spec;
  if (p.kind == PlanKind::kLimit) {
    spec.limit = p.limit;
    spec.offset = p.offset;
    if (below->kind == PlanKind::kSort) {
      sort = below;
      if (below->inputs.size() != 1 || below->inputs[0] == nullptr) {
        return Internal("sort needs one input");
      }
      below = below->inputs[0].get();
    }
  }
  if (sort != nullptr) spec.keys = sort->sort;
  ASSIGN_OR_RETURN(PhysicalInput in, Build(*below));
  if (spec.limit >= 0) {
    SortOperator::Spec partial = spec;
    partial.final = false;
    partial.offset = 0;
    partial.limit = spec.offset > std::numeric_limits<int64_t>::max() - spec.limit
                        ? std::numeric_limits<int64_t>::max()
                        : spec.limit + spec.offset;
    ASSIGN_OR_RETURN(std::shared_ptr<const Operator> first,
                     SortOperator::Make(below->schema, std::move(partial)));
    ASSIGN_OR_RETURN(in, AddNode(std::move(first), {in}));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Operator> last,
                   SortOperator::Make(below->schema, std::move(spec)));
  return AddNode(std::move(last), {in});
}

Result<PhysicalInput> Planner::AddQuery(const sql::PlanPtr& plan) {
  if (plan == nullptr) return Internal("null plan");
  return Build(*plan);
}

Status Planner::AddSink(PhysicalInput input, const sql::Plan& query, const sql::TableDef* target,
                        Sink* sink, int sink_index) {
  bool keyed = target != nullptr && !target->primary_key.empty();
  if (query.updates && target != nullptr && !keyed) {
    return Invalid("table {} has no PRIMARY KEY, so it takes only appended rows, but the query "
                   "updates its results (an unbounded GROUP BY); declare PRIMARY KEY (...) NOT "
                   "ENFORCED on {} or aggregate over windows",
                   target->name, target->name);
  }
  auto op = std::make_shared<SinkOperator>(query.schema, sink, sink_index);
  input.distribution = keyed ? Distribution::Hash(target->primary_key) : Distribution::Any();
  plan_.nodes.push_back(PhysicalNode{std::move(op), {input}, sink_index});
  return OkStatus();
}

Result<PhysicalPlan> PlanPipeline(const sql::Pipeline& pipeline, const std::vector<Sink*>& sinks) {
  if (pipeline.inserts.empty()) return Invalid("the pipeline has no INSERT INTO statement");
  if (sinks.size() != pipeline.inserts.size()) return Internal("one sink per INSERT expected");
  Planner planner(false);
  for (size_t i = 0; i < pipeline.inserts.size(); ++i) {
    const sql::Insert& ins = pipeline.inserts[i];
    ASSIGN_OR_RETURN(PhysicalInput out, planner.AddQuery(ins.query));
    RETURN_IF_ERROR(planner.AddSink(out, *ins.query, ins.target.get(), sinks[i],
                                    static_cast<int>(i)));
  }
  return planner.Finish();
}

Result<PhysicalPlan> PlanQuery(const sql::PlanPtr& query, Sink* sink) {
  Planner planner(true);
  ASSIGN_OR_RETURN(PhysicalInput out, planner.AddQuery(query));
  RETURN_IF_ERROR(planner.AddSink(out, *query, nullptr, sink, 0));
  return planner.Finish();
}

}  // namespace kappa::engine
