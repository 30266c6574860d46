// Rendering of pipeline status JSON (the shape GET /v1/pipelines/{name}
// returns, documented in src/serve/pipelines_api.h and src/pipeline/README.md)
// for terminals: one block per version with offsets against the end of the
// log, lag in records and event time, events/s, ETA and a progress bar.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "base/status.h"
#include "nlohmann/json.hpp"

namespace kappa::cli {

namespace pipeline_view {
// "2" or "v2" -> 2.
Result<int> ParseVersionArg(const std::string& text);
}  // namespace pipeline_view

// The version object with that number in a pipeline's status, or nullptr.
const nlohmann::json* FindVersionJson(const nlohmann::json& pipeline, int version);
// "[#########.........]  45.1%  1,234,567 / 2,738,000 records  412,000 ev/s  ETA 3s"
std::string ProgressLine(const nlohmann::json& version, int bar_width);
// One row of `kappa pipeline list`: PIPELINE VERSION STATE PROMOTED LAG EVENTS/S.
std::vector<std::string> VersionListRow(const std::string& name, const nlohmann::json& version);
// The full `kappa pipeline status` text.
void PrintPipelineStatus(const nlohmann::json& pipeline, bool tty, std::FILE* out);
// "1.5s", "3m 20s", "2h 5m", "4d 3h".
std::string FormatDurationMillis(int64_t ms);

}  // namespace kappa::cli
