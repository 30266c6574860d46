#include "serve/server_info.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/file.h"
#include "nlohmann/json.hpp"

namespace kappa::serve {

std::string ServerInfoPath(const std::string& data_dir) { return data_dir + "/server.json"; }

Status WriteServerInfo(const std::string& data_dir, const ServerInfo& info) {
  nlohmann::json j = {{"pid", info.pid},
                      {"http", info.http},
                      {"kafka", info.kafka.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.kafka)},
                      {"pg", info.pg.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.pg)}};
  return WriteFileAtomic(ServerInfoPath(data_dir), j.dump() + "\n");
}

Result<ServerInfo> ReadServerInfo(const std::string& data_dir) {
  std::string path = ServerInfoPath(data_dir);
  std::ifstream in(path);
  if (!in) return NotFound("{} does not exist", path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("http") || !j["http"].is_string()) {
    return Invalid("{}: expected {{\"pid\", \"http\", \"kafka\"}}", path);
  }
  ServerInfo info;
  info.http = j["http"].get<std::string>();
  if (j.contains("pid") && j["pid"].is_number_integer()) info.pid = j["pid"].get<int64_t>();
  if (j.contains("kafka") && j["kafka"].is_string()) info.kafka = j["kafka"].get<std::string>();
  if (j.contains("pg") && j["pg"].is_string()) info.pg = j["pg"].get<std::string>();
  return info;
}

void RemoveServerInfo(const std::string& data_dir) {
  std::remove(ServerInfoPath(data_dir).c_str());
}

}  // namespace kappa::serve
