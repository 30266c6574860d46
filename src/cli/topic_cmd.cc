#include "cli/topic_cmd.h"

#include <cstdio>

#include "base/time.h"
#include "cli/log_client.h"
#include "cli/table.h"
#include "log/topic_config.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {
namespace {

struct CreateFlags {
  std::string name;
  int32_t partitions = 1;
  std::string retention_time = "infinite";
  std::string retention_bytes = "infinite";
  std::string durability = "group";
  std::string segment_bytes = "1GiB";
};

Result<log::TopicConfig> ConfigFromFlags(const CreateFlags& f) {
  log::TopicConfig config;
  config.partitions = f.partitions;
  ASSIGN_OR_RETURN(config.retention_ms, log::ParseDurationMillis(f.retention_time));
  ASSIGN_OR_RETURN(config.retention_bytes, log::ParseSizeBytes(f.retention_bytes));
  ASSIGN_OR_RETURN(config.durability, log::ParseDurability(f.durability));
  ASSIGN_OR_RETURN(config.segment_bytes, log::ParseSizeBytes(f.segment_bytes));
  RETURN_IF_ERROR(config.Validate());
  return config;
}

Status RunCreate(const GlobalOptions& g, const CreateFlags& f) {
  ASSIGN_OR_RETURN(log::TopicConfig config, ConfigFromFlags(f));
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa topic create"));
  ASSIGN_OR_RETURN(int32_t partitions, log->CreateTopic(f.name, config));
  fmt::print("created topic {} ({} partition{})\n", f.name, partitions,
             partitions == 1 ? "" : "s");
  return log->Close();
}

Status RunList(const GlobalOptions& g, bool json) {
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa topic list"));
  nlohmann::json out = nlohmann::json::array();
  Table table({"TOPIC", "PARTITIONS", "RECORDS", "BYTES"});
  ASSIGN_OR_RETURN(std::vector<TopicSummary> topics, log->ListTopics());
  for (const TopicSummary& t : topics) {
    out.push_back({{"name", t.name},
                   {"partitions", t.partitions},
                   {"records", t.records},
                   {"bytes", t.bytes}});
    table.AddRow({t.name, std::to_string(t.partitions), FormatCount(t.records),
                  FormatBytes(t.bytes)});
  }
  if (json) {
    fmt::print("{}\n", out.dump());
  } else {
    table.Print(stdout);
  }
  return log->Close();
}

nlohmann::json OptionalTimestamp(const std::optional<int64_t>& ts) {
  return ts ? nlohmann::json(*ts) : nlohmann::json(nullptr);
}

std::string TimestampText(const std::optional<int64_t>& ts) {
  return ts ? FormatTimestampMillis(*ts) : "-";
}

std::string LimitText(int64_t v, bool bytes) {
  if (v < 0) return "infinite";
  return bytes ? FormatBytes(static_cast<uint64_t>(v)) : fmt::format("{} ms", v);
}

void PrintDescription(const TopicDescription& topic) {
  const std::vector<log::PartitionStats>& stats = topic.partitions;
  const log::TopicConfig& c = topic.config;
  int32_t partitions = static_cast<int32_t>(stats.size());
  fmt::print("topic {}: {} partition{}, durability {}, retention time {}, retention bytes {}, "
             "segment bytes {}\n",
             topic.name, partitions, partitions == 1 ? "" : "s",
             log::DurabilityName(c.durability), LimitText(c.retention_ms, false),
             LimitText(c.retention_bytes, true), FormatBytes(static_cast<uint64_t>(c.segment_bytes)));
  Table table({"PARTITION", "START", "END", "RECORDS", "BYTES", "SEGMENTS", "MIN TIMESTAMP",
               "MAX TIMESTAMP"});
  for (const log::PartitionStats& s : stats) {
    table.AddRow({std::to_string(s.partition.value()), std::to_string(s.start_offset.value()),
                  std::to_string(s.end_offset.value()), FormatCount(s.records),
                  FormatBytes(s.bytes), std::to_string(s.segments), TimestampText(s.min_timestamp),
                  TimestampText(s.max_timestamp)});
  }
  table.Print(stdout);
}

nlohmann::json DescriptionJson(const TopicDescription& topic) {
  const std::vector<log::PartitionStats>& stats = topic.partitions;
  nlohmann::json parts = nlohmann::json::array();
  for (const log::PartitionStats& s : stats) {
    parts.push_back({{"partition", s.partition.value()},
                     {"start_offset", s.start_offset.value()},
                     {"end_offset", s.end_offset.value()},
                     {"records", s.records},
                     {"bytes", s.bytes},
                     {"segments", s.segments},
                     {"min_timestamp", OptionalTimestamp(s.min_timestamp)},
                     {"max_timestamp", OptionalTimestamp(s.max_timestamp)}});
  }
  return {{"name", topic.name},
          {"partition_count", stats.size()},
          {"config", nlohmann::json::parse(topic.config.ToJson(), nullptr, false)},
          {"partitions", parts}};
}

Status RunDescribe(const GlobalOptions& g, const std::string& name, bool json) {
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa topic describe"));
  ASSIGN_OR_RETURN(TopicDescription topic, log->DescribeTopic(name));
  if (json) {
    fmt::print("{}\n", DescriptionJson(topic).dump());
  } else {
    PrintDescription(topic);
  }
  return log->Close();
}

Status RunDelete(const GlobalOptions& g, const std::string& name) {
  ASSIGN_OR_RETURN(auto log, ConnectLog(g, "kappa topic delete"));
  RETURN_IF_ERROR(log->DeleteTopic(name));
  fmt::print("deleted topic {}\n", name);
  return log->Close();
}

void AddCreate(CLI::App* topic, CommandContext ctx) {
  auto f = std::make_shared<CreateFlags>();
  CLI::App* cmd = topic->add_subcommand("create", "Create a topic");
  cmd->add_option("name", f->name, "Topic name ([A-Za-z0-9._-], up to 249 characters)")
      ->required();
  cmd->add_option("--partitions", f->partitions, "Number of partitions")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--retention-time", f->retention_time,
                  "Delete segments older than this (7d, 12h, 30m, infinite)")
      ->capture_default_str();
  cmd->add_option("--retention-bytes", f->retention_bytes,
                  "Keep at most this much per partition (10GiB, 512MiB, infinite)")
      ->capture_default_str();
  cmd->add_option("--durability", f->durability,
                  "When an append is acknowledged: always (fsync each), group (group "
                  "commit), never (page cache)")
      ->check(CLI::IsMember({"always", "group", "never"}))
      ->capture_default_str();
  cmd->add_option("--segment-bytes", f->segment_bytes, "Roll segments at this size (>= 1MiB)")
      ->capture_default_str();
  ctx.registry->Add(cmd, [g = ctx.globals, f] { return RunCreate(*g, *f); });
}

}  // namespace

void AddTopicCommands(CLI::App* app, CommandContext ctx) {
  CLI::App* topic = app->add_subcommand("topic", "Create, list, describe and delete topics");
  topic->require_subcommand(1);
  AddCreate(topic, ctx);

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = topic->add_subcommand("list", "List topics with their sizes");
  list->add_flag("--json", *list_json, "Print JSON");
  ctx.registry->Add(list, [g = ctx.globals, list_json] { return RunList(*g, *list_json); });

  auto describe = std::make_shared<std::pair<std::string, bool>>();
  CLI::App* desc = topic->add_subcommand(
      "describe", "Show a topic's settings and, per partition, offsets, size and timestamps");
  desc->add_option("name", describe->first, "Topic name")->required();
  desc->add_flag("--json", describe->second, "Print JSON");
  ctx.registry->Add(desc, [g = ctx.globals, describe] {
    return RunDescribe(*g, describe->first, describe->second);
  });

  auto del_name = std::make_shared<std::string>();
  CLI::App* del = topic->add_subcommand("delete", "Delete a topic and all its data");
  del->add_option("name", *del_name, "Topic name")->required();
  ctx.registry->Add(del, [g = ctx.globals, del_name] { return RunDelete(*g, *del_name); });
}

}  // namespace kappa::cli
