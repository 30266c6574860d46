#include "engine/operator.h"

namespace kappa::engine {

Status Operator::Restore(OperatorState* /*state*/, std::string_view snapshot) const {
  if (snapshot.empty()) return OkStatus();
  return Corruption("operator {} keeps no state but its snapshot holds {} bytes", name_,
                    snapshot.size());
}

}  // namespace kappa::engine
