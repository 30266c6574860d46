#include "engine/physical_plan.h"

#include "fmt/format.h"

namespace kappa::engine {

std::string PhysicalPlan::ToString() const {
  std::string out;
  for (size_t i = 0; i < sources.size(); ++i) {
    out += fmt::format("source {} {}\n", i, sources[i].table ? sources[i].table->name : "VALUES");
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    out += fmt::format("node {} {}", i, nodes[i].op->name());
    for (const PhysicalInput& in : nodes[i].inputs) {
      const char* dist = in.distribution.kind == Distribution::Kind::kHash     ? " hash"
                         : in.distribution.kind == Distribution::Kind::kSingle ? " single"
                                                                               : "";
      out += fmt::format(" <- {} {}{}", in.from == PhysicalInput::From::kSource ? "source" : "node",
                         in.index, dist);
    }
    out += "\n";
  }
  return out;
}

std::string PhysicalPlan::Fingerprint() const {
  std::string out;
  for (const PhysicalSource& s : sources) out += (s.table ? s.table->name : "VALUES") + ";";
  for (const PhysicalNode& n : nodes) out += n.op->name() + ";";
  return out;
}

}  // namespace kappa::engine
