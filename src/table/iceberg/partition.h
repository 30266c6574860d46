// Partition specs and sort orders of an Iceberg table, with their JSON forms.
// Transforms: identity (any primitive column), day and hour (of a TIMESTAMP
// or TIMESTAMP_LTZ column; day also of DATE). Partition values are
// columnar::Values of the transform's result type: identity -> the column's
// type, day -> DATE (days since 1970-01-01), hour -> INT (hours since
// 1970-01-01 00:00). Partition field ids start at 1000; the partition field
// name defaults to "<column>" (identity) or "<column>_day" / "<column>_hour".
// All types here are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/value.h"
#include "table/iceberg/schema.h"

namespace kappa::table::iceberg {

enum class Transform { kIdentity, kDay, kHour };

std::string_view TransformName(Transform t);
Result<Transform> ParseTransform(std::string_view name);

struct PartitionField {
  int32_t source_id = 0;
  int32_t field_id = 0;
  std::string name;
  Transform transform = Transform::kIdentity;

  friend bool operator==(const PartitionField&, const PartitionField&) = default;
};

inline constexpr int32_t kFirstPartitionFieldId = 1000;
// last-partition-id of a table that has never been partitioned.
inline constexpr int32_t kUnpartitionedLastId = 999;

struct PartitionSpec {
  int32_t spec_id = 0;
  std::vector<PartitionField> fields;

  bool unpartitioned() const { return fields.empty(); }
  int32_t LastFieldId() const;  // kUnpartitionedLastId when unpartitioned
  friend bool operator==(const PartitionSpec&, const PartitionSpec&) = default;
};

// One requested partition column: PARTITIONED BY (day(ts)) is {"ts", kDay}.
struct PartitionRequest {
  std::string column;
  Transform transform = Transform::kIdentity;
};

// Builds a spec over `schema`; ids from kFirstPartitionFieldId. Invalid for
// an unknown column or a transform the column's type does not allow.
Result<PartitionSpec> MakePartitionSpec(const Schema& schema, const std::vector<PartitionRequest>& requests,
                                        int32_t spec_id = 0);

// The type of a partition field's values.
Result<columnar::DataType> PartitionFieldType(const Schema& schema, const PartitionField& field);
// Applies `t` to a column value (NULL stays NULL).
Result<columnar::Value> ApplyTransform(Transform t, const columnar::Value& value);
// "ts_day=2024-03-01/region=eu": a directory for data files of a partition,
// with values escaped to [A-Za-z0-9._-] and %XX.
std::string PartitionPath(const PartitionSpec& spec, const std::vector<columnar::Value>& partition);

Json PartitionSpecToJson(const PartitionSpec& spec);
Result<PartitionSpec> PartitionSpecFromJson(const Json& json);
// The "fields" array alone, as manifest metadata "partition-spec" carries it.
Json PartitionFieldsToJson(const PartitionSpec& spec);

enum class SortDirection { kAsc, kDesc };
enum class NullOrder { kNullsFirst, kNullsLast };

struct SortField {
  int32_t source_id = 0;
  Transform transform = Transform::kIdentity;
  SortDirection direction = SortDirection::kAsc;
  NullOrder null_order = NullOrder::kNullsFirst;

  friend bool operator==(const SortField&, const SortField&) = default;
};

// Order id 0 is reserved for "unsorted" (no fields).
struct SortOrder {
  int32_t order_id = 0;
  std::vector<SortField> fields;

  friend bool operator==(const SortOrder&, const SortOrder&) = default;
};

Json SortOrderToJson(const SortOrder& order);
Result<SortOrder> SortOrderFromJson(const Json& json);

}  // namespace kappa::table::iceberg
