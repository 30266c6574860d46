// HTTP endpoints of the pipeline registry (src/pipeline/registry.h), for the
// `kappa pipeline` commands and scripts:
//   GET    /v1/pipelines                       [{"name", "promoted", "versions": [...]}]
//   GET    /v1/pipelines/{name}                {"name", "promoted", "promotions", "versions"}
//   POST   /v1/pipelines/{name}/versions       {"sql", "from", "promote_when_caught_up"}
//                                              -> 201 {"name", "version"}
//   POST   /v1/pipelines/{name}/stop           {"version"?}   (all versions when absent)
//   POST   /v1/pipelines/{name}/start          {"version"}
//   POST   /v1/pipelines/{name}/promote        {"version", "force"?}
//   POST   /v1/pipelines/{name}/retire         {"version"}
//   POST   /v1/pipelines/{name}/rollback
//   DELETE /v1/pipelines/{name}
// A version is a number or "v<N>". Registry calls block (a stop waits for
// the final checkpoint), so they run on a worker thread, never on the I/O
// thread. Errors: {"error": {"message", "code"}} with 400/404/409/500.
#pragma once

#include "pipeline/registry.h"
#include "serve/http_router.h"

namespace kappa::serve {

// `registry` must outlive the router.
void AddPipelineRoutes(Router* router, pipeline::Registry* registry);

}  // namespace kappa::serve
