// Splitting the Records bytes of a Produce partition into record batches and
// checking each as Kafka's broker does before anything is appended: whole
// batches only, magic 2 (older message formats are refused), the CRC and
// header checks of log::ValidateBatch, and records that decode (garbage
// inside a CRC-valid batch). Stateless; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "kafka/protocol/error_code.h"
#include "log/record_batch.h"

namespace kappa::kafka {

struct SplitBatches {
  ErrorCode error = ErrorCode::kNone;  // CORRUPT_MESSAGE, UNSUPPORTED_FOR_MESSAGE_FORMAT
  std::string message;                 // why, for the log
  std::vector<std::string_view> batches;  // views into the input, in order
  std::vector<log::BatchHeader> headers;  // parallel to batches
};

// All or nothing: on error `batches` is empty. Empty input is CORRUPT_MESSAGE.
SplitBatches SplitAndValidate(std::string_view records);

}  // namespace kappa::kafka
