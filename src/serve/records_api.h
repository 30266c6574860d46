// HTTP produce and consume over the log, for the CLI and for scripts:
//
//   POST /v1/topics/{name}/records?key_field=F&timestamp_field=F&partition=P&raw=1&line_base=N
//        body: one JSON value per line (blank lines skipped), partitioned and
//        batched as `kappa produce` does (format/json_line_batcher.h). Nothing
//        is appended unless every line is valid; a bad line answers 400 with
//        {"error": {"message": "line N: ...", "code", "line": N}} (lines count
//        from line_base, default 1). Appends, waits until durable, answers
//        {"records": n, "partitions": [{"partition", "base_offset",
//        "last_offset"}]}. An unknown topic is created (default settings)
//        when auto_create_topics, else 404.
//   GET  /v1/topics/{name}/records?partition=P&offset=O|from=F|offsets=P:O,..
//        &max=N&timeout_ms=T&value_format=json|string|base64
//        F is earliest (default), latest, an offset or an ISO-8601 timestamp;
//        without partition every partition is read in turn. Answers
//        {"records": [{"partition", "offset", "timestamp", "key", "value",
//        "headers"}], "next_offsets": {"P": O}}; with value_format=json
//        (default) a value that parses as JSON is embedded as JSON, else as a
//        string; base64 encodes keys, values and header values. When nothing
//        is readable it long-polls up to timeout_ms (at most 30 s).
//   GET  /v1/topics/{name}/batches?partition=P&offset=O&max_bytes=B&timeout_ms=T
//        the stored record batches (v2, as appended) from the one holding O,
//        application/octet-stream; headers X-Kappa-Next-Offset,
//        X-Kappa-High-Watermark, X-Kappa-Start-Offset. Long-polls like above.
//   POST /v1/topics/{name}/batches?partition=P
//        body: one or more record batches v2; appends them in order, waits
//        until durable, answers {"base_offset", "last_offset", "batches"}. A
//        bad batch (CRC, magic, length) answers 400; batches before it stay.
//
// Handlers run on the io thread and never block it on durability or on
// waiting for data (Partition::OnDurable, steady_timer polling).
#pragma once

#include "log/log.h"
#include "serve/http_router.h"

namespace kappa::serve {

struct RecordsApiOptions {
  bool auto_create_topics = true;
};

// `log` must outlive the router.
void AddRecordRoutes(Router* router, log::Log* log, const RecordsApiOptions& options);

}  // namespace kappa::serve
