// Idempotent-producer bookkeeping: the broker side of enable.idempotence.
// Each (producer id, partition) remembers the sequence ranges of its last
// five appended batches (a client keeps at most five in flight), so a retried
// batch is recognised and answered with its original offset instead of being
// appended twice, and a gap in sequences is refused. Producer ids come from
// InitProducerId; they are unique across restarts (derived from the start
// time of the server, then counted up).
//
// Across restarts: the state lives in memory only, but every batch carries
// its producer id, epoch and base sequence, so the state of a partition is
// rebuilt from the headers of its last batches (Rebuild, with
// Partition::TailHeaders(kRebuildScanBytes)) before its first idempotent
// batch after a start is checked. A batch retried after a restart is then
// still recognised, unless more than kRebuildScanBytes of the partition
// were written after it (Kafka keeps snapshots for that; Kappa does not).
//
// Thread rules: not thread-safe; used from the io_context's thread, where
// produce requests are handled in arrival order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "log/record_batch.h"

namespace kappa::kafka {

class ProducerState {
 public:
  enum class Verdict {
    kAppend,        // new batch in sequence: append it, then call Record
    kDuplicate,     // already appended: answer with duplicate_offset
    kOutOfOrder,    // OUT_OF_ORDER_SEQUENCE_NUMBER
    kFencedEpoch,   // INVALID_PRODUCER_EPOCH: an older epoch of this producer
    kUnknown,       // not an idempotent batch (producer id -1): append
  };
  struct Check {
    Verdict verdict;
    int64_t duplicate_offset = -1;
  };

  explicit ProducerState(int64_t first_id);

  // InitProducerId: a fresh id with epoch 0.
  std::pair<int64_t, int16_t> NewProducer();

  // How much of a partition's tail Rebuild is meant to see.
  static constexpr uint64_t kRebuildScanBytes = uint64_t{16} << 20;

  // Whether (topic, partition) was rebuilt since this state was created.
  bool Loaded(const std::string& topic, int32_t partition) const;
  // Replays the producer fields of the partition's last stored batches
  // (oldest first, base offsets as assigned by the log) and marks it loaded.
  // Non-idempotent and control batches are skipped.
  void Rebuild(const std::string& topic, int32_t partition,
               const std::vector<log::BatchHeader>& tail);
  // A deleted topic: forget its producers and that it was loaded.
  void Forget(const std::string& topic);

  Check CheckBatch(const std::string& topic, int32_t partition, int64_t producer_id,
                   int16_t epoch, int32_t base_sequence, int32_t record_count) const;
  void Record(const std::string& topic, int32_t partition, int64_t producer_id, int16_t epoch,
              int32_t base_sequence, int32_t record_count, int64_t base_offset);

 private:
  struct BatchInfo {
    int32_t first_seq;
    int32_t last_seq;
    int64_t base_offset;
  };
  struct Entry {
    int16_t epoch = 0;
    std::deque<BatchInfo> recent;  // oldest first, at most kRemembered
  };
  static constexpr size_t kRemembered = 5;
  using Key = std::tuple<int64_t, std::string, int32_t>;

  int64_t next_id_;
  std::map<Key, Entry> entries_;
  std::set<std::pair<std::string, int32_t>> loaded_;
};

}  // namespace kappa::kafka
