// Kafka's default partitioner for keyed records, so that Kappa's writers and
// every Kafka client put a key in the same partition:
//   partition = (murmur2(key bytes) & 0x7fffffff) % partition_count
// with Kafka's murmur2 variant (seed 0x9747b28c, as in
// org.apache.kafka.common.utils.Utils.murmur2). Pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace kappa::format {

int32_t Murmur2(std::string_view key);

// REQUIRES: partition_count > 0.
int32_t PartitionForKey(std::string_view key, int32_t partition_count);

}  // namespace kappa::format
