#include "engine/bounded_query.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "engine/planner.h"
#include "engine/runtime/dataflow.h"
#include "engine/sink/sink.h"
#include "engine/source/scan_analysis.h"
#include "engine/source/table_source.h"

namespace kappa::engine {

namespace {

// Collects the rows of every task into one list. Stage is called by every
// task's thread; a lock per batch.
class CollectSink final : public Sink {
 public:
  std::string name() const override { return "query result"; }
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int /*task*/) override {
    return std::unique_ptr<SinkWriter>(new Writer(this));
  }
  Status Commit(Epoch /*epoch*/, const std::vector<std::string>& /*payloads*/) override {
    return OkStatus();
  }
  Result<std::optional<Epoch>> LastCommittedEpoch() override { return std::optional<Epoch>(); }

  std::vector<columnar::Batch> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(batches_);
  }

 private:
  class Writer final : public SinkWriter {
   public:
    explicit Writer(CollectSink* sink) : sink_(sink) {}
    Status Stage(const columnar::Batch& batch) override {
      columnar::Batch b = batch.Compact();
      b.kinds.clear();
      std::lock_guard<std::mutex> lock(sink_->mu_);
      sink_->batches_.push_back(std::move(b));
      return OkStatus();
    }
    Result<std::string> PrepareCommit(Epoch /*epoch*/) override { return std::string(); }
    size_t staged_bytes() const override { return 0; }

   private:
    CollectSink* sink_;
  };

  std::mutex mu_;
  std::vector<columnar::Batch> batches_;
};

}  // namespace

size_t QueryResult::num_rows() const {
  size_t n = 0;
  for (const columnar::Batch& b : batches) n += b.active_rows();
  return n;
}

std::vector<std::vector<columnar::Value>> QueryResult::Rows() const {
  std::vector<std::vector<columnar::Value>> out;
  for (const columnar::Batch& b : batches) {
    for (size_t i = 0; i < b.active_rows(); ++i) out.push_back(b.GetRow(i));
  }
  return out;
}

Result<QueryResult> RunBoundedQuery(const sql::PlanPtr& plan, const QueryOptions& options) {
  if (plan == nullptr) return Internal("null query plan");
  CollectSink sink;
  ASSIGN_OR_RETURN(PhysicalPlan physical, PlanQuery(plan, &sink));
  std::vector<std::unique_ptr<TopicSource>> topics;
  std::vector<const TopicSource*> topic_ptrs;
  std::vector<std::unique_ptr<TableScan>> scans;
  std::vector<ChunkStreamFactory*> scan_ptrs;
  int32_t partitions = 1;
  int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (const PhysicalSource& src : physical.sources) {
    scan_ptrs.push_back(nullptr);
    if (src.table == nullptr) {
      topic_ptrs.push_back(nullptr);
      continue;
    }
    if (IsServingTable(*src.table)) {
      ScanNeeds needs = AnalyzeScan(*plan, src.table.get());
      ASSIGN_OR_RETURN(std::unique_ptr<TableScan> scan,
                       TableScan::Open(src.table, options.catalog, {needs.columns, needs.filter}));
      partitions = std::max<int32_t>(partitions, static_cast<int32_t>(
                                                     std::min<size_t>(scan->planned_files() * 4, cores)));
      scan_ptrs.back() = scan.get();
      scans.push_back(std::move(scan));
      topic_ptrs.push_back(nullptr);
      continue;
    }
    if (!src.table->Option("properties.bootstrap.servers").empty()) {
      return Unimplemented("table {}: queries over external Kafka clusters "
                           "('properties.bootstrap.servers') are not supported yet; pipelines "
                           "read them", src.table->name);
    }
    if (options.log == nullptr) return Invalid("a query over topics needs a log");
    ASSIGN_OR_RETURN(std::unique_ptr<TopicSource> t, TopicSource::Open(src.table, options.log));
    partitions = std::max(partitions, t->partitions());
    topics.push_back(std::move(t));
    topic_ptrs.push_back(topics.back().get());
  }
  DataflowSpec spec;
  spec.plan = &physical;
  spec.topics = topic_ptrs;
  spec.tables = scan_ptrs;
  spec.bounded = true;
  spec.committed = options.committed_offsets;
  spec.parallelism = options.parallelism > 0 ? options.parallelism : std::min(partitions, cores);
  spec.task_options.idle_wait_ms = 1;
  ASSIGN_OR_RETURN(std::unique_ptr<Dataflow> df, Dataflow::Build(std::move(spec)));
  RETURN_IF_ERROR(df->Start());
  Status st = df->control().WaitFinished();
  df->Stop();
  RETURN_IF_ERROR(st);
  QueryResult result;
  result.schema = plan->schema;
  result.batches = sink.Take();
  result.malformed = df->counters().malformed.load();
  result.late = df->counters().late.load();
  return result;
}

}  // namespace kappa::engine
