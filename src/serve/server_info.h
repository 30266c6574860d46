// <data-dir>/server.json: how other `kappa` processes find the server that
// holds a data dir (docs/format/server-json.md). The server writes it
// atomically once its listeners are bound and removes it at a clean exit;
// a stale file (after a crash) is harmless because readers trust it only
// while the data dir's lock is held by a `kappa server`.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace kappa::serve {

struct ServerInfo {
  int64_t pid = 0;
  std::string http;   // "127.0.0.1:8080"
  std::string kafka;  // empty when there is no Kafka listener
  std::string pg;     // empty when there is no pg-wire listener
};

std::string ServerInfoPath(const std::string& data_dir);
Status WriteServerInfo(const std::string& data_dir, const ServerInfo& info);
Result<ServerInfo> ReadServerInfo(const std::string& data_dir);
void RemoveServerInfo(const std::string& data_dir);

}  // namespace kappa::serve
