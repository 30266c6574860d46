#include "kafka/protocol/frame.h"

#include <limits>

namespace kappa::kafka {

Result<size_t> ParseFrameSize(ByteSpan prefix, size_t max_frame_size) {
  int32_t size = LoadBE<int32_t>(prefix.data());
  if (size < 0) return Invalid("negative frame size {}", size);
  if (static_cast<size_t>(size) > max_frame_size) {
    return Invalid("frame of {} bytes exceeds the limit of {}", size, max_frame_size);
  }
  return static_cast<size_t>(size);
}

std::string StartFrame() { return std::string(kFrameSizeBytes, '\0'); }

Status FinishFrame(std::string* frame) {
  size_t body = frame->size() - kFrameSizeBytes;
  if (body > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Invalid("frame body of {} bytes is too large", body);
  }
  StoreBE(reinterpret_cast<uint8_t*>(frame->data()), static_cast<int32_t>(body));
  return OkStatus();
}

}  // namespace kappa::kafka
