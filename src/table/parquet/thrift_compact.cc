#include "table/parquet/thrift_compact.h"

#include <cstring>

#include "base/varint.h"

namespace kappa::table::parquet {

void CompactWriter::EndStruct() {
  out_->push_back(0);
  last_ids_.pop_back();
}

void CompactWriter::FieldHeader(int16_t id, CType type) {
  int16_t& last = last_ids_.back();
  int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    AppendVarint(out_, id);
  }
  last = id;
}

void CompactWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, CType::kI32);
  AppendVarint(out_, v);
}

void CompactWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, CType::kI64);
  AppendVarint(out_, v);
}

void CompactWriter::FieldDouble(int16_t id, double v) {
  FieldHeader(id, CType::kDouble);
  AppendLE(out_, v);
}

void CompactWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, CType::kBinary);
  Binary(v);
}

void CompactWriter::FieldList(int16_t id, CType elem, size_t size) {
  FieldHeader(id, CType::kList);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<uint8_t>(elem)));
  } else {
    out_->push_back(static_cast<char>(0xF0 | static_cast<uint8_t>(elem)));
    AppendUVarint(out_, size);
  }
}

void CompactWriter::I32(int32_t v) { AppendVarint(out_, v); }

void CompactWriter::Binary(std::string_view v) {
  AppendUVarint(out_, v.size());
  out_->append(v);
}

Status CompactReader::status() const {
  if (ok()) return OkStatus();
  return Corruption("thrift: {}", error_);
}

void CompactReader::Fail(std::string what) {
  if (ok()) error_ = std::move(what);
  p_ = end_;
}

uint8_t CompactReader::Byte() {
  if (p_ >= end_) {
    Fail("truncated");
    return 0;
  }
  return *p_++;
}

uint64_t CompactReader::UVarint() {
  uint64_t v = 0;
  if (!ok() || !ReadUVarint(&p_, end_, &v)) {
    Fail("bad varint");
    return 0;
  }
  return v;
}

void CompactReader::BeginStruct() {
  if (++depth_ > kMaxDepth) Fail("nested too deeply");
  last_ids_.push_back(0);
}

void CompactReader::EndStruct() {
  --depth_;
  if (!last_ids_.empty()) last_ids_.pop_back();
}

bool CompactReader::NextField(int16_t* id, CType* type) {
  if (!ok() || last_ids_.empty()) return false;
  uint8_t b = Byte();
  if (b == 0) return false;
  *type = static_cast<CType>(b & 0x0F);
  int delta = b >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_ids_.back() + delta);
  } else {
    uint64_t u = UVarint();
    *id = static_cast<int16_t>(static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)));
  }
  last_ids_.back() = *id;
  return ok();
}

int64_t CompactReader::I64() {
  uint64_t u = UVarint();
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

int32_t CompactReader::I32() {
  int64_t v = I64();
  if (v < INT32_MIN || v > INT32_MAX) {
    Fail("i32 out of range");
    return 0;
  }
  return static_cast<int32_t>(v);
}

double CompactReader::Double() {
  if (remaining() < 8) {
    Fail("truncated double");
    return 0;
  }
  double v;
  std::memcpy(&v, p_, 8);
  p_ += 8;
  return v;
}

std::string CompactReader::Binary() {
  uint64_t n = UVarint();
  if (n > remaining()) {
    Fail("binary length beyond the end");
    return {};
  }
  std::string s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

size_t CompactReader::ListBegin(CType* elem) {
  uint8_t b = Byte();
  *elem = static_cast<CType>(b & 0x0F);
  uint64_t n = b >> 4;
  if (n == 15) n = UVarint();
  if (n > remaining()) {
    Fail("list longer than the input");
    return 0;
  }
  return n;
}

void CompactReader::Skip(CType type) {
  switch (type) {
    case CType::kTrue:
    case CType::kFalse: return;
    case CType::kByte: Byte(); return;
    case CType::kI16:
    case CType::kI32:
    case CType::kI64: UVarint(); return;
    case CType::kDouble: Double(); return;
    case CType::kBinary: Binary(); return;
    case CType::kList:
    case CType::kSet: {
      CType elem;
      size_t n = ListBegin(&elem);
      if (++depth_ > kMaxDepth) return Fail("nested too deeply");
      for (size_t i = 0; i < n && ok(); ++i) {
        if (elem == CType::kTrue || elem == CType::kFalse) {
          Byte();
        } else {
          Skip(elem);
        }
      }
      --depth_;
      return;
    }
    case CType::kMap: {
      uint64_t n = UVarint();
      if (n == 0) return;
      uint8_t kv = Byte();
      if (n > remaining()) return Fail("map longer than the input");
      if (++depth_ > kMaxDepth) return Fail("nested too deeply");
      for (uint64_t i = 0; i < n && ok(); ++i) {
        Skip(static_cast<CType>(kv >> 4));
        Skip(static_cast<CType>(kv & 0x0F));
      }
      --depth_;
      return;
    }
    case CType::kStruct: {
      BeginStruct();
      int16_t id;
      CType t;
      while (NextField(&id, &t)) Skip(t);
      EndStruct();
      return;
    }
    default: Fail("unknown type " + std::to_string(static_cast<int>(type))); return;
  }
}

}  // namespace kappa::table::parquet
