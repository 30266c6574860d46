#include "kafka/broker/producer_state.h"

namespace kappa::kafka {

namespace {
// Sequences wrap from INT32_MAX to 0, as the protocol specifies.
int32_t NextSequence(int32_t seq, int32_t count) {
  int64_t next = static_cast<int64_t>(seq) + count;
  return static_cast<int32_t>(next % (int64_t{INT32_MAX} + 1));
}
}  // namespace

ProducerState::ProducerState(int64_t first_id) : next_id_(first_id) {}

std::pair<int64_t, int16_t> ProducerState::NewProducer() { return {next_id_++, 0}; }

bool ProducerState::Loaded(const std::string& topic, int32_t partition) const {
  return loaded_.contains({topic, partition});
}

void ProducerState::Rebuild(const std::string& topic, int32_t partition,
                            const std::vector<log::BatchHeader>& tail) {
  for (const log::BatchHeader& h : tail) {
    if (h.producer_id < 0 || h.is_control()) continue;
    Record(topic, partition, h.producer_id, h.producer_epoch, h.base_sequence, h.records_count,
           h.base_offset);
  }
  loaded_.insert({topic, partition});
}

void ProducerState::Forget(const std::string& topic) {
  std::erase_if(entries_, [&](const auto& e) { return std::get<1>(e.first) == topic; });
  std::erase_if(loaded_, [&](const auto& p) { return p.first == topic; });
}

ProducerState::Check ProducerState::CheckBatch(const std::string& topic, int32_t partition,
                                               int64_t producer_id, int16_t epoch,
                                               int32_t base_sequence,
                                               int32_t record_count) const {
  if (producer_id < 0) return {Verdict::kUnknown};
  auto it = entries_.find(Key{producer_id, topic, partition});
  if (it == entries_.end()) {
    // A producer's first batch to a partition starts at sequence 0. After a
    // broker restart its history is gone; accept and start tracking.
    return {Verdict::kAppend};
  }
  const Entry& e = it->second;
  if (epoch < e.epoch) return {Verdict::kFencedEpoch};
  if (epoch > e.epoch) return {base_sequence == 0 ? Verdict::kAppend : Verdict::kOutOfOrder};
  for (const BatchInfo& b : e.recent) {
    if (b.first_seq == base_sequence) return {Verdict::kDuplicate, b.base_offset};
  }
  int32_t expected = NextSequence(e.recent.back().last_seq, 1);
  if (base_sequence != expected) return {Verdict::kOutOfOrder};
  (void)record_count;
  return {Verdict::kAppend};
}

void ProducerState::Record(const std::string& topic, int32_t partition, int64_t producer_id,
                           int16_t epoch, int32_t base_sequence, int32_t record_count,
                           int64_t base_offset) {
  if (producer_id < 0) return;
  Entry& e = entries_[Key{producer_id, topic, partition}];
  if (epoch != e.epoch) e.recent.clear();
  e.epoch = epoch;
  int32_t last = NextSequence(base_sequence, record_count - 1);
  e.recent.push_back(BatchInfo{base_sequence, last, base_offset});
  while (e.recent.size() > kRemembered) e.recent.pop_front();
}

}  // namespace kappa::kafka
