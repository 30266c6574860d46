#include "kafka/group/offset_store.h"

#include "base/file.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace kappa::kafka {
namespace {

using nlohmann::json;

bool SafeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

Result<std::pair<std::string, std::vector<CommittedOffset>>> ParseGroupFile(
    const std::string& path, const std::string& text) {
  try {
    json j = json::parse(text);
    std::vector<CommittedOffset> offsets;
    for (const json& o : j.at("offsets")) {
      offsets.push_back(CommittedOffset{o.at("topic").get<std::string>(),
                                        o.at("partition").get<int32_t>(),
                                        o.at("offset").get<int64_t>(),
                                        o.value("metadata", std::string())});
    }
    return std::make_pair(j.at("group").get<std::string>(), std::move(offsets));
  } catch (const json::exception& e) {
    return Corruption("committed offsets file {} is damaged: {}", path, e.what());
  }
}

}  // namespace

std::string OffsetStore::FileNameFor(const std::string& group) {
  std::string out;
  for (char c : group) {
    if (SafeChar(c)) out.push_back(c);
    else out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  if (out.empty() || out == "." || out == "..") out = "%" + out;
  return out + ".json";
}

Result<std::unique_ptr<OffsetStore>> OffsetStore::Open(const std::string& dir) {
  RETURN_IF_ERROR(CreateDirs(dir));
  std::unique_ptr<OffsetStore> store(new OffsetStore(dir));
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  for (const std::string& name : names) {
    if (name.size() < 5 || name.substr(name.size() - 5) != ".json") continue;  // *.tmp
    std::string path = dir + "/" + name;
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    ASSIGN_OR_RETURN(auto parsed, ParseGroupFile(path, text));
    auto& group = store->groups_[parsed.first];
    for (CommittedOffset& o : parsed.second) {
      Key key{o.topic, o.partition};
      group[key] = std::move(o);
    }
  }
  return store;
}

Status OffsetStore::Commit(const std::string& group, const std::vector<CommittedOffset>& offsets) {
  auto before = groups_[group];
  auto& current = groups_[group];
  for (const CommittedOffset& o : offsets) current[Key{o.topic, o.partition}] = o;
  Status s = Persist(group);
  if (!s.ok()) current = std::move(before);  // all or none
  return s;
}

Status OffsetStore::Persist(const std::string& group) const {
  json offsets = json::array();
  for (const auto& [key, o] : groups_.at(group)) {
    offsets.push_back({{"topic", o.topic}, {"partition", o.partition}, {"offset", o.offset},
                       {"metadata", o.metadata}});
  }
  json j = {{"group", group}, {"offsets", offsets}};
  return WriteFileAtomic(dir_ + "/" + FileNameFor(group), j.dump(1) + "\n");
}

std::optional<CommittedOffset> OffsetStore::Fetch(const std::string& group,
                                                  const std::string& topic,
                                                  int32_t partition) const {
  auto g = groups_.find(group);
  if (g == groups_.end()) return std::nullopt;
  auto it = g->second.find(Key{topic, partition});
  if (it == g->second.end()) return std::nullopt;
  return it->second;
}

std::vector<CommittedOffset> OffsetStore::FetchAll(const std::string& group) const {
  std::vector<CommittedOffset> out;
  auto g = groups_.find(group);
  if (g == groups_.end()) return out;
  for (const auto& [key, o] : g->second) out.push_back(o);
  return out;
}

std::vector<std::string> OffsetStore::Groups() const {
  std::vector<std::string> out;
  for (const auto& [name, offsets] : groups_) out.push_back(name);
  return out;
}

}  // namespace kappa::kafka
