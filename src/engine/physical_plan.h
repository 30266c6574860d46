// A PhysicalPlan is a job's dataflow: source scans, then operator nodes in
// topological order (a node's inputs come before it), ending in sink nodes.
// Every task of a job runs one instance of every node; an input edge either
// stays inside the task (forward) or, when the operator needs rows spread
// by key (Distribution kHash) or gathered (kSingle) and the job has more
// than one task, goes through an exchange. Built by the planner; immutable
// and shared by the tasks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/operator.h"
#include "sql/plan.h"

namespace kappa::engine {

struct PhysicalInput {
  enum class From { kSource, kNode };
  From from = From::kNode;
  int index = 0;             // source or node index
  Distribution distribution;  // what the consuming port needs
};

struct PhysicalNode {
  std::shared_ptr<const Operator> op;
  std::vector<PhysicalInput> inputs;  // one per port
  int sink = -1;                      // index into the job's sinks for a sink node
};

struct PhysicalSource {
  std::shared_ptr<const sql::TableDef> table;  // null for a VALUES source
  std::vector<std::vector<columnar::Value>> rows;  // VALUES
  columnar::Schema schema;
};

struct PhysicalPlan {
  std::vector<PhysicalSource> sources;
  std::vector<PhysicalNode> nodes;

  // "0 Project <- node 1", one line per node, for EXPLAIN and messages.
  std::string ToString() const;
  // Operator names in order: checkpoints refuse to restore into a
  // different plan.
  std::string Fingerprint() const;
};

}  // namespace kappa::engine
