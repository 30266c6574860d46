#include "table/parquet/metadata.h"

#include "table/parquet/thrift_compact.h"

namespace kappa::table::parquet {
namespace {

// ---- encoding ----

void EncodeEmptyStruct(CompactWriter& w, int16_t id) {
  w.FieldStruct(id);
  w.BeginStruct();
  w.EndStruct();
}

void EncodeLogicalType(CompactWriter& w, const LogicalType& t) {
  w.BeginStruct();
  auto kind = static_cast<int16_t>(t.kind);
  switch (t.kind) {
    case LogicalType::Kind::kDecimal:
      w.FieldStruct(kind);
      w.BeginStruct();
      w.FieldI32(1, t.scale);
      w.FieldI32(2, t.precision);
      w.EndStruct();
      break;
    case LogicalType::Kind::kTime:
    case LogicalType::Kind::kTimestamp:
      w.FieldStruct(kind);
      w.BeginStruct();
      w.FieldBool(1, t.adjusted_to_utc);
      w.FieldStruct(2);
      w.BeginStruct();
      EncodeEmptyStruct(w, static_cast<int16_t>(t.unit));
      w.EndStruct();
      w.EndStruct();
      break;
    case LogicalType::Kind::kInteger:
      w.FieldStruct(kind);
      w.BeginStruct();
      w.FieldI32(1, t.bit_width);  // i8 on the wire: same varint
      w.FieldBool(2, t.is_signed);
      w.EndStruct();
      break;
    default: EncodeEmptyStruct(w, kind); break;
  }
  w.EndStruct();
}

void EncodeSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type_length) w.FieldI32(2, *e.type_length);
  if (e.repetition) w.FieldI32(3, static_cast<int32_t>(*e.repetition));
  w.FieldBinary(4, e.name);
  if (e.num_children) w.FieldI32(5, *e.num_children);
  if (e.converted_type) w.FieldI32(6, static_cast<int32_t>(*e.converted_type));
  if (e.scale) w.FieldI32(7, *e.scale);
  if (e.precision) w.FieldI32(8, *e.precision);
  if (e.field_id) w.FieldI32(9, *e.field_id);
  if (e.logical_type) {
    w.FieldStruct(10);
    EncodeLogicalType(w, *e.logical_type);
  }
  w.EndStruct();
}

void EncodeStatistics(CompactWriter& w, const Statistics& s) {
  w.BeginStruct();
  if (s.max) w.FieldBinary(1, *s.max);
  if (s.min) w.FieldBinary(2, *s.min);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.distinct_count) w.FieldI64(4, *s.distinct_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  w.EndStruct();
}

void EncodeColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.BeginStruct();
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.FieldList(2, CType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.I32(static_cast<int32_t>(e));
  w.FieldList(3, CType::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) w.Binary(p);
  w.FieldI32(4, static_cast<int32_t>(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.index_page_offset) w.FieldI64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.FieldStruct(12);
    EncodeStatistics(w, *m.statistics);
  }
  w.EndStruct();
}

void EncodeRowGroup(CompactWriter& w, const RowGroup& g) {
  w.BeginStruct();
  w.FieldList(1, CType::kStruct, g.columns.size());
  for (const ColumnChunk& c : g.columns) {
    w.BeginStruct();
    if (c.file_path) w.FieldBinary(1, *c.file_path);
    w.FieldI64(2, c.file_offset);
    if (c.meta_data) {
      w.FieldStruct(3);
      EncodeColumnMetaData(w, *c.meta_data);
    }
    w.EndStruct();
  }
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  if (g.file_offset) w.FieldI64(5, *g.file_offset);
  if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
  if (g.ordinal) w.FieldI32(7, *g.ordinal);  // i16 on the wire: same varint
  w.EndStruct();
}

// ---- decoding ----

// Reads a struct field by field: `on_field(id, type)` returns false for a
// field it does not handle, which is then skipped.
template <typename F>
void ReadStruct(CompactReader& r, F on_field) {
  r.BeginStruct();
  int16_t id;
  CType type;
  while (r.NextField(&id, &type)) {
    if (!on_field(id, type)) r.Skip(type);
  }
  r.EndStruct();
}

// Reads a list field whose elements `read_one()` decodes.
template <typename F>
void ReadList(CompactReader& r, CType type, CType want, F read_one) {
  if (type != CType::kList) return r.Fail("expected a list");
  CType elem;
  size_t n = r.ListBegin(&elem);
  if (n > 0 && elem != want) return r.Fail("unexpected list element type");
  for (size_t i = 0; i < n && r.ok(); ++i) read_one();
}

bool IsInt(CType t) { return t == CType::kI32 || t == CType::kI16 || t == CType::kI64 || t == CType::kByte; }

// The union key of a struct holding one empty-struct member (TimeUnit,
// ColumnOrder): the member's field id, or 0.
int16_t ReadUnionKey(CompactReader& r) {
  int16_t key = 0;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (type != CType::kStruct) return false;
    key = id;
    r.Skip(type);
    return true;
  });
  return key;
}

LogicalType ReadLogicalType(CompactReader& r) {
  LogicalType t;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (type != CType::kStruct) return false;
    t.kind = static_cast<LogicalType::Kind>(id);
    ReadStruct(r, [&](int16_t fid, CType ftype) {
      switch (t.kind) {
        case LogicalType::Kind::kDecimal:
          if (fid == 1 && IsInt(ftype)) return (t.scale = r.I32()), true;
          if (fid == 2 && IsInt(ftype)) return (t.precision = r.I32()), true;
          return false;
        case LogicalType::Kind::kTime:
        case LogicalType::Kind::kTimestamp:
          if (fid == 1 && (ftype == CType::kTrue || ftype == CType::kFalse)) {
            t.adjusted_to_utc = CompactReader::BoolValue(ftype);
            return true;
          }
          if (fid == 2 && ftype == CType::kStruct) {
            t.unit = static_cast<TimeUnit>(ReadUnionKey(r));
            return true;
          }
          return false;
        case LogicalType::Kind::kInteger:
          if (fid == 1 && IsInt(ftype)) return (t.bit_width = r.I32()), true;
          if (fid == 2 && (ftype == CType::kTrue || ftype == CType::kFalse)) {
            t.is_signed = CompactReader::BoolValue(ftype);
            return true;
          }
          return false;
        default: return false;
      }
    });
    return true;
  });
  return t;
}

SchemaElement ReadSchemaElement(CompactReader& r) {
  SchemaElement e;
  bool has_name = false;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (id == 4 && type == CType::kBinary) return (e.name = r.Binary()), has_name = true, true;
    if (id == 10 && type == CType::kStruct) return (e.logical_type = ReadLogicalType(r)), true;
    if (!IsInt(type)) return false;
    int32_t v = r.I32();
    switch (id) {
      case 1: e.type = static_cast<PhysicalType>(v); break;
      case 2: e.type_length = v; break;
      case 3: e.repetition = static_cast<Repetition>(v); break;
      case 5: e.num_children = v; break;
      case 6: e.converted_type = static_cast<ConvertedType>(v); break;
      case 7: e.scale = v; break;
      case 8: e.precision = v; break;
      case 9: e.field_id = v; break;
      default: break;
    }
    return true;
  });
  if (!has_name) r.Fail("schema element without a name");
  return e;
}

Statistics ReadStatistics(CompactReader& r) {
  Statistics s;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (type == CType::kBinary) {
      if (id == 1) return (s.max = r.Binary()), true;
      if (id == 2) return (s.min = r.Binary()), true;
      if (id == 5) return (s.max_value = r.Binary()), true;
      if (id == 6) return (s.min_value = r.Binary()), true;
      return false;
    }
    if (id == 3 && IsInt(type)) return (s.null_count = r.I64()), true;
    if (id == 4 && IsInt(type)) return (s.distinct_count = r.I64()), true;
    return false;
  });
  return s;
}

ColumnMetaData ReadColumnMetaData(CompactReader& r) {
  ColumnMetaData m;
  ReadStruct(r, [&](int16_t id, CType type) {
    switch (id) {
      case 2:
        ReadList(r, type, CType::kI32, [&] { m.encodings.push_back(static_cast<Encoding>(r.I32())); });
        return true;
      case 3:
        ReadList(r, type, CType::kBinary, [&] { m.path_in_schema.push_back(r.Binary()); });
        return true;
      case 12:
        if (type != CType::kStruct) return false;
        m.statistics = ReadStatistics(r);
        return true;
      default: break;
    }
    if (!IsInt(type)) return false;
    switch (id) {
      case 1: m.type = static_cast<PhysicalType>(r.I32()); return true;
      case 4: m.codec = static_cast<Codec>(r.I32()); return true;
      case 5: m.num_values = r.I64(); return true;
      case 6: m.total_uncompressed_size = r.I64(); return true;
      case 7: m.total_compressed_size = r.I64(); return true;
      case 9: m.data_page_offset = r.I64(); return true;
      case 10: m.index_page_offset = r.I64(); return true;
      case 11: m.dictionary_page_offset = r.I64(); return true;
      default: return false;
    }
  });
  return m;
}

ColumnChunk ReadColumnChunk(CompactReader& r) {
  ColumnChunk c;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (id == 1 && type == CType::kBinary) return (c.file_path = r.Binary()), true;
    if (id == 2 && IsInt(type)) return (c.file_offset = r.I64()), true;
    if (id == 3 && type == CType::kStruct) return (c.meta_data = ReadColumnMetaData(r)), true;
    return false;
  });
  return c;
}

RowGroup ReadRowGroup(CompactReader& r) {
  RowGroup g;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (id == 1) {
      ReadList(r, type, CType::kStruct, [&] { g.columns.push_back(ReadColumnChunk(r)); });
      return true;
    }
    if (!IsInt(type)) return false;
    switch (id) {
      case 2: g.total_byte_size = r.I64(); return true;
      case 3: g.num_rows = r.I64(); return true;
      case 5: g.file_offset = r.I64(); return true;
      case 6: g.total_compressed_size = r.I64(); return true;
      case 7: g.ordinal = r.I32(); return true;
      default: return false;
    }
  });
  return g;
}

KeyValue ReadKeyValue(CompactReader& r) {
  KeyValue kv;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (type != CType::kBinary) return false;
    if (id == 1) return (kv.key = r.Binary()), true;
    if (id == 2) return (kv.value = r.Binary()), true;
    return false;
  });
  return kv;
}

DataPageHeader ReadDataPageHeader(CompactReader& r) {
  DataPageHeader h;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (!IsInt(type)) return false;
    switch (id) {
      case 1: h.num_values = r.I32(); return true;
      case 2: h.encoding = static_cast<Encoding>(r.I32()); return true;
      case 3: h.definition_level_encoding = static_cast<Encoding>(r.I32()); return true;
      case 4: h.repetition_level_encoding = static_cast<Encoding>(r.I32()); return true;
      default: return false;
    }
  });
  return h;
}

DictionaryPageHeader ReadDictionaryPageHeader(CompactReader& r) {
  DictionaryPageHeader h;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (!IsInt(type)) return false;
    if (id == 1) return (h.num_values = r.I32()), true;
    if (id == 2) return (h.encoding = static_cast<Encoding>(r.I32())), true;
    return false;
  });
  return h;
}

DataPageHeaderV2 ReadDataPageHeaderV2(CompactReader& r) {
  DataPageHeaderV2 h;
  ReadStruct(r, [&](int16_t id, CType type) {
    if (id == 7 && (type == CType::kTrue || type == CType::kFalse)) {
      h.is_compressed = CompactReader::BoolValue(type);
      return true;
    }
    if (!IsInt(type)) return false;
    switch (id) {
      case 1: h.num_values = r.I32(); return true;
      case 2: h.num_nulls = r.I32(); return true;
      case 3: h.num_rows = r.I32(); return true;
      case 4: h.encoding = static_cast<Encoding>(r.I32()); return true;
      case 5: h.definition_levels_byte_length = r.I32(); return true;
      case 6: h.repetition_levels_byte_length = r.I32(); return true;
      default: return false;
    }
  });
  return h;
}

}  // namespace

void EncodeFileMetaData(const FileMetaData& m, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, m.version);
  w.FieldList(2, CType::kStruct, m.schema.size());
  for (const SchemaElement& e : m.schema) EncodeSchemaElement(w, e);
  w.FieldI64(3, m.num_rows);
  w.FieldList(4, CType::kStruct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) EncodeRowGroup(w, g);
  if (!m.key_value_metadata.empty()) {
    w.FieldList(5, CType::kStruct, m.key_value_metadata.size());
    for (const KeyValue& kv : m.key_value_metadata) {
      w.BeginStruct();
      w.FieldBinary(1, kv.key);
      if (kv.value) w.FieldBinary(2, *kv.value);
      w.EndStruct();
    }
  }
  if (m.created_by) w.FieldBinary(6, *m.created_by);
  if (!m.column_orders.empty()) {
    w.FieldList(7, CType::kStruct, m.column_orders.size());
    for (size_t i = 0; i < m.column_orders.size(); ++i) {
      w.BeginStruct();
      EncodeEmptyStruct(w, 1);  // TYPE_ORDER
      w.EndStruct();
    }
  }
  w.EndStruct();
}

Result<FileMetaData> DecodeFileMetaData(ByteSpan bytes) {
  CompactReader r(bytes);
  FileMetaData m;
  bool has_schema = false;
  ReadStruct(r, [&](int16_t id, CType type) {
    switch (id) {
      case 1: if (!IsInt(type)) return false; m.version = r.I32(); return true;
      case 2:
        has_schema = true;
        ReadList(r, type, CType::kStruct, [&] { m.schema.push_back(ReadSchemaElement(r)); });
        return true;
      case 3: if (!IsInt(type)) return false; m.num_rows = r.I64(); return true;
      case 4:
        ReadList(r, type, CType::kStruct, [&] { m.row_groups.push_back(ReadRowGroup(r)); });
        return true;
      case 5:
        ReadList(r, type, CType::kStruct, [&] { m.key_value_metadata.push_back(ReadKeyValue(r)); });
        return true;
      case 6: if (type != CType::kBinary) return false; m.created_by = r.Binary(); return true;
      case 7:
        ReadList(r, type, CType::kStruct, [&] { m.column_orders.push_back(ReadUnionKey(r) == 1); });
        return true;
      default: return false;
    }
  });
  if (!r.ok()) return r.status().WithContext("parquet footer");
  if (!has_schema || m.schema.empty()) return Corruption("parquet footer: no schema");
  return m;
}

void EncodePageHeader(const PageHeader& h, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.data_page) {
    const DataPageHeader& d = *h.data_page;
    w.FieldStruct(5);
    w.BeginStruct();
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, static_cast<int32_t>(d.encoding));
    w.FieldI32(3, static_cast<int32_t>(d.definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(d.repetition_level_encoding));
    w.EndStruct();
  }
  if (h.dictionary_page) {
    w.FieldStruct(7);
    w.BeginStruct();
    w.FieldI32(1, h.dictionary_page->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.dictionary_page->encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

Result<PageHeader> DecodePageHeader(ByteSpan bytes, size_t* size) {
  CompactReader r(bytes);
  PageHeader h;
  bool has_sizes = false;
  ReadStruct(r, [&](int16_t id, CType type) {
    switch (id) {
      case 5: if (type != CType::kStruct) return false; h.data_page = ReadDataPageHeader(r); return true;
      case 7:
        if (type != CType::kStruct) return false;
        h.dictionary_page = ReadDictionaryPageHeader(r);
        return true;
      case 8:
        if (type != CType::kStruct) return false;
        h.data_page_v2 = ReadDataPageHeaderV2(r);
        return true;
      default: break;
    }
    if (!IsInt(type)) return false;
    switch (id) {
      case 1: h.type = static_cast<PageType>(r.I32()); return true;
      case 2: h.uncompressed_page_size = r.I32(); return true;
      case 3: h.compressed_page_size = r.I32(); has_sizes = true; return true;
      default: return false;
    }
  });
  if (!r.ok()) return r.status().WithContext("parquet page header");
  if (!has_sizes || h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Corruption("parquet page header: bad page sizes");
  }
  *size = static_cast<size_t>(r.position() - bytes.data());
  return h;
}

}  // namespace kappa::table::parquet
