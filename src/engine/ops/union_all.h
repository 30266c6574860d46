// UnionAllOperator forwards the rows of every input as they come (UNION
// ALL); the runtime takes the minimum of the inputs' watermarks. Stateless.
#pragma once

#include "engine/operator.h"

namespace kappa::engine {

class UnionAllOperator final : public Operator {
 public:
  UnionAllOperator(columnar::Schema schema, int inputs)
      : Operator("UnionAll", std::move(schema)), inputs_(inputs) {}

  int num_inputs() const override { return inputs_; }
  Status ProcessBatch(OperatorState* /*state*/, int /*port*/, const Chunk& chunk,
                      OperatorOutput* out) const override {
    Chunk c(chunk.batch);
    return out->Emit(std::move(c));
  }

 private:
  int inputs_;
};

}  // namespace kappa::engine
