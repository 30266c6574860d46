// Framing: on a Kafka connection every request and response is an i32 size
// (big-endian, counting the bytes after it) followed by that many bytes.
// The server reads the 4-byte prefix, checks it with ParseFrameSize, reads
// the body and hands it to DecodeRequest.
#pragma once

#include <cstddef>
#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace kappa::kafka {

inline constexpr size_t kFrameSizeBytes = 4;
// Kafka's default socket.request.max.bytes (100 MiB).
inline constexpr size_t kDefaultMaxFrameSize = 104857600;

// The body size announced by a frame's first four bytes. Errors
// (kInvalidArgument) for a negative size or one above max_frame_size; the
// connection cannot be resynchronised after either. REQUIRES:
// prefix.size() >= 4.
Result<size_t> ParseFrameSize(ByteSpan prefix, size_t max_frame_size = kDefaultMaxFrameSize);

// Starts a frame: four placeholder bytes for the size.
std::string StartFrame();
// Writes the size of a frame begun by StartFrame into its first four bytes.
Status FinishFrame(std::string* frame);

}  // namespace kappa::kafka
