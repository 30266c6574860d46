#include "table/parquet/column_reader.h"

#include <cstring>

#include "table/parquet/codec.h"
#include "table/parquet/convert.h"
#include "table/parquet/rle.h"
#include "table/parquet/statistics.h"

namespace kappa::table::parquet {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::Int128;
using columnar::TypeId;

namespace {

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kPlain: return "PLAIN";
    case Encoding::kPlainDictionary: return "PLAIN_DICTIONARY";
    case Encoding::kRle: return "RLE";
    case Encoding::kBitPacked: return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked: return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray: return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary: return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit: return "BYTE_STREAM_SPLIT";
  }
  return "UNKNOWN";
}

size_t PhysicalWidth(const LeafColumn& leaf) {
  switch (leaf.physical) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kInt96: return 12;
    case PhysicalType::kFixedLenByteArray: return static_cast<size_t>(leaf.type_length);
    default: return 0;
  }
}

// Fixed-width PLAIN values, converted one by one into out's storage.
template <typename In, typename Out, typename F>
void DecodeFixed(const uint8_t* p, size_t n, Column* out, F convert) {
  auto& v = out->mutable_values<Out>();
  v.resize(n);
  for (size_t i = 0; i < n; ++i) v[i] = convert(LoadLE<In>(p + i * sizeof(In)));
  out->SetSize(n);
}

Status DecodePlainInt32(const LeafColumn& leaf, const uint8_t* p, size_t n, Column* out) {
  switch (leaf.conversion) {
    case Conversion::kUint32ToInt64:
      DecodeFixed<uint32_t, int64_t>(p, n, out, [](uint32_t x) { return static_cast<int64_t>(x); });
      return OkStatus();
    case Conversion::kDecimalInt32:
      DecodeFixed<int32_t, Int128>(p, n, out, [](int32_t x) { return static_cast<Int128>(x); });
      return OkStatus();
    default:
      DecodeFixed<int32_t, int32_t>(p, n, out, [](int32_t x) { return x; });
      return OkStatus();
  }
}

Status DecodePlainInt64(const LeafColumn& leaf, const uint8_t* p, size_t n, Column* out) {
  switch (leaf.conversion) {
    case Conversion::kDecimalInt64:
      DecodeFixed<int64_t, Int128>(p, n, out, [](int64_t x) { return static_cast<Int128>(x); });
      return OkStatus();
    case Conversion::kTimestampMillis:
    case Conversion::kTimestampMicros:
    case Conversion::kTimestampNanos: {
      Conversion c = leaf.conversion;
      DecodeFixed<int64_t, int64_t>(p, n, out, [c](int64_t x) { return TimestampToMillis(c, x); });
      return OkStatus();
    }
    default:
      DecodeFixed<int64_t, int64_t>(p, n, out, [](int64_t x) { return x; });
      return OkStatus();
  }
}

Status DecodeBinaryValue(const LeafColumn& leaf, std::string_view v, Column* out) {
  if (leaf.conversion != Conversion::kDecimalBytes) {
    out->AppendString(v);
    return OkStatus();
  }
  auto d = DecodeBigEndianDecimal(v);
  if (!d) return Corruption("parquet: decimal of {} bytes does not fit 128 bits", v.size());
  out->Append<Int128>(*d);
  return OkStatus();
}

Status DecodePlainByteArray(const LeafColumn& leaf, ByteSpan data, size_t n, Column* out) {
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    if (data.size() - pos < 4) return Corruption("parquet: BYTE_ARRAY value {} is truncated", i);
    uint32_t len = LoadLE<uint32_t>(data.data() + pos);
    pos += 4;
    if (len > data.size() - pos) return Corruption("parquet: BYTE_ARRAY value {} is longer than its page", i);
    RETURN_IF_ERROR(DecodeBinaryValue(leaf, AsString(data.subspan(pos, len)), out));
    pos += len;
  }
  return OkStatus();
}

Status DecodePlainFixed(const LeafColumn& leaf, const uint8_t* p, size_t n, Column* out) {
  size_t w = static_cast<size_t>(leaf.type_length);
  for (size_t i = 0; i < n; ++i) {
    RETURN_IF_ERROR(DecodeBinaryValue(leaf, std::string_view(reinterpret_cast<const char*>(p + i * w), w), out));
  }
  return OkStatus();
}

void DecodePlainBool(const uint8_t* p, size_t n, Column* out) {
  auto& v = out->mutable_values<uint8_t>();
  v.resize(n);
  for (size_t i = 0; i < n; ++i) v[i] = (p[i / 8] >> (i % 8)) & 1;
  out->SetSize(n);
}

// Definition levels of a page, with the count of present values.
struct Levels {
  std::vector<uint32_t> defs;  // empty when max_def == 0
  size_t present = 0;
};

Result<Levels> DecodeLevels(const LeafColumn& leaf, ByteSpan data, size_t n) {
  Levels l;
  if (leaf.max_def == 0) {
    l.present = n;
    return l;
  }
  l.defs.resize(n);
  RETURN_IF_ERROR(DecodeHybrid(data, BitWidth(static_cast<uint64_t>(leaf.max_def)), n, l.defs.data()));
  for (uint32_t d : l.defs) {
    if (d > static_cast<uint32_t>(leaf.max_def)) return Corruption("parquet: definition level {} > max {}", d, leaf.max_def);
    l.present += d == static_cast<uint32_t>(leaf.max_def);
  }
  return l;
}

// Appends a page's rows to `out`: present values from `vals` in order,
// NULL where the level is below max_def.
template <typename T>
void ScatterFixed(const Column& vals, const Levels& l, int max_def, size_t n, Column* out) {
  const auto& src = vals.values<T>();
  auto& dst = out->mutable_values<T>();
  size_t base = out->size();
  if (l.defs.empty() || l.present == n) {
    dst.insert(dst.end(), src.begin(), src.begin() + static_cast<std::ptrdiff_t>(n));
    out->SetSize(base + n);
    return;
  }
  dst.resize(base + n);
  size_t j = 0;
  for (size_t i = 0; i < n; ++i) dst[base + i] = l.defs[i] == static_cast<uint32_t>(max_def) ? src[j++] : T{};
  out->SetSize(base + n);
  auto& nulls = out->mutable_nulls();
  for (size_t i = 0; i < n; ++i) nulls[base + i] = l.defs[i] != static_cast<uint32_t>(max_def);
}

void Scatter(const Column& vals, const Levels& l, int max_def, size_t n, Column* out) {
  switch (out->type().id()) {
    case TypeId::kBoolean: return ScatterFixed<uint8_t>(vals, l, max_def, n, out);
    case TypeId::kInt32:
    case TypeId::kDate: return ScatterFixed<int32_t>(vals, l, max_def, n, out);
    case TypeId::kDouble: return ScatterFixed<double>(vals, l, max_def, n, out);
    case TypeId::kDecimal: return ScatterFixed<Int128>(vals, l, max_def, n, out);
    case TypeId::kString: {
      size_t j = 0;
      for (size_t i = 0; i < n; ++i) {
        if (l.defs.empty() || l.defs[i] == static_cast<uint32_t>(max_def)) {
          out->AppendString(vals.GetString(j++));
        } else {
          out->AppendNull();
        }
      }
      return;
    }
    default: return ScatterFixed<int64_t>(vals, l, max_def, n, out);
  }
}

class ChunkDecoder {
 public:
  ChunkDecoder(const LeafColumn& leaf, const ColumnMetaData& meta, int64_t num_rows, std::vector<uint8_t>* defs)
      : leaf_(leaf), meta_(meta), num_rows_(num_rows), defs_out_(defs), out_(std::make_shared<Column>(leaf.type)) {}

  Result<ColumnPtr> Run(ByteSpan chunk) {
    out_->Reserve(static_cast<size_t>(std::min<int64_t>(num_rows_, int64_t{1} << 20)));
    size_t pos = 0;
    while (rows_ < num_rows_) {
      if (pos >= chunk.size()) {
        return Corruption("parquet: column {} ends after {} of {} values", Name(), rows_, num_rows_);
      }
      size_t header_size = 0;
      ASSIGN_OR_RETURN(PageHeader h, DecodePageHeader(chunk.subspan(pos), &header_size));
      pos += header_size;
      auto size = static_cast<size_t>(h.compressed_page_size);
      if (size > chunk.size() - pos) return Corruption("parquet: page of column {} runs past its chunk", Name());
      if (static_cast<size_t>(h.uncompressed_page_size) > kMaxPageBytes) {
        return Corruption("parquet: page of {} bytes", h.uncompressed_page_size);
      }
      RETURN_IF_ERROR(Page(h, chunk.subspan(pos, size)).WithContext("column " + Name()));
      pos += size;
    }
    return ColumnPtr(out_);
  }

 private:
  std::string Name() const {
    std::string s;
    for (const auto& p : leaf_.path) s += (s.empty() ? "" : ".") + p;
    return s;
  }

  Status Page(const PageHeader& h, ByteSpan body) {
    switch (h.type) {
      case PageType::kDictionaryPage: return DictionaryPage(h, body);
      case PageType::kDataPage: return DataPageV1(h, body);
      case PageType::kDataPageV2: return DataPageV2(h, body);
      default: return OkStatus();  // index pages: nothing to read
    }
  }

  Status DictionaryPage(const PageHeader& h, ByteSpan body) {
    if (!h.dictionary_page) return Corruption("dictionary page without its header");
    int32_t n = h.dictionary_page->num_values;
    if (n < 0 || n > kMaxPageValues) return Corruption("dictionary of {} values", n);
    Encoding e = h.dictionary_page->encoding;
    if (e != Encoding::kPlain && e != Encoding::kPlainDictionary) {
      return Unimplemented("dictionary encoding {}", EncodingName(e));
    }
    ASSIGN_OR_RETURN(std::string raw, Decompress(meta_.codec, AsString(body), h.uncompressed_page_size));
    ASSIGN_OR_RETURN(dictionary_, DecodePlain(leaf_, AsBytes(raw), static_cast<size_t>(n)));
    return OkStatus();
  }

  Result<size_t> PageValues(int32_t num_values) const {
    if (num_values < 0 || num_values > kMaxPageValues || num_values > num_rows_ - rows_) {
      return Corruption("data page of {} values where {} remain", num_values, num_rows_ - rows_);
    }
    return static_cast<size_t>(num_values);
  }

  Status DataPageV1(const PageHeader& h, ByteSpan body) {
    if (!h.data_page) return Corruption("data page without its header");
    const DataPageHeader& d = *h.data_page;
    ASSIGN_OR_RETURN(size_t n, PageValues(d.num_values));
    ASSIGN_OR_RETURN(std::string raw, Decompress(meta_.codec, AsString(body), h.uncompressed_page_size));
    ByteSpan data = AsBytes(raw);
    ByteSpan level_bytes;
    if (leaf_.max_def > 0) {
      if (d.definition_level_encoding != Encoding::kRle) {
        return Unimplemented("definition levels in {}", EncodingName(d.definition_level_encoding));
      }
      if (data.size() < 4) return Corruption("truncated definition levels");
      uint32_t len = LoadLE<uint32_t>(data.data());
      if (len > data.size() - 4) return Corruption("definition levels run past the page");
      level_bytes = data.subspan(4, len);
      data = data.subspan(4 + len);
    }
    ASSIGN_OR_RETURN(Levels levels, DecodeLevels(leaf_, level_bytes, n));
    return Values(d.encoding, data, levels, n);
  }

  Status DataPageV2(const PageHeader& h, ByteSpan body) {
    if (!h.data_page_v2) return Corruption("data page v2 without its header");
    const DataPageHeaderV2& d = *h.data_page_v2;
    ASSIGN_OR_RETURN(size_t n, PageValues(d.num_values));
    if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0) {
      return Corruption("negative level lengths");
    }
    size_t rep = static_cast<size_t>(d.repetition_levels_byte_length);
    size_t def = static_cast<size_t>(d.definition_levels_byte_length);
    if (rep + def > body.size() || rep + def > static_cast<size_t>(h.uncompressed_page_size)) {
      return Corruption("levels longer than the page");
    }
    ByteSpan level_bytes = body.subspan(rep, def);
    ByteSpan values = body.subspan(rep + def);
    std::string raw;
    size_t values_size = static_cast<size_t>(h.uncompressed_page_size) - rep - def;
    if (d.is_compressed && meta_.codec != Codec::kUncompressed) {
      ASSIGN_OR_RETURN(raw, Decompress(meta_.codec, AsString(values), values_size));
      values = AsBytes(raw);
    }
    ASSIGN_OR_RETURN(Levels levels, DecodeLevels(leaf_, level_bytes, n));
    return Values(d.encoding, values, levels, n);
  }

  Status Values(Encoding e, ByteSpan data, const Levels& levels, size_t n) {
    ColumnPtr vals;
    switch (e) {
      case Encoding::kPlain: {
        ASSIGN_OR_RETURN(vals, DecodePlain(leaf_, data, levels.present));
        break;
      }
      case Encoding::kPlainDictionary:
      case Encoding::kRleDictionary: {
        ASSIGN_OR_RETURN(vals, DictionaryValues(data, levels.present));
        break;
      }
      case Encoding::kRle: {
        ASSIGN_OR_RETURN(vals, RleBooleans(data, levels.present));
        break;
      }
      default: return Unimplemented("values in {}", EncodingName(e));
    }
    Scatter(*vals, levels, leaf_.max_def, n, out_.get());
    if (defs_out_) {
      for (size_t i = 0; i < n; ++i) {
        defs_out_->push_back(static_cast<uint8_t>(levels.defs.empty() ? leaf_.max_def : levels.defs[i]));
      }
    }
    rows_ += static_cast<int64_t>(n);
    return OkStatus();
  }

  Result<ColumnPtr> DictionaryValues(ByteSpan data, size_t n) {
    if (!dictionary_) return Corruption("dictionary-encoded page without a dictionary");
    if (n == 0) return std::make_shared<const Column>(leaf_.type);
    if (data.empty()) return Corruption("dictionary page data without a bit width");
    int bits = data[0];
    std::vector<uint32_t> ids(n);
    RETURN_IF_ERROR(DecodeHybrid(data.subspan(1), bits, n, ids.data()));
    for (uint32_t id : ids) {
      if (id >= dictionary_->size()) return Corruption("dictionary index {} of {}", id, dictionary_->size());
    }
    return dictionary_->Take(ids);
  }

  Result<ColumnPtr> RleBooleans(ByteSpan data, size_t n) {
    if (leaf_.physical != PhysicalType::kBoolean) return Unimplemented("RLE values of a non-BOOLEAN column");
    if (data.size() < 4) return Corruption("truncated RLE booleans");
    uint32_t len = LoadLE<uint32_t>(data.data());
    if (len > data.size() - 4) return Corruption("RLE booleans run past the page");
    std::vector<uint32_t> bits(n);
    RETURN_IF_ERROR(DecodeHybrid(data.subspan(4, len), 1, n, bits.data()));
    auto col = std::make_shared<Column>(leaf_.type);
    auto& v = col->mutable_values<uint8_t>();
    v.assign(bits.begin(), bits.end());
    col->SetSize(n);
    return ColumnPtr(col);
  }

  const LeafColumn& leaf_;
  const ColumnMetaData& meta_;
  int64_t num_rows_;
  std::vector<uint8_t>* defs_out_;
  std::shared_ptr<Column> out_;
  ColumnPtr dictionary_;
  int64_t rows_ = 0;
};

}  // namespace

Result<ColumnPtr> DecodePlain(const LeafColumn& leaf, ByteSpan data, size_t n) {
  auto out = std::make_shared<Column>(leaf.type);
  const uint8_t* p = data.data();
  size_t w = PhysicalWidth(leaf);
  if (w > 0 && n > data.size() / w) return Corruption("parquet: {} PLAIN values do not fit {} bytes", n, data.size());
  switch (leaf.physical) {
    case PhysicalType::kBoolean:
      if ((n + 7) / 8 > data.size()) return Corruption("parquet: {} PLAIN booleans do not fit {} bytes", n, data.size());
      DecodePlainBool(p, n, out.get());
      break;
    case PhysicalType::kInt32: RETURN_IF_ERROR(DecodePlainInt32(leaf, p, n, out.get())); break;
    case PhysicalType::kInt64: RETURN_IF_ERROR(DecodePlainInt64(leaf, p, n, out.get())); break;
    case PhysicalType::kInt96: {
      auto& v = out->mutable_values<int64_t>();
      v.resize(n);
      for (size_t i = 0; i < n; ++i) v[i] = Int96ToMillis(p + 12 * i);
      out->SetSize(n);
      break;
    }
    case PhysicalType::kFloat:
      DecodeFixed<float, double>(p, n, out.get(), [](float x) { return static_cast<double>(x); });
      break;
    case PhysicalType::kDouble:
      DecodeFixed<double, double>(p, n, out.get(), [](double x) { return x; });
      break;
    case PhysicalType::kByteArray:
      if (n > data.size() / 4) return Corruption("parquet: {} BYTE_ARRAY values do not fit {} bytes", n, data.size());
      RETURN_IF_ERROR(DecodePlainByteArray(leaf, data, n, out.get()));
      break;
    case PhysicalType::kFixedLenByteArray: RETURN_IF_ERROR(DecodePlainFixed(leaf, p, n, out.get())); break;
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> ReadColumnChunk(const LeafColumn& leaf, const ColumnMetaData& meta, ByteSpan chunk,
                                  int64_t num_rows, std::vector<uint8_t>* defs) {
  if (meta.type != leaf.physical) return Corruption("parquet: column chunk type differs from the schema's");
  ChunkDecoder decoder(leaf, meta, num_rows, defs);
  return decoder.Run(chunk);
}

}  // namespace kappa::table::parquet
