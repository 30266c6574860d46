#include <gtest/gtest.h>

#include "table/avro/container.h"
#include "table/iceberg/bounds.h"
#include "table/iceberg/manifest.h"
#include "table/iceberg/metadata.h"
#include "table/iceberg/partition.h"
#include "table/iceberg/schema.h"
#include "iceberg_test_util.h"

namespace kappa::table::iceberg {
namespace {

using columnar::DataType;
using columnar::Value;
using testing::EventsSchema;

TEST(IcebergSchemaTest, AssignsIdsTopLevelFirstThenNested) {
  columnar::Schema cs({{"a", DataType::Int64(), false},
                       {"r", DataType::Row({{"x", DataType::Int32()}, {"y", DataType::String()}})},
                       {"b", DataType::Boolean()}});
  auto s = Schema::FromColumnar(cs);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->fields[0].id, 1);
  EXPECT_EQ(s->fields[1].id, 2);
  EXPECT_EQ(s->fields[2].id, 3);
  EXPECT_EQ(s->fields[1].children[0].id, 4);
  EXPECT_EQ(s->FindByName("r.y")->id, 5);
  EXPECT_TRUE(s->fields[0].required);
  EXPECT_EQ(s->HighestFieldId(), 5);
  EXPECT_EQ(PreOrderFieldIds(*s), (std::vector<int32_t>{1, 2, 4, 5, 3}));
  EXPECT_EQ(s->ToColumnar(), cs);
}

TEST(IcebergSchemaTest, JsonRoundTripWithEveryType) {
  columnar::Schema cs({{"b", DataType::Boolean()},     {"i", DataType::Int32()},
                       {"l", DataType::Int64()},       {"d", DataType::Double()},
                       {"m", DataType::Decimal(18, 4)}, {"s", DataType::String()},
                       {"dt", DataType::Date()},       {"ts", DataType::Timestamp()},
                       {"tz", DataType::TimestampLtz()}, {"r", DataType::Row({{"x", DataType::Int32()}})}});
  Schema s = Schema::FromColumnar(cs, 3).value();
  Json j = SchemaToJson(s);
  EXPECT_EQ(j["type"], "struct");
  EXPECT_EQ(j["schema-id"], 3);
  EXPECT_EQ(j["fields"][4]["type"], "decimal(18, 4)");
  EXPECT_EQ(j["fields"][8]["type"], "timestamptz");
  EXPECT_EQ(j["fields"][9]["type"]["type"], "struct");
  EXPECT_EQ(j["fields"][9]["type"]["fields"][0]["id"], 11);
  auto back = SchemaFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, s);
}

TEST(IcebergSchemaTest, RefusesWhatIcebergCannotHold) {
  EXPECT_FALSE(Schema::FromColumnar(columnar::Schema({{"x", DataType::Interval()}})).ok());
  EXPECT_FALSE(Schema::FromColumnar(columnar::Schema({{"bad name", DataType::Int32()}})).ok());
  EXPECT_FALSE(SchemaFromJson(Json::parse(R"({"fields":[{"id":1,"name":"u","required":true,"type":"uuid"}]})")).ok());
}

TEST(IcebergBoundsTest, SingleValueSerialisation) {
  EXPECT_EQ(SerializeValue(Value::Int32(1)).value(), std::string("\x01\0\0\0", 4));
  EXPECT_EQ(SerializeValue(Value::Date(2)).value(), std::string("\x02\0\0\0", 4));
  EXPECT_EQ(SerializeValue(Value::Int64(-1)).value(), std::string(8, '\xff'));
  // Timestamps are stored in microseconds.
  auto ts = SerializeValue(Value::Timestamp(1)).value();
  EXPECT_EQ(ts, std::string("\xe8\x03\0\0\0\0\0\0", 8));
  EXPECT_EQ(DeserializeValue(DataType::Timestamp(), ts).value(), Value::Timestamp(1));
  EXPECT_EQ(SerializeValue(Value::String("hé")).value(), "hé");
  // Decimal: minimal big-endian two's complement.
  EXPECT_EQ(DecimalToBytes(0), std::string(1, '\0'));
  EXPECT_EQ(DecimalToBytes(127), "\x7f");
  EXPECT_EQ(DecimalToBytes(128), std::string("\x00\x80", 2));
  EXPECT_EQ(DecimalToBytes(-1), "\xff");
  EXPECT_EQ(DecimalToBytes(-129), std::string("\xff\x7f", 2));
  for (columnar::Int128 v : {columnar::Int128(0), columnar::Int128(-129), columnar::Int128(123456789012345),
                             -columnar::Pow10(37)}) {
    EXPECT_TRUE(DecimalFromBytes(DecimalToBytes(v)) == v);
  }
  EXPECT_FALSE(DeserializeValue(DataType::Int64(), "abc").ok());
}

TEST(IcebergPartitionTest, DayAndHourTransforms) {
  Schema s = EventsSchema();
  auto spec = MakePartitionSpec(s, {{"ts", Transform::kDay}});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->fields[0].field_id, 1000);
  EXPECT_EQ(spec->fields[0].name, "ts_day");
  EXPECT_EQ(spec->fields[0].source_id, 3);
  EXPECT_EQ(ApplyTransform(Transform::kDay, Value::Timestamp(86400000 + 5)).value(), Value::Date(1));
  EXPECT_EQ(ApplyTransform(Transform::kDay, Value::Timestamp(-1)).value(), Value::Date(-1));
  EXPECT_EQ(ApplyTransform(Transform::kHour, Value::Timestamp(7200000)).value(), Value::Int32(2));
  EXPECT_EQ(PartitionPath(*spec, {Value::Date(19783)}), "ts_day=2024-03-01");
  EXPECT_FALSE(MakePartitionSpec(s, {{"name", Transform::kHour}}).ok());
  EXPECT_FALSE(MakePartitionSpec(s, {{"nope", Transform::kIdentity}}).ok());
  auto back = PartitionSpecFromJson(PartitionSpecToJson(*spec));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *spec);
  SortOrder order{1, {{1, Transform::kIdentity, SortDirection::kDesc, NullOrder::kNullsLast}}};
  EXPECT_EQ(SortOrderFromJson(SortOrderToJson(order)).value(), order);
}

TEST(IcebergMetadataTest, JsonHasEveryRequiredField) {
  Schema s = EventsSchema();
  TableMetadata m = NewTableMetadata("/w/default/t", s, PartitionSpec{}, SortOrder{}, {{"k", "v"}}, 1234);
  Json j = MetadataToJson(m);
  for (const char* key : {"format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
                          "last-column-id", "schemas", "current-schema-id", "partition-specs", "default-spec-id",
                          "last-partition-id", "sort-orders", "default-sort-order-id", "current-snapshot-id",
                          "snapshots", "snapshot-log", "metadata-log", "refs", "properties"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["format-version"], 2);
  EXPECT_EQ(j["last-partition-id"], 999);
  EXPECT_EQ(j["last-column-id"], 4);
  EXPECT_EQ(j["current-snapshot-id"], -1);
  EXPECT_EQ(j["sort-orders"][0]["order-id"], 0);
  EXPECT_EQ(j["table-uuid"].get<std::string>().size(), 36u);
  auto back = MetadataFromJson(j.dump());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, m);
}

TEST(IcebergMetadataTest, SnapshotsRefsAndLogsRoundTrip) {
  TableMetadata m = NewTableMetadata("/w/default/t", EventsSchema(), PartitionSpec{}, SortOrder{}, {}, 1);
  Snapshot s{42, std::nullopt, 1, 100, "/w/default/t/metadata/snap-42.avro",
             {{"operation", "append"}, {"kappa.epoch", "7"}}, 0};
  m.snapshots.push_back(s);
  m.current_snapshot_id = 42;
  m.snapshot_log.push_back({100, 42});
  m.metadata_log.push_back({1, "/w/default/t/metadata/v1.metadata.json"});
  m.refs["main"] = {42, "branch"};
  Json j = MetadataToJson(m);
  EXPECT_EQ(j["refs"]["main"]["snapshot-id"], 42);
  EXPECT_EQ(j["snapshots"][0]["summary"]["operation"], "append");
  EXPECT_EQ(j["snapshots"][0]["summary"]["kappa.epoch"], "7");
  EXPECT_FALSE(j["snapshots"][0].contains("parent-snapshot-id"));
  auto back = MetadataFromJson(j.dump());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(back->SnapshotAsOf(99), nullptr);
  EXPECT_EQ(back->SnapshotAsOf(100)->snapshot_id, 42);
}

TEST(IcebergMetadataTest, MissingRequiredFieldIsRefused) {
  TableMetadata m = NewTableMetadata("/w/t", EventsSchema(), PartitionSpec{}, SortOrder{}, {}, 1);
  Json j = MetadataToJson(m);
  j.erase("last-column-id");
  auto r = MetadataFromJson(j.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("last-column-id"), std::string_view::npos);
  EXPECT_FALSE(MetadataFromJson("{").ok());
}

// Field ids of an Avro record's fields by name.
std::map<std::string, int64_t> FieldIds(const avro::Node& record) {
  std::map<std::string, int64_t> ids;
  for (const avro::FieldDef& f : record.fields) ids[f.name] = f.IntProp("field-id").value_or(-1);
  return ids;
}

const avro::Node& NonNull(const avro::NodePtr& n) {
  if (n->type != avro::Type::kUnion) return *n;
  return *n->branches[1];
}

TEST(IcebergManifestTest, ManifestDecodesWithSpecFieldIds) {
  Schema schema = EventsSchema();
  PartitionSpec spec = MakePartitionSpec(schema, {{"ts", Transform::kDay}}).value();
  DataFile f = testing::MakeDataFile("/t/data/a.parquet", 10, 1, 9, {Value::Date(19783)});
  f.split_offsets = {4};
  ManifestContext ctx{&schema, &spec, ManifestContent::kData, 77, 5};
  std::vector<ManifestEntry> entries = {{EntryStatus::kAdded, 77, 5, 5, f}};
  ManifestEntry existing{EntryStatus::kExisting, 70, 3, 3, testing::MakeDataFile("/t/data/b.parquet", 2, 0, 0, {Value::Date(19000)})};
  entries.push_back(existing);
  auto encoded = EncodeManifest("/t/metadata/m0.avro", ctx, entries);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->file.manifest_length, static_cast<int64_t>(encoded->bytes.size()));
  EXPECT_EQ(encoded->file.added_files_count, 1);
  EXPECT_EQ(encoded->file.existing_files_count, 1);
  EXPECT_EQ(encoded->file.min_sequence_number, 3);
  ASSERT_EQ(encoded->file.partitions.size(), 1u);
  EXPECT_EQ(encoded->file.partitions[0].lower_bound, SerializeValue(Value::Date(19000)).value());

  auto container = avro::ReadContainer(encoded->bytes);
  ASSERT_TRUE(container.ok());
  auto& meta = container->metadata;
  EXPECT_EQ(meta["format-version"], "2");
  EXPECT_EQ(meta["content"], "data");
  EXPECT_EQ(meta["partition-spec-id"], "0");
  EXPECT_EQ(meta["schema-id"], "0");
  EXPECT_EQ(Json::parse(meta["partition-spec"])[0]["field-id"], 1000);
  EXPECT_EQ(Json::parse(meta["schema"])["fields"].size(), 4u);
  const avro::Node& entry = *container->schema;
  EXPECT_EQ(entry.name, "manifest_entry");
  EXPECT_EQ(FieldIds(entry), (std::map<std::string, int64_t>{
                                 {"status", 0}, {"snapshot_id", 1}, {"data_file", 2},
                                 {"sequence_number", 3}, {"file_sequence_number", 4}}));
  const avro::Node& df = *entry.fields[4].type;
  EXPECT_EQ(df.name, "r2");
  auto ids = FieldIds(df);
  EXPECT_EQ(ids["content"], 134);
  EXPECT_EQ(ids["file_path"], 100);
  EXPECT_EQ(ids["partition"], 102);
  EXPECT_EQ(ids["lower_bounds"], 125);
  EXPECT_EQ(ids["referenced_data_file"], 143);
  const avro::Node& part = *df.fields[static_cast<size_t>(df.FieldIndex("partition"))].type;
  EXPECT_EQ(part.name, "r102");
  EXPECT_EQ(part.fields[0].name, "ts_day");
  EXPECT_EQ(part.fields[0].IntProp("field-id"), 1000);
  const avro::Node& sizes = NonNull(df.fields[static_cast<size_t>(df.FieldIndex("column_sizes"))].type);
  EXPECT_EQ(sizes.items->name, "k117_v118");
  EXPECT_EQ(sizes.props["logicalType"], "map");
  EXPECT_EQ(FieldIds(*sizes.items), (std::map<std::string, int64_t>{{"key", 117}, {"value", 118}}));
  // ADDED entries leave snapshot id and sequence numbers null.
  EXPECT_TRUE(container->data[0].items[1].is_null());
  EXPECT_TRUE(container->data[0].items[2].is_null());
  EXPECT_FALSE(container->data[1].items[2].is_null());

  ManifestFile list_entry = encoded->file;
  auto decoded = DecodeManifest(encoded->bytes, list_entry, schema, spec);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, entries);  // inherited values filled back in
}

TEST(IcebergManifestTest, ManifestListDecodesWithSpecFieldIds) {
  ManifestFile m;
  m.manifest_path = "/t/metadata/m0.avro";
  m.manifest_length = 1234;
  m.content = ManifestContent::kDeletes;
  m.sequence_number = 4;
  m.min_sequence_number = 2;
  m.added_snapshot_id = 99;
  m.added_files_count = 3;
  m.added_rows_count = 30;
  m.partitions = {{true, std::nullopt, std::string("\x01\0\0\0", 4), std::string("\x09\0\0\0", 4)}};
  auto bytes = EncodeManifestList({99, 98, 4}, {m});
  ASSERT_TRUE(bytes.ok());
  auto container = avro::ReadContainer(*bytes);
  ASSERT_TRUE(container.ok());
  EXPECT_EQ(container->metadata["snapshot-id"], "99");
  EXPECT_EQ(container->metadata["parent-snapshot-id"], "98");
  EXPECT_EQ(container->metadata["sequence-number"], "4");
  EXPECT_EQ(container->metadata["format-version"], "2");
  auto ids = FieldIds(*container->schema);
  EXPECT_EQ(container->schema->name, "manifest_file");
  EXPECT_EQ(ids, (std::map<std::string, int64_t>{
                     {"manifest_path", 500}, {"manifest_length", 501}, {"partition_spec_id", 502},
                     {"added_snapshot_id", 503}, {"added_files_count", 504}, {"existing_files_count", 505},
                     {"deleted_files_count", 506}, {"partitions", 507}, {"added_rows_count", 512},
                     {"existing_rows_count", 513}, {"deleted_rows_count", 514}, {"sequence_number", 515},
                     {"min_sequence_number", 516}, {"content", 517}, {"key_metadata", 519}}));
  const avro::Node& parts = NonNull(container->schema->fields[13].type);
  EXPECT_EQ(parts.props["element-id"], 508);
  EXPECT_EQ(parts.items->name, "r508");
  EXPECT_EQ(FieldIds(*parts.items), (std::map<std::string, int64_t>{
                                        {"contains_null", 509}, {"contains_nan", 518},
                                        {"lower_bound", 510}, {"upper_bound", 511}}));
  auto back = DecodeManifestList(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], m);
}

TEST(IcebergManifestTest, CorruptManifestIsAnError) {
  Schema schema = EventsSchema();
  PartitionSpec spec;
  ManifestContext ctx{&schema, &spec, ManifestContent::kData, 1, 1};
  auto encoded = EncodeManifest("/m.avro", ctx, {{EntryStatus::kAdded, 1, 1, 1, testing::MakeDataFile("/a", 1, 1, 1)}});
  ASSERT_TRUE(encoded.ok());
  std::string bytes = encoded->bytes;
  bytes.resize(bytes.size() - 20);
  EXPECT_FALSE(DecodeManifest(bytes, encoded->file, schema, spec).ok());
  EXPECT_FALSE(DecodeManifestList("Obj\x01garbage").ok());
}

}  // namespace
}  // namespace kappa::table::iceberg
