#include "cli/rejects.h"

#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

constexpr size_t kMaxRowBytes = 4096;

}  // namespace

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Result<std::unique_ptr<RejectsFile>> RejectsFile::Open(const std::string& path, bool resume) {
  std::unique_ptr<RejectsFile> r(new RejectsFile(path));
  if (!PathExists(path)) return r;
  if (!resume) {
    RETURN_IF_ERROR(RemoveFile(path));
    return r;
  }
  RETURN_IF_ERROR(r->LoadExisting());
  return r;
}

Status RejectsFile::LoadExisting() {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path_));
  size_t end = text.rfind('\n');
  end = end == std::string::npos ? 0 : end + 1;
  ASSIGN_OR_RETURN(file_, File::Open(path_, File::Mode::kReadWrite));
  if (end < text.size()) RETURN_IF_ERROR(file_.Truncate(end));  // a torn last line
  size_t pos = 0;
  while (pos < end) {
    size_t nl = text.find('\n', pos);
    nlohmann::json j = nlohmann::json::parse(text.substr(pos, nl - pos), nullptr, false);
    pos = nl + 1;
    if (!j.is_object() || !j["file"].is_string() || !j["line"].is_number_integer()) continue;
    known_.emplace(Basename(j["file"].get<std::string>()), j["line"].get<int64_t>());
  }
  return OkStatus();
}

Status RejectsFile::Write(std::string_view file, int64_t line, std::string_view reason,
                          std::string_view raw) {
  if (known_.count({Basename(file), line}) > 0) return OkStatus();
  if (!file_.is_open()) {
    ASSIGN_OR_RETURN(file_, File::Open(path_, File::Mode::kCreateReadWrite));
  }
  nlohmann::json j = {{"file", file},
                      {"line", line},
                      {"reason", reason},
                      {"row", raw.substr(0, kMaxRowBytes)}};
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  RETURN_IF_ERROR(file_.Append(text));
  ++written_;
  return OkStatus();
}

}  // namespace kappa::cli
