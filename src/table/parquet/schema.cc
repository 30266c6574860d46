#include "table/parquet/schema.h"

#include <cmath>

namespace kappa::table::parquet {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

int DecimalBytes(int precision) {
  // The fewest n with floor(log10(2^(8n-1) - 1)) >= precision.
  for (int n = 1; n <= 16; ++n) {
    if (std::floor((8.0 * n - 1) * std::log10(2.0)) >= precision) return n;
  }
  return 16;
}

namespace {

// ---- writing ----

LogicalType Logical(LogicalType::Kind kind) {
  LogicalType t;
  t.kind = kind;
  return t;
}

Status DescribeLeaf(const DataType& type, SchemaElement* e, LeafColumn* leaf) {
  leaf->type = type;
  switch (type.id()) {
    case TypeId::kBoolean: e->type = PhysicalType::kBoolean; break;
    case TypeId::kInt32: e->type = PhysicalType::kInt32; break;
    case TypeId::kInt64: e->type = PhysicalType::kInt64; break;
    case TypeId::kDouble: e->type = PhysicalType::kDouble; break;
    case TypeId::kString:
      e->type = PhysicalType::kByteArray;
      e->converted_type = ConvertedType::kUtf8;
      e->logical_type = Logical(LogicalType::Kind::kString);
      leaf->conversion = Conversion::kString;
      break;
    case TypeId::kDate:
      e->type = PhysicalType::kInt32;
      e->converted_type = ConvertedType::kDate;
      e->logical_type = Logical(LogicalType::Kind::kDate);
      leaf->conversion = Conversion::kDateDays;
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      e->type = PhysicalType::kInt64;
      e->converted_type = ConvertedType::kTimestampMicros;
      LogicalType t = Logical(LogicalType::Kind::kTimestamp);
      t.adjusted_to_utc = type.id() == TypeId::kTimestampLtz;
      t.unit = TimeUnit::kMicros;
      e->logical_type = t;
      leaf->conversion = Conversion::kTimestampMicros;
      break;
    }
    case TypeId::kDecimal: {
      int p = type.precision();
      if (p <= 9) {
        e->type = PhysicalType::kInt32;
        leaf->conversion = Conversion::kDecimalInt32;
      } else if (p <= 18) {
        e->type = PhysicalType::kInt64;
        leaf->conversion = Conversion::kDecimalInt64;
      } else {
        e->type = PhysicalType::kFixedLenByteArray;
        e->type_length = DecimalBytes(p);
        leaf->type_length = *e->type_length;
        leaf->conversion = Conversion::kDecimalBytes;
      }
      e->converted_type = ConvertedType::kDecimal;
      e->precision = p;
      e->scale = type.scale();
      LogicalType t = Logical(LogicalType::Kind::kDecimal);
      t.precision = p;
      t.scale = type.scale();
      e->logical_type = t;
      break;
    }
    default: return Invalid("parquet: cannot write a column of type {}", type.ToString());
  }
  leaf->physical = *e->type;
  return OkStatus();
}

struct SchemaBuilder {
  std::span<const int32_t> ids;
  size_t next_id = 0;
  WriteSchema out;

  Status Add(const Field& f, std::vector<std::string> path, int parent_def) {
    if (f.name.empty()) return Invalid("parquet: a column has no name");
    if (next_id >= ids.size()) return Invalid("parquet: fewer field ids than fields");
    SchemaElement e;
    e.name = f.name;
    e.repetition = f.nullable ? Repetition::kOptional : Repetition::kRequired;
    e.field_id = ids[next_id++];
    path.push_back(f.name);
    int def = parent_def + (f.nullable ? 1 : 0);
    if (f.type.id() == TypeId::kRow) {
      e.num_children = static_cast<int32_t>(f.type.fields().size());
      out.elements.push_back(std::move(e));
      for (const Field& child : f.type.fields()) RETURN_IF_ERROR(Add(child, path, def));
      return OkStatus();
    }
    LeafColumn leaf;
    leaf.path = path;
    leaf.field_id = *e.field_id;
    leaf.max_def = def;
    leaf.chunk_index = out.leaves.size();
    RETURN_IF_ERROR(DescribeLeaf(f.type, &e, &leaf));
    out.elements.push_back(std::move(e));
    out.leaves.push_back(std::move(leaf));
    return OkStatus();
  }
};

// ---- reading ----

struct Node {
  Field field;
  int32_t field_id = -1;
  std::string unsupported;  // why, when not readable
};

bool IsDecimal(const SchemaElement& e) {
  if (e.logical_type) return e.logical_type->kind == LogicalType::Kind::kDecimal;
  return e.converted_type == ConvertedType::kDecimal;
}

Status DecimalLeaf(const SchemaElement& e, LeafColumn* leaf) {
  int p = e.logical_type ? e.logical_type->precision : e.precision.value_or(0);
  int s = e.logical_type ? e.logical_type->scale : e.scale.value_or(0);
  if (p < 1 || p > 38 || s < 0 || s > p) return Unimplemented("DECIMAL({}, {})", p, s);
  leaf->type = DataType::Decimal(p, s);
  switch (leaf->physical) {
    case PhysicalType::kInt32: leaf->conversion = Conversion::kDecimalInt32; return OkStatus();
    case PhysicalType::kInt64: leaf->conversion = Conversion::kDecimalInt64; return OkStatus();
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: leaf->conversion = Conversion::kDecimalBytes; return OkStatus();
    default: return Corruption("DECIMAL on a {} column", static_cast<int>(leaf->physical));
  }
}

Status Int32Leaf(const SchemaElement& e, LeafColumn* leaf) {
  const auto& lt = e.logical_type;
  using K = LogicalType::Kind;
  if ((lt && lt->kind == K::kDate) || (!lt && e.converted_type == ConvertedType::kDate)) {
    leaf->type = DataType::Date();
    leaf->conversion = Conversion::kDateDays;
    return OkStatus();
  }
  if ((lt && lt->kind == K::kTime) || e.converted_type == ConvertedType::kTimeMillis) {
    return Unimplemented("TIME");
  }
  if ((lt && lt->kind == K::kInteger && !lt->is_signed && lt->bit_width == 32) ||
      (!lt && e.converted_type == ConvertedType::kUint32)) {
    leaf->type = DataType::Int64();
    leaf->conversion = Conversion::kUint32ToInt64;
    return OkStatus();
  }
  leaf->type = DataType::Int32();
  return OkStatus();
}

Status Int64Leaf(const SchemaElement& e, LeafColumn* leaf) {
  const auto& lt = e.logical_type;
  using K = LogicalType::Kind;
  if (lt && lt->kind == K::kTimestamp) {
    leaf->type = lt->adjusted_to_utc ? DataType::TimestampLtz() : DataType::Timestamp();
    switch (lt->unit) {
      case TimeUnit::kMillis: leaf->conversion = Conversion::kTimestampMillis; return OkStatus();
      case TimeUnit::kMicros: leaf->conversion = Conversion::kTimestampMicros; return OkStatus();
      case TimeUnit::kNanos: leaf->conversion = Conversion::kTimestampNanos; return OkStatus();
    }
    return Corruption("timestamp with unknown unit");
  }
  if (!lt && (e.converted_type == ConvertedType::kTimestampMillis ||
              e.converted_type == ConvertedType::kTimestampMicros)) {
    leaf->type = DataType::TimestampLtz();  // the legacy annotations are UTC-normalized
    leaf->conversion = e.converted_type == ConvertedType::kTimestampMillis ? Conversion::kTimestampMillis
                                                                           : Conversion::kTimestampMicros;
    return OkStatus();
  }
  if ((lt && lt->kind == K::kTime) || e.converted_type == ConvertedType::kTimeMicros) {
    return Unimplemented("TIME");
  }
  leaf->type = DataType::Int64();
  return OkStatus();
}

Status BinaryLeaf(const SchemaElement& e, LeafColumn* leaf) {
  const auto& lt = e.logical_type;
  if (lt && lt->kind == LogicalType::Kind::kFloat16) return Unimplemented("FLOAT16");
  if (e.converted_type == ConvertedType::kInterval) return Unimplemented("INTERVAL");
  leaf->type = DataType::String();
  leaf->conversion = Conversion::kString;
  return OkStatus();
}

Status DescribeReadLeaf(const SchemaElement& e, LeafColumn* leaf) {
  leaf->physical = *e.type;
  if (leaf->physical == PhysicalType::kFixedLenByteArray) {
    if (!e.type_length || *e.type_length <= 0) return Corruption("FIXED_LEN_BYTE_ARRAY without a length");
    leaf->type_length = *e.type_length;
  }
  if (IsDecimal(e)) return DecimalLeaf(e, leaf);
  switch (leaf->physical) {
    case PhysicalType::kBoolean: leaf->type = DataType::Boolean(); return OkStatus();
    case PhysicalType::kInt32: return Int32Leaf(e, leaf);
    case PhysicalType::kInt64: return Int64Leaf(e, leaf);
    case PhysicalType::kInt96:
      leaf->type = DataType::Timestamp();
      leaf->conversion = Conversion::kInt96Timestamp;
      return OkStatus();
    case PhysicalType::kFloat:
      leaf->type = DataType::Double();
      leaf->conversion = Conversion::kFloatToDouble;
      return OkStatus();
    case PhysicalType::kDouble: leaf->type = DataType::Double(); return OkStatus();
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: return BinaryLeaf(e, leaf);
  }
  return Corruption("unknown physical type {}", static_cast<int>(leaf->physical));
}

bool IsNestedCollection(const SchemaElement& e) {
  if (e.logical_type) {
    auto k = e.logical_type->kind;
    if (k == LogicalType::Kind::kList || k == LogicalType::Kind::kMap) return true;
  }
  return e.converted_type == ConvertedType::kList || e.converted_type == ConvertedType::kMap ||
         e.converted_type == ConvertedType::kMapKeyValue;
}

class SchemaParser {
 public:
  SchemaParser(const std::vector<SchemaElement>& elements, size_t start) : elements_(elements), pos_(start) {}

  // Parses the node at pos_ and its subtree. Readable leaves go to *leaves.
  Result<Node> Parse(std::vector<std::string> path, int parent_def, int depth,
                     std::vector<LeafColumn>* leaves) {
    if (depth > 64) return Corruption("parquet schema: nested too deeply");
    if (pos_ >= elements_.size()) return Corruption("parquet schema: fewer elements than children");
    const SchemaElement& e = elements_[pos_++];
    Node node;
    node.field.name = e.name;
    node.field_id = e.field_id.value_or(-1);
    Repetition rep = e.repetition.value_or(Repetition::kOptional);
    node.field.nullable = rep != Repetition::kRequired;
    int def = parent_def + (node.field.nullable ? 1 : 0);
    path.push_back(e.name);
    if (rep == Repetition::kRepeated) node.unsupported = "repeated field";
    if (!e.type) return ParseGroup(e, std::move(node), path, def, depth, leaves);
    LeafColumn leaf;
    leaf.path = path;
    leaf.field_id = node.field_id;
    leaf.max_def = def;
    leaf.chunk_index = num_chunks_++;
    Status st = DescribeReadLeaf(e, &leaf);
    if (st.code() == StatusCode::kDataLoss) return st.WithContext("parquet schema " + e.name);
    if (!st.ok() && node.unsupported.empty()) node.unsupported = std::string(st.message());
    node.field.type = leaf.type;
    if (node.unsupported.empty()) leaves->push_back(std::move(leaf));
    return node;
  }

  size_t pos() const { return pos_; }
  size_t num_chunks() const { return num_chunks_; }

 private:
  Result<Node> ParseGroup(const SchemaElement& e, Node node, const std::vector<std::string>& path, int def,
                          int depth, std::vector<LeafColumn>* leaves) {
    int32_t n = e.num_children.value_or(-1);
    if (n < 0 || static_cast<size_t>(n) > elements_.size() - pos_) {
      return Corruption("parquet schema: group {} has a bad child count", e.name);
    }
    if (IsNestedCollection(e)) node.unsupported = "LIST/MAP";
    if (n == 0 && node.unsupported.empty()) node.unsupported = "empty group";
    std::vector<Field> fields;
    std::vector<LeafColumn> child_leaves;
    for (int32_t i = 0; i < n; ++i) {
      ASSIGN_OR_RETURN(Node child, Parse(path, def, depth + 1, &child_leaves));
      if (!child.unsupported.empty() && node.unsupported.empty()) {
        node.unsupported = child.field.name + ": " + child.unsupported;
      }
      fields.push_back(std::move(child.field));
    }
    if (node.unsupported.empty()) {
      node.field.type = DataType::Row(std::move(fields));
      for (LeafColumn& l : child_leaves) leaves->push_back(std::move(l));
    }
    return node;
  }

  const std::vector<SchemaElement>& elements_;
  size_t pos_ = 0;
  size_t num_chunks_ = 0;
};

}  // namespace

Result<WriteSchema> ToParquetSchema(const columnar::Schema& schema, std::span<const int32_t> field_ids) {
  SchemaBuilder b{field_ids, 0, {}};
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.size());
  b.out.elements.push_back(root);
  for (const Field& f : schema.fields()) RETURN_IF_ERROR(b.Add(f, {}, 0));
  if (b.next_id != field_ids.size()) return Invalid("parquet: more field ids than fields");
  if (b.out.leaves.empty()) return Invalid("parquet: a file needs at least one column");
  return std::move(b.out);
}

Result<ReadSchema> FromParquetSchema(const std::vector<SchemaElement>& elements) {
  if (elements.empty()) return Corruption("parquet schema: empty");
  const SchemaElement& root = elements[0];
  int32_t n = root.num_children.value_or(-1);
  if (root.type || n < 0 || static_cast<size_t>(n) > elements.size() - 1) {
    return Corruption("parquet schema: bad root element");
  }
  ReadSchema out;
  SchemaParser parser(elements, 1);
  for (int32_t i = 0; i < n; ++i) {
    size_t first_leaf = out.leaves.size();
    ASSIGN_OR_RETURN(Node node, parser.Parse({}, 0, 0, &out.leaves));
    if (!node.unsupported.empty()) {
      out.skipped.push_back(node.field.name + ": " + node.unsupported);
      continue;
    }
    TopColumn top;
    top.field = node.field;
    top.field_id = node.field_id;
    top.first_leaf = first_leaf;
    top.num_leaves = out.leaves.size() - first_leaf;
    top.def_level = node.field.nullable ? 1 : 0;
    out.schema.Add(node.field);
    out.columns.push_back(std::move(top));
  }
  if (parser.pos() != elements.size()) return Corruption("parquet schema: elements left after the last column");
  out.num_chunks = parser.num_chunks();
  return out;
}

}  // namespace kappa::table::parquet
