#include "sql/compile.h"

#include "sql/binder.h"
#include "sql/parser.h"
#include "sql/source_error.h"

namespace kappa::sql {

namespace {

// CREATE TABLE / VIEW / DROP into the statement-local catalog; shared by
// pipelines and queries.
Status Define(Binder& binder, MemoryCatalog& catalog, const ast::Statement& s,
              std::vector<std::shared_ptr<const TableDef>>* tables, std::vector<Insert>* inserts) {
  if (s.kind == ast::StatementKind::kCreateTable) {
    const ast::CreateTable& ct = *s.create_table;
    if (catalog.HoldsLocally(ct.name)) {
      if (ct.if_not_exists) return OkStatus();
      return binder.Error(s.pos, fmt::format("table '{}' already exists", ct.name));
    }
    std::shared_ptr<TableDef> table;
    if (ct.as_query) {
      if (inserts == nullptr) {
        return Unsupported(binder.sql(), s.pos, "CREATE TABLE ... AS SELECT in a query");
      }
      ASSIGN_OR_RETURN(Relation rel, binder.BindQuery(*ct.as_query));
      ast::CreateTable shape = ct;
      for (const columnar::Field& f : rel.plan->schema.fields()) {
        ast::ColumnDef c;
        c.name = f.name;
        c.type = f.type;
        c.not_null = !f.nullable;
        shape.columns.push_back(c);
      }
      ASSIGN_OR_RETURN(table, binder.BindCreateTable(shape));
      ASSIGN_OR_RETURN(PlanPtr plan, binder.MapToSink(rel, *table, {}, {}, s.pos));
      inserts->push_back(Insert{table, plan});
    } else {
      ASSIGN_OR_RETURN(table, binder.BindCreateTable(ct));
    }
    catalog.AddTable(table);
    if (tables) tables->push_back(table);
    return OkStatus();
  }
  if (s.kind == ast::StatementKind::kCreateView) {
    const ast::CreateView& cv = *s.create_view;
    if (catalog.HoldsLocally(cv.name)) {
      if (cv.if_not_exists) return OkStatus();
      return binder.Error(s.pos, fmt::format("view '{}' already exists", cv.name));
    }
    ASSIGN_OR_RETURN(auto view, binder.BindCreateView(cv));
    catalog.AddView(view);
    return OkStatus();
  }
  // DROP
  if (!catalog.Remove(s.drop_name) && !s.if_exists) {
    return binder.Error(s.pos, fmt::format("{} '{}' not found", s.drop_view ? "view" : "table",
                                           s.drop_name));
  }
  if (tables && !s.drop_view) {
    std::erase_if(*tables, [&](const auto& t) { return t->name == s.drop_name; });
  }
  return OkStatus();
}

bool IsDefinition(ast::StatementKind k) {
  return k == ast::StatementKind::kCreateTable || k == ast::StatementKind::kCreateView ||
         k == ast::StatementKind::kDrop;
}

}  // namespace

Result<Pipeline> CompilePipeline(std::string_view sql, const Catalog* outer) {
  ASSIGN_OR_RETURN(std::vector<ast::Statement> statements, ParseScript(sql));
  MemoryCatalog catalog(outer);
  Binder binder(sql, catalog, BindMode::kStreaming);
  Pipeline pipeline;
  for (const ast::Statement& s : statements) {
    if (IsDefinition(s.kind)) {
      RETURN_IF_ERROR(Define(binder, catalog, s, &pipeline.tables, &pipeline.inserts));
    } else if (s.kind == ast::StatementKind::kSet) {
      pipeline.settings[s.key] = s.value;
    } else if (s.kind == ast::StatementKind::kInsert) {
      ASSIGN_OR_RETURN(Insert insert, binder.BindInsert(*s.insert));
      pipeline.inserts.push_back(std::move(insert));
    } else if (s.kind == ast::StatementKind::kQuery) {
      return binder.Error(s.pos, "a pipeline writes its results with INSERT INTO; a bare SELECT "
                                 "is only allowed in queries");
    } else {
      return binder.Error(s.pos, "EXPLAIN is not allowed in a pipeline file");
    }
  }
  if (pipeline.inserts.empty()) {
    return binder.Error(sql.size(), "a pipeline needs at least one INSERT INTO statement");
  }
  return pipeline;
}

Result<BoundQuery> CompileQuery(std::string_view sql, const Catalog& outer) {
  ASSIGN_OR_RETURN(std::vector<ast::Statement> statements, ParseScript(sql));
  MemoryCatalog catalog(&outer);
  Binder binder(sql, catalog, BindMode::kBounded);
  BoundQuery out;
  for (size_t i = 0; i < statements.size(); ++i) {
    const ast::Statement& s = statements[i];
    bool last = i + 1 == statements.size();
    if (IsDefinition(s.kind)) {
      if (last) return binder.Error(sql.size(), "expected a query (SELECT ...) at the end");
      RETURN_IF_ERROR(Define(binder, catalog, s, nullptr, nullptr));
      continue;
    }
    const ast::Statement* query = &s;
    if (s.kind == ast::StatementKind::kExplain) {
      out.explain = true;
      query = s.explained.get();
    }
    if (query->kind != ast::StatementKind::kQuery) {
      return binder.Error(query->pos, query->kind == ast::StatementKind::kInsert
                                          ? "INSERT INTO belongs in a pipeline, not in a query"
                                          : "expected a query (SELECT ...)");
    }
    if (!last) {
      return binder.Error(statements[i + 1].pos, "a query is one SELECT; nothing may follow it");
    }
    ASSIGN_OR_RETURN(Relation rel, binder.BindQuery(*query->query));
    out.plan = rel.plan;
    out.schema = rel.plan->schema;
    if (out.explain) out.explain_text = ExplainPlan(*out.plan);
    return out;
  }
  return binder.Error(sql.size(), "expected a query (SELECT ...)");
}

std::string ExplainPlan(const Plan& plan) {
  return plan.ToString() + "Schema: " + plan.schema.ToString() + "\n";
}

std::string ExplainPipeline(const Pipeline& pipeline) {
  std::string out;
  for (const auto& [k, v] : pipeline.settings) out += fmt::format("SET '{}' = '{}'\n", k, v);
  for (const Insert& insert : pipeline.inserts) {
    out += fmt::format("INSERT INTO {}\n", insert.target->name);
    out += insert.query->ToString(1);
  }
  return out;
}

}  // namespace kappa::sql
