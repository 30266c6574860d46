#include "kafka/protocol/debug_string.h"

namespace kappa::kafka::internal {

void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20 || u >= 0x7f) {
      fmt::format_to(std::back_inserter(*out), "\\x{:02x}", u);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace kappa::kafka::internal
