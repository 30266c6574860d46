#include "log/log.h"

namespace kappa::log {

Status FileSlice::AppendTo(std::string* out) const {
  size_t at = out->size();
  out->resize(at + size);
  Status s = file->PreadExact(position, out->data() + at, size);
  if (!s.ok()) out->resize(at);
  return s;
}

size_t ReadResult::bytes() const {
  size_t n = 0;
  for (const FileSlice& s : slices) n += s.size;
  return n;
}

}  // namespace kappa::log
