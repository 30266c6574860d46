#include "table/parquet/column_writer.h"

#include <cmath>
#include <cstring>
#include <functional>

#include "table/parquet/codec.h"
#include "table/parquet/rle.h"

namespace kappa::table::parquet {

using columnar::Column;
using columnar::Int128;
using columnar::Value;

namespace {

// Strings longer than this get no min/max in the file's statistics.
constexpr size_t kMaxStatBytes = 1024;

// murmur3's finalizer: every input bit reaches the low bits the table uses
// (round doubles and timestamps differ only in their high bits).
uint64_t HashInt(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

// Assigns each of n values a dictionary id. hash(i) hashes value i,
// same(id, i) compares dictionary entry `id` with value i, add(i) appends
// value i to the dictionary and returns false once it is too big.
template <typename Hash, typename Same, typename Add>
bool Dictionize(size_t n, Hash hash, Same same, Add add, std::vector<uint32_t>* ids) {
  std::vector<uint32_t> slots(1024, 0);
  std::vector<uint64_t> hashes;  // per entry, for rehashing
  size_t mask = slots.size() - 1;
  ids->resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = hash(i);
    size_t s = h & mask;
    while (true) {
      uint32_t v = slots[s];
      if (v == 0) {
        if (!add(i)) return false;
        hashes.push_back(h);
        slots[s] = static_cast<uint32_t>(hashes.size());
        (*ids)[i] = static_cast<uint32_t>(hashes.size() - 1);
        break;
      }
      if (same(v - 1, i)) {
        (*ids)[i] = v - 1;
        break;
      }
      s = (s + 1) & mask;
    }
    if (hashes.size() * 2 > slots.size()) {
      slots.assign(slots.size() * 2, 0);
      mask = slots.size() - 1;
      for (size_t e = 0; e < hashes.size(); ++e) {
        size_t t = hashes[e] & mask;
        while (slots[t] != 0) t = (t + 1) & mask;
        slots[t] = static_cast<uint32_t>(e + 1);
      }
    }
  }
  return true;
}

template <typename T>
uint64_t Bits(T v) {
  uint64_t b = 0;
  if constexpr (sizeof(T) == 16) {
    auto u = static_cast<unsigned __int128>(v);
    return static_cast<uint64_t>(u) ^ HashInt(static_cast<uint64_t>(u >> 64));
  } else {
    std::memcpy(&b, &v, sizeof(T));
  }
  return b;
}

template <typename T>
bool SameBits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T>
bool DictionizeFixed(const std::vector<T>& values, size_t max_bytes, size_t width, std::vector<uint32_t>* ids,
                     std::vector<T>* dict) {
  return Dictionize(
      values.size(), [&](size_t i) { return HashInt(Bits(values[i])); },
      [&](uint32_t id, size_t i) { return SameBits((*dict)[id], values[i]); },
      [&](size_t i) {
        if ((dict->size() + 1) * width > max_bytes) return false;
        dict->push_back(values[i]);
        return true;
      },
      ids);
}

template <typename T>
void AppendRaw(const T* begin, const T* end, std::string* out) {
  out->append(reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin) * sizeof(T));
}

int64_t ToMicros(int64_t millis, bool* overflow) {
  int64_t out;
  if (__builtin_mul_overflow(millis, int64_t{1000}, &out)) *overflow = true;
  return out;
}

std::string StatBytes(const void* p, size_t n) { return std::string(static_cast<const char*>(p), n); }

}  // namespace

ColumnWriter::ColumnWriter(LeafColumn leaf, ChunkOptions options)
    : leaf_(std::move(leaf)), options_(options) {}

Status ColumnWriter::Append(const Column& col, Rows rows, const uint8_t* parent_defs, int parent_level) {
  bool nullable = leaf_.max_def > parent_level;
  std::vector<uint32_t> value_rows;
  value_rows.reserve(rows.n);
  size_t defs_start = defs_.size();
  if (leaf_.max_def > 0) defs_.resize(defs_start + rows.n);
  for (size_t i = 0; i < rows.n; ++i) {
    uint32_t r = rows[i];
    int d;
    if (parent_defs && parent_defs[i] < parent_level) {
      d = parent_defs[i];
    } else if (col.IsNull(r)) {
      if (!nullable) {
        defs_.resize(defs_start);
        return Invalid("parquet: column {} is NOT NULL but a row holds NULL", leaf_.path.back());
      }
      d = parent_level;
    } else {
      d = leaf_.max_def;
      value_rows.push_back(r);
    }
    if (leaf_.max_def > 0) defs_[defs_start + i] = static_cast<uint8_t>(d);
  }
  Status st = AppendValues(col, value_rows);
  if (!st.ok()) {
    defs_.resize(defs_start);
    return st;
  }
  rows_ += rows.n;
  return OkStatus();
}

Status ColumnWriter::AppendValues(const Column& col, const std::vector<uint32_t>& value_rows) {
  switch (leaf_.conversion) {
    case Conversion::kNone:
      switch (leaf_.physical) {
        case PhysicalType::kBoolean:
          for (uint32_t r : value_rows) bools_.push_back(col.values<uint8_t>()[r] != 0);
          return OkStatus();
        case PhysicalType::kInt32:
          for (uint32_t r : value_rows) i32_.push_back(col.values<int32_t>()[r]);
          return OkStatus();
        case PhysicalType::kInt64:
          for (uint32_t r : value_rows) i64_.push_back(col.values<int64_t>()[r]);
          return OkStatus();
        case PhysicalType::kDouble:
          for (uint32_t r : value_rows) f64_.push_back(col.values<double>()[r]);
          return OkStatus();
        default: return Internal("parquet: no plain conversion");
      }
    case Conversion::kDateDays:
      for (uint32_t r : value_rows) i32_.push_back(col.values<int32_t>()[r]);
      return OkStatus();
    case Conversion::kTimestampMicros: {
      bool overflow = false;
      size_t start = i64_.size();
      for (uint32_t r : value_rows) i64_.push_back(ToMicros(col.values<int64_t>()[r], &overflow));
      if (overflow) {
        i64_.resize(start);
        return Invalid("parquet: column {} has a timestamp beyond the micros range", leaf_.path.back());
      }
      return OkStatus();
    }
    case Conversion::kDecimalInt32:
    case Conversion::kDecimalInt64: {
      const auto& v = col.values<Int128>();
      bool small = leaf_.conversion == Conversion::kDecimalInt32;
      Int128 limit = columnar::Pow10(leaf_.type.precision());
      for (uint32_t r : value_rows) {
        if (v[r] >= limit || v[r] <= -limit) {
          return Invalid("parquet: column {} has a value beyond DECIMAL({}, {})", leaf_.path.back(),
                         leaf_.type.precision(), leaf_.type.scale());
        }
      }
      for (uint32_t r : value_rows) {
        if (small) {
          i32_.push_back(static_cast<int32_t>(v[r]));
        } else {
          i64_.push_back(static_cast<int64_t>(v[r]));
        }
      }
      return OkStatus();
    }
    case Conversion::kDecimalBytes:
      for (uint32_t r : value_rows) i128_.push_back(col.values<Int128>()[r]);
      return OkStatus();
    case Conversion::kString:
      for (uint32_t r : value_rows) {
        str_bytes_.append(col.GetString(r));
        str_offsets_.push_back(static_cast<uint32_t>(str_bytes_.size()));
      }
      return OkStatus();
    default: return Internal("parquet: unexpected conversion for writing");
  }
}

size_t ColumnWriter::NumValues() const {
  switch (leaf_.physical) {
    case PhysicalType::kBoolean: return bools_.size();
    case PhysicalType::kInt32: return i32_.size();
    case PhysicalType::kInt64: return i64_.size();
    case PhysicalType::kDouble: return f64_.size();
    case PhysicalType::kFixedLenByteArray: return i128_.size();
    default: return str_offsets_.size() - 1;
  }
}

size_t ColumnWriter::ValueBytes(size_t v) const {
  switch (leaf_.physical) {
    case PhysicalType::kBoolean: return 1;
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kFixedLenByteArray: return static_cast<size_t>(leaf_.type_length);
    default: return 4 + str_offsets_[v + 1] - str_offsets_[v];
  }
}

size_t ColumnWriter::buffered_bytes() const {
  size_t fixed = bools_.size() + i32_.size() * 4 + i64_.size() * 8 + f64_.size() * 8 + i128_.size() * 16;
  return fixed + str_bytes_.size() + (str_offsets_.size() - 1) * 4 + defs_.size() / 8;
}

std::vector<ColumnWriter::Page> ColumnWriter::CutPages() const {
  std::vector<Page> pages;
  Page page{0, 0, 0, 0};
  size_t bytes = 0;
  size_t v = 0;
  for (size_t r = 0; r < rows_; ++r) {
    bool present = leaf_.max_def == 0 || defs_[r] == leaf_.max_def;
    if (present) bytes += ValueBytes(v++);
    if (bytes >= options_.page_bytes) {
      page.row_end = r + 1;
      page.value_end = v;
      pages.push_back(page);
      page = Page{r + 1, r + 1, v, v};
      bytes = 0;
    }
  }
  if (page.row_begin < rows_ || pages.empty()) {
    page.row_end = rows_;
    page.value_end = v;
    pages.push_back(page);
  }
  return pages;
}

bool ColumnWriter::BuildDictionary(std::vector<uint32_t>* ids, std::string* dict_plain, size_t* dict_count) const {
  size_t max = options_.dictionary_max_bytes;
  switch (leaf_.physical) {
    case PhysicalType::kInt32: {
      std::vector<int32_t> dict;
      if (!DictionizeFixed(i32_, max, 4, ids, &dict)) return false;
      AppendRaw(dict.data(), dict.data() + dict.size(), dict_plain);
      *dict_count = dict.size();
      return true;
    }
    case PhysicalType::kInt64: {
      std::vector<int64_t> dict;
      if (!DictionizeFixed(i64_, max, 8, ids, &dict)) return false;
      AppendRaw(dict.data(), dict.data() + dict.size(), dict_plain);
      *dict_count = dict.size();
      return true;
    }
    case PhysicalType::kDouble: {
      std::vector<double> dict;
      if (!DictionizeFixed(f64_, max, 8, ids, &dict)) return false;
      AppendRaw(dict.data(), dict.data() + dict.size(), dict_plain);
      *dict_count = dict.size();
      return true;
    }
    case PhysicalType::kFixedLenByteArray: {
      std::vector<Int128> dict;
      size_t width = static_cast<size_t>(leaf_.type_length);
      if (!DictionizeFixed(i128_, max, width, ids, &dict)) return false;
      for (Int128 d : dict) AppendBigEndianDecimal(d, leaf_.type_length, dict_plain);
      *dict_count = dict.size();
      return true;
    }
    case PhysicalType::kByteArray: {
      std::vector<std::string_view> dict;
      size_t bytes = 0;
      auto value = [&](size_t i) {
        return std::string_view(str_bytes_).substr(str_offsets_[i], str_offsets_[i + 1] - str_offsets_[i]);
      };
      bool ok = Dictionize(
          str_offsets_.size() - 1, [&](size_t i) { return std::hash<std::string_view>()(value(i)); },
          [&](uint32_t id, size_t i) { return dict[id] == value(i); },
          [&](size_t i) {
            bytes += 4 + value(i).size();
            if (bytes > max) return false;
            dict.push_back(value(i));
            return true;
          },
          ids);
      if (!ok) return false;
      for (std::string_view d : dict) {
        AppendLE<uint32_t>(dict_plain, static_cast<uint32_t>(d.size()));
        dict_plain->append(d);
      }
      *dict_count = dict.size();
      return true;
    }
    default: return false;
  }
}

void ColumnWriter::PlainValues(size_t begin, size_t end, std::string* out) const {
  switch (leaf_.physical) {
    case PhysicalType::kBoolean:
      PackBits(std::span<const uint8_t>(bools_).subspan(begin, end - begin), out);
      return;
    case PhysicalType::kInt32: AppendRaw(i32_.data() + begin, i32_.data() + end, out); return;
    case PhysicalType::kInt64: AppendRaw(i64_.data() + begin, i64_.data() + end, out); return;
    case PhysicalType::kDouble: AppendRaw(f64_.data() + begin, f64_.data() + end, out); return;
    case PhysicalType::kFixedLenByteArray:
      for (size_t i = begin; i < end; ++i) AppendBigEndianDecimal(i128_[i], leaf_.type_length, out);
      return;
    default:
      for (size_t i = begin; i < end; ++i) {
        uint32_t len = str_offsets_[i + 1] - str_offsets_[i];
        AppendLE<uint32_t>(out, len);
        out->append(str_bytes_, str_offsets_[i], len);
      }
      return;
  }
}

void ColumnWriter::AppendPage(std::string_view body, const PageHeader& header_in, EncodedChunk* chunk) {
  std::string compressed;
  Compress(options_.codec, options_.zstd_level, body, &compressed);
  PageHeader header = header_in;
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(compressed.size());
  size_t start = chunk->bytes.size();
  EncodePageHeader(header, &chunk->bytes);
  size_t header_size = chunk->bytes.size() - start;
  chunk->bytes.append(compressed);
  chunk->meta.total_uncompressed_size += static_cast<int64_t>(header_size + body.size());
  chunk->meta.total_compressed_size += static_cast<int64_t>(header_size + compressed.size());
}

void ColumnWriter::WriteDataPage(const Page& page, const std::vector<uint32_t>* ids, int id_bits,
                                 EncodedChunk* chunk) {
  std::string body;
  if (leaf_.max_def > 0) {
    body.resize(4);
    std::span<const uint8_t> defs(defs_.data() + page.row_begin, page.row_end - page.row_begin);
    EncodeHybrid(defs, BitWidth(static_cast<uint64_t>(leaf_.max_def)), &body);
    StoreLE<uint32_t>(reinterpret_cast<uint8_t*>(body.data()), static_cast<uint32_t>(body.size() - 4));
  }
  if (ids) {
    body.push_back(static_cast<char>(id_bits));
    std::span<const uint32_t> page_ids(ids->data() + page.value_begin, page.value_end - page.value_begin);
    EncodeHybrid(page_ids, id_bits, &body);
  } else {
    PlainValues(page.value_begin, page.value_end, &body);
  }
  PageHeader h;
  h.type = PageType::kDataPage;
  DataPageHeader d;
  d.num_values = static_cast<int32_t>(page.row_end - page.row_begin);
  d.encoding = ids ? Encoding::kRleDictionary : Encoding::kPlain;
  h.data_page = d;
  AppendPage(body, h, chunk);
}

EncodedChunk ColumnWriter::Flush() {
  EncodedChunk chunk;
  ColumnMetaData& m = chunk.meta;
  m.type = leaf_.physical;
  m.path_in_schema = leaf_.path;
  m.codec = options_.codec;
  m.num_values = static_cast<int64_t>(rows_);
  std::vector<uint32_t> ids;
  std::string dict_plain;
  size_t dict_count = 0;
  bool use_dict = options_.dictionary && leaf_.physical != PhysicalType::kBoolean && NumValues() > 0 &&
                  BuildDictionary(&ids, &dict_plain, &dict_count);
  if (use_dict) {
    PageHeader h;
    h.type = PageType::kDictionaryPage;
    h.dictionary_page = DictionaryPageHeader{static_cast<int32_t>(dict_count), Encoding::kPlain};
    m.dictionary_page_offset = 0;
    AppendPage(dict_plain, h, &chunk);
    m.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  } else {
    m.encodings = {Encoding::kPlain, Encoding::kRle};
  }
  m.data_page_offset = static_cast<int64_t>(chunk.bytes.size());
  int id_bits = BitWidth(dict_count > 0 ? dict_count - 1 : 0);
  for (const Page& page : CutPages()) WriteDataPage(page, use_dict ? &ids : nullptr, id_bits, &chunk);
  ComputeStats(&chunk);
  Clear();
  return chunk;
}

void ColumnWriter::ComputeStats(EncodedChunk* chunk) const {
  ColumnStats& s = chunk->stats;
  s.path = leaf_.path;
  s.field_id = leaf_.field_id;
  s.value_count = static_cast<int64_t>(rows_);
  s.null_count = static_cast<int64_t>(rows_ - NumValues());
  s.compressed_size = chunk->meta.total_compressed_size;
  s.uncompressed_size = chunk->meta.total_uncompressed_size;
  Statistics st;
  st.null_count = s.null_count;
  std::string min_bytes, max_bytes;
  switch (leaf_.physical) {
    case PhysicalType::kBoolean:
      if (!bools_.empty()) {
        uint8_t lo = 1, hi = 0;
        for (uint8_t b : bools_) lo = std::min(lo, b), hi = std::max(hi, b);
        min_bytes = StatBytes(&lo, 1);
        max_bytes = StatBytes(&hi, 1);
        s.min = Value::Boolean(lo != 0);
        s.max = Value::Boolean(hi != 0);
      }
      break;
    case PhysicalType::kInt32:
      if (!i32_.empty()) {
        auto [lo, hi] = std::minmax_element(i32_.begin(), i32_.end());
        min_bytes = StatBytes(&*lo, 4);
        max_bytes = StatBytes(&*hi, 4);
      }
      break;
    case PhysicalType::kInt64:
      if (!i64_.empty()) {
        auto [lo, hi] = std::minmax_element(i64_.begin(), i64_.end());
        min_bytes = StatBytes(&*lo, 8);
        max_bytes = StatBytes(&*hi, 8);
      }
      break;
    case PhysicalType::kDouble: {
      bool any = false;
      double lo = 0, hi = 0;
      for (double d : f64_) {
        if (std::isnan(d)) {
          ++s.nan_count;
          continue;
        }
        if (!any || d < lo) lo = d;
        if (!any || d > hi) hi = d;
        any = true;
      }
      if (any) {
        if (lo == 0) lo = -0.0;
        if (hi == 0) hi = 0.0;
        min_bytes = StatBytes(&lo, 8);
        max_bytes = StatBytes(&hi, 8);
      }
      break;
    }
    case PhysicalType::kFixedLenByteArray:
      if (!i128_.empty()) {
        auto [lo, hi] = std::minmax_element(i128_.begin(), i128_.end());
        AppendBigEndianDecimal(*lo, leaf_.type_length, &min_bytes);
        AppendBigEndianDecimal(*hi, leaf_.type_length, &max_bytes);
      }
      break;
    default:
      if (str_offsets_.size() > 1) {
        std::string_view all(str_bytes_);
        std::string_view lo = all.substr(0, str_offsets_[1]), hi = lo;
        for (size_t i = 1; i + 1 < str_offsets_.size(); ++i) {
          std::string_view v = all.substr(str_offsets_[i], str_offsets_[i + 1] - str_offsets_[i]);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min_bytes = std::string(lo);
        max_bytes = std::string(hi);
      }
      break;
  }
  if (!min_bytes.empty() || (leaf_.physical == PhysicalType::kByteArray && str_offsets_.size() > 1)) {
    if (!s.min) s.min = DecodeStatValue(leaf_, min_bytes);
    if (!s.max) s.max = DecodeStatValue(leaf_, max_bytes);
    if (min_bytes.size() <= kMaxStatBytes && max_bytes.size() <= kMaxStatBytes) {
      st.min_value = std::move(min_bytes);
      st.max_value = std::move(max_bytes);
    }
  }
  chunk->meta.statistics = std::move(st);
}

void ColumnWriter::Clear() {
  rows_ = 0;
  defs_.clear();
  bools_.clear();
  i32_.clear();
  i64_.clear();
  f64_.clear();
  i128_.clear();
  str_offsets_.assign(1, 0);
  str_bytes_.clear();
}

}  // namespace kappa::table::parquet
