#include "engine/runtime/checkpoint_store.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "base/crc32c.h"
#include "base/file.h"
#include "engine/state/state_io.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace kappa::engine {

namespace {

constexpr std::string_view kTaskMagic = "KAPPATS1";

std::string Hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

Result<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Corruption("odd-length hex string in checkpoint manifest");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, v, 16);
    if (ec != std::errc() || p != hex.data() + 2 * i + 2) {
      return Corruption("bad hex string in checkpoint manifest");
    }
    out[i] = static_cast<char>(v);
  }
  return out;
}

std::string EncodeTask(const TaskCheckpoint& t) {
  StateWriter w;
  w.UVarint(t.nodes.size());
  for (const std::string& n : t.nodes) w.Bytes(n);
  w.Bytes(t.dead_letters);
  std::string body = w.Take();
  std::string out(kTaskMagic);
  out += body;
  uint32_t crc = Crc32c(reinterpret_cast<const uint8_t*>(body.data()), body.size());
  out.append(reinterpret_cast<const char*>(&crc), 4);
  return out;
}

Result<TaskCheckpoint> DecodeTask(std::string_view bytes, const std::string& path) {
  if (bytes.size() < kTaskMagic.size() + 4 || !bytes.starts_with(kTaskMagic)) {
    return Corruption("{} is not a task checkpoint", path);
  }
  std::string_view body = bytes.substr(kTaskMagic.size(), bytes.size() - kTaskMagic.size() - 4);
  uint32_t crc = 0;
  std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
  if (crc != Crc32c(reinterpret_cast<const uint8_t*>(body.data()), body.size())) {
    return Corruption("{} fails its CRC", path);
  }
  StateReader r(body, path);
  TaskCheckpoint t;
  uint64_t n = 0;
  RETURN_IF_ERROR(r.UVarint(&n));
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view b;
    RETURN_IF_ERROR(r.Bytes(&b));
    t.nodes.emplace_back(b);
  }
  std::string_view dl;
  RETURN_IF_ERROR(r.Bytes(&dl));
  t.dead_letters.assign(dl);
  RETURN_IF_ERROR(r.ExpectEnd());
  return t;
}

}  // namespace

std::string CheckpointStore::EpochDir(int64_t epoch) const {
  return fmt::format("{}/{}", dir_, epoch);
}

Status CheckpointStore::Write(const CheckpointData& data) {
  std::string dir = EpochDir(data.epoch);
  if (PathExists(dir)) RETURN_IF_ERROR(RemoveTree(dir));  // a torn earlier attempt
  RETURN_IF_ERROR(CreateDirs(dir));
  RETURN_IF_ERROR(SyncDir(dir_));
  for (size_t i = 0; i < data.tasks.size(); ++i) {
    RETURN_IF_ERROR(
        WriteFileAtomic(fmt::format("{}/task-{}.state", dir, i), EncodeTask(data.tasks[i])));
  }
  nlohmann::json m;
  m["epoch"] = data.epoch;
  m["parallelism"] = data.parallelism;
  m["fingerprint"] = data.fingerprint;
  m["created_ms"] = data.created_ms;
  m["offsets"] = nlohmann::json::array();
  for (const SplitOffset& o : data.offsets) {
    m["offsets"].push_back({{"topic", o.topic}, {"partition", o.partition}, {"offset", o.offset}});
  }
  m["sinks"] = nlohmann::json::array();
  for (const std::string& s : data.sink_infos) m["sinks"].push_back(Hex(s));
  m["tasks"] = data.tasks.size();
  return WriteFileAtomic(dir + "/manifest.json", m.dump(2) + "\n");
}

Result<std::vector<int64_t>> CheckpointStore::Epochs() const {
  std::vector<int64_t> out;
  if (!PathExists(dir_)) return out;
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir_));
  for (const std::string& n : names) {
    int64_t e = 0;
    auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), e);
    if (ec == std::errc() && p == n.data() + n.size()) out.push_back(e);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<CheckpointData> CheckpointStore::Load(int64_t epoch) const {
  std::string dir = EpochDir(epoch);
  ASSIGN_OR_RETURN(std::string text, ReadFile(dir + "/manifest.json"));
  CheckpointData d;
  try {
    nlohmann::json m = nlohmann::json::parse(text);
    d.epoch = m.at("epoch").get<int64_t>();
    d.parallelism = m.at("parallelism").get<int>();
    d.fingerprint = m.at("fingerprint").get<std::string>();
    d.created_ms = m.value("created_ms", int64_t{0});
    for (const auto& o : m.at("offsets")) {
      d.offsets.push_back({o.at("topic").get<std::string>(), o.at("partition").get<int32_t>(),
                           o.at("offset").get<int64_t>()});
    }
    for (const auto& s : m.at("sinks")) {
      ASSIGN_OR_RETURN(std::string info, Unhex(s.get<std::string>()));
      d.sink_infos.push_back(std::move(info));
    }
    size_t tasks = m.at("tasks").get<size_t>();
    for (size_t i = 0; i < tasks; ++i) {
      std::string path = fmt::format("{}/task-{}.state", dir, i);
      ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
      ASSIGN_OR_RETURN(TaskCheckpoint t, DecodeTask(bytes, path));
      d.tasks.push_back(std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    return Corruption("{}/manifest.json: {}", dir, e.what());
  }
  if (d.epoch != epoch) return Corruption("{}/manifest.json names epoch {}", dir, d.epoch);
  return d;
}

Result<std::optional<CheckpointData>> CheckpointStore::LoadLatest() const {
  ASSIGN_OR_RETURN(std::vector<int64_t> epochs, Epochs());
  for (auto it = epochs.rbegin(); it != epochs.rend(); ++it) {
    if (!PathExists(EpochDir(*it) + "/manifest.json")) continue;  // torn: never completed
    ASSIGN_OR_RETURN(CheckpointData d, Load(*it));
    return std::optional<CheckpointData>(std::move(d));
  }
  return std::optional<CheckpointData>();
}

Status CheckpointStore::Prune(int keep) {
  ASSIGN_OR_RETURN(std::vector<int64_t> epochs, Epochs());
  int kept = 0;
  for (auto it = epochs.rbegin(); it != epochs.rend(); ++it) {
    bool complete = PathExists(EpochDir(*it) + "/manifest.json");
    if (complete && kept < keep) {
      ++kept;
      continue;
    }
    if (kept == 0) continue;  // incomplete and newer than every complete one: in progress
    RETURN_IF_ERROR(RemoveTree(EpochDir(*it)));
  }
  return OkStatus();
}

}  // namespace kappa::engine
