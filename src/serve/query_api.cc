#include "serve/query_api.h"

#include <cmath>

#include "columnar/value.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace kappa::serve {
namespace {

using columnar::Column;
using columnar::TypeId;
using nlohmann::json;

void AppendJsonString(std::string_view s, std::string* out) {
  out->append(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
}

void AppendDoubleJson(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  }
}

void AppendJsonValue(const Column& col, size_t row, std::string* out) {
  if (col.IsNull(row) || col.type().id() == TypeId::kNull) {
    out->append("null");
    return;
  }
  switch (col.type().id()) {
    case TypeId::kBoolean: out->append(col.values<uint8_t>()[row] ? "true" : "false"); return;
    case TypeId::kInt32: fmt::format_to(std::back_inserter(*out), "{}", col.values<int32_t>()[row]); return;
    case TypeId::kInt64: fmt::format_to(std::back_inserter(*out), "{}", col.values<int64_t>()[row]); return;
    case TypeId::kDouble: AppendDoubleJson(col.values<double>()[row], out); return;
    case TypeId::kDecimal:
      out->append(columnar::FormatDecimal(col.values<columnar::Int128>()[row], col.type().scale()));
      return;
    case TypeId::kString: AppendJsonString(col.GetString(row), out); return;
    case TypeId::kDate: AppendJsonString(columnar::FormatDate(col.values<int32_t>()[row]), out); return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      AppendJsonString(columnar::FormatTimestamp(col.values<int64_t>()[row]), out);
      return;
    default: AppendJsonString(col.Get(row).ToString(), out); return;
  }
}

// The CSV text of one cell (before quoting); NULL is empty.
std::string CsvText(const Column& col, size_t row) {
  if (col.IsNull(row) || col.type().id() == TypeId::kNull) return "";
  switch (col.type().id()) {
    case TypeId::kBoolean: return col.values<uint8_t>()[row] ? "true" : "false";
    case TypeId::kString: return std::string(col.GetString(row));
    default: return col.Get(row).ToString();
  }
}

void AppendCsvField(const std::string& s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

HttpResponse QueryError(const Status& s) { return JsonError(QueryHttpStatus(s), s.message()); }

Awaitable<HttpResponse> RunQuery(QueryRunner* runner, HttpRequest& req) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("sql") || !body["sql"].is_string()) {
    co_return JsonError(400, "expected a JSON body {\"sql\": \"...\"}");
  }
  // Named arguments: g++ 12 mishandles temporaries in co_await expressions.
  std::string sql = body["sql"].get<std::string>();
  QueryOptions options;
  Result<QueryResult> result = co_await runner->Execute(std::move(sql), std::move(options));
  if (!result.ok()) co_return QueryError(result.status());
  auto accept = req.headers.find("accept");
  bool csv = req.Query("format") == "csv" ||
             (accept != req.headers.end() && accept->second.find("text/csv") != std::string::npos);
  if (csv) {
    co_return HttpResponse{200, "text/csv", ResultCsv(*result), {}};
  }
  co_return HttpResponse{200, "application/json", ResultJson(*result), {}};
}

}  // namespace

int QueryHttpStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kCancelled:
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

std::string ResultJson(const QueryResult& result) {
  json columns = json::array();
  for (const columnar::Field& f : result.schema.fields()) {
    columns.push_back({{"name", f.name}, {"type", f.type.ToString()}});
  }
  std::string out = "{\"columns\":" + columns.dump(-1, ' ', false, json::error_handler_t::replace) +
                    ",\"rows\":[";
  bool first = true;
  for (const columnar::Batch& batch : result.batches) {
    for (size_t i = 0; i < batch.active_rows(); ++i) {
      out.append(first ? "[" : ",[");
      first = false;
      uint32_t row = batch.row(i);
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) out.push_back(',');
        AppendJsonValue(*batch.columns[c], row, &out);
      }
      out.push_back(']');
    }
  }
  out.append("]}\n");
  return out;
}

std::string ResultCsv(const QueryResult& result) {
  std::string out;
  for (size_t c = 0; c < result.schema.size(); ++c) {
    if (c > 0) out.push_back(',');
    AppendCsvField(result.schema.field(c).name, &out);
  }
  out.append("\r\n");
  for (const columnar::Batch& batch : result.batches) {
    for (size_t i = 0; i < batch.active_rows(); ++i) {
      uint32_t row = batch.row(i);
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) out.push_back(',');
        AppendCsvField(CsvText(*batch.columns[c], row), &out);
      }
      out.append("\r\n");
    }
  }
  return out;
}

void AddQueryRoutes(Router* router, QueryRunner* runner) {
  router->Add("POST /v1/query", [runner](HttpRequest& req) { return RunQuery(runner, req); });
}

}  // namespace kappa::serve
