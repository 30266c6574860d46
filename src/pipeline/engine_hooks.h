// The registry's hooks (registry.h) implemented with Kappa's own engine,
// SQL front end and catalog: a version's SQL is compiled by sql::
// CompilePipeline, run by engine::Job, and its sinks get this version's
// physical names:
//   serving table  ns.t      -> ns.t__v<N>   (every version; the alias ns.t
//                                             points at the promoted one)
//   topic          t         -> t for v1, t__v<N> for later versions
//   dead letters   <name>.dlq for v1, <name>__v<N>.dlq later
// Thread-safe as far as the engine and catalog are.
#pragma once

#include <string>

#include "engine/job.h"
#include "log/log.h"
#include "pipeline/registry.h"
#include "table/catalog.h"

namespace kappa::pipeline {

struct EngineEnv {
  log::Log* log = nullptr;             // must outlive the hooks
  table::Catalog* catalog = nullptr;   // must outlive the hooks; may be null (no tables)
  // Makes the sink of a serving table given its physical TableDef (name
  // already suffixed); null: serving-table sinks are refused.
  engine::SinkFactory table_sinks;
  engine::CommittedOffsetLookup committed_offsets;
};

RegistryHooks MakeEngineHooks(EngineEnv env);

// "revenue" / "default.revenue" -> "default.revenue__v2".
std::string PhysicalTableName(const std::string& name, int version);
std::string PhysicalTopicName(const std::string& topic, int version);
// True for 'connector' = 'kafka' / 'upsert-kafka' targets (a topic), false
// for serving tables ('iceberg' or no connector).
bool IsTopicTable(const sql::TableDef& table);

}  // namespace kappa::pipeline
