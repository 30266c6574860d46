// What handling one request frame produces: a whole response frame to send,
// nothing (a Produce with acks=0), or closing the connection (a frame that
// cannot be trusted).
#pragma once

#include <string>

namespace kappa::kafka {

struct FrameReply {
  enum class Kind { kSend, kNone, kClose } kind = Kind::kNone;
  std::string frame;

  static FrameReply Send(std::string f) { return {Kind::kSend, std::move(f)}; }
  static FrameReply None() { return {Kind::kNone, {}}; }
  static FrameReply Close() { return {Kind::kClose, {}}; }
};

}  // namespace kappa::kafka
