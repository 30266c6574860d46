// String functions on UTF-8 with Flink's semantics: positions and lengths
// count code points; UPPER/LOWER map Unicode letters (an all-ASCII value
// takes a byte loop); SUBSTRING is 1-based, a start <= 0 counts from the
// end (0 = 1), a negative length gives NULL; CONCAT is NULL when any
// argument is; TRIM removes any of a set of characters (default ' ').
#include <clocale>
#include <cwctype>
#include <locale.h>

#include "engine/expr/functions.h"
#include "engine/expr/row_kernel.h"

namespace kappa::engine {
namespace {

// Byte length of the UTF-8 sequence led by b (1 for a stray byte).
inline size_t CodePointLength(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b >> 5) == 0x6) return 2;
  if ((b >> 4) == 0xE) return 3;
  if ((b >> 3) == 0x1E) return 4;
  return 1;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Decodes the code point at s[*pos] and advances.
char32_t Decode(std::string_view s, size_t* pos) {
  unsigned char b = static_cast<unsigned char>(s[*pos]);
  size_t len = CodePointLength(b);
  if (len == 1 || *pos + len > s.size()) {
    ++*pos;
    return b;
  }
  char32_t c = b & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[*pos + k]) & 0x3F);
  *pos += len;
  return c;
}

void Encode(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The C.UTF-8 locale for Unicode case mapping (created once, read-only).
locale_t Utf8Locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

class CaseMap final : public RowKernel {
 public:
  CaseMap(bool upper, KernelPtr arg) : RowKernel(DataType::String(), Args(std::move(arg))), upper_(upper) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    locale_t loc = Utf8Locale();
    return BuildStrings(type(), rows, n, nulls, [&](uint32_t i, std::string* out) {
      std::string_view s = StrAt(args[0], i);
      if (IsAscii(s) || loc == nullptr) {
        out->resize(s.size());
        for (size_t k = 0; k < s.size(); ++k) {
          char c = s[k];
          if (upper_ && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
          if (!upper_ && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
          (*out)[k] = c;
        }
        return true;
      }
      for (size_t pos = 0; pos < s.size();) {
        wint_t c = static_cast<wint_t>(Decode(s, &pos));
        Encode(static_cast<char32_t>(upper_ ? towupper_l(c, loc) : towlower_l(c, loc)), out);
      }
      return true;
    });
  }

 private:
  static std::vector<KernelPtr> Args(KernelPtr a) {
    std::vector<KernelPtr> v;
    v.push_back(std::move(a));
    return v;
  }
  bool upper_;
};

// The byte offset of code point `index` (0-based) of s, or s.size().
size_t ByteOffset(std::string_view s, int64_t index) {
  size_t pos = 0;
  for (int64_t k = 0; k < index && pos < s.size(); ++k) pos += CodePointLength(static_cast<unsigned char>(s[pos]));
  return std::min(pos, s.size());
}

int64_t CountCodePoints(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

class Substring final : public RowKernel {
 public:
  using RowKernel::RowKernel;

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildStrings(type(), rows, n, nulls, [&](uint32_t i, std::string* out) {
      std::string_view s = StrAt(args[0], i);
      int64_t pos = FixedAt<int64_t>(args[1], i);
      int64_t length = args.size() > 2 ? FixedAt<int64_t>(args[2], i) : INT64_MAX;
      if (length < 0) return false;
      int64_t chars = IsAscii(s) ? static_cast<int64_t>(s.size()) : CountCodePoints(s);
      int64_t start = pos > 0 ? pos - 1 : pos < 0 ? chars + pos : 0;
      if (start < 0 || start >= chars) return true;  // empty
      int64_t end = chars - start < length ? chars : start + length;
      size_t b = ByteOffset(s, start);
      size_t e = b + ByteOffset(s.substr(b), end - start);
      out->assign(s.substr(b, e - b));
      return true;
    });
  }
};

class Concat final : public RowKernel {
 public:
  using RowKernel::RowKernel;

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildStrings(type(), rows, n, nulls, [&](uint32_t i, std::string* out) {
      for (const Datum& d : args) out->append(StrAt(d, i));
      return true;
    });
  }
};

class Trim final : public RowKernel {
 public:
  Trim(std::vector<KernelPtr> args, bool leading, bool trailing, std::u32string chars)
      : RowKernel(DataType::String(), std::move(args)), leading_(leading), trailing_(trailing), chars_(std::move(chars)) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildStrings(type(), rows, n, nulls, [&](uint32_t i, std::string* out) {
      std::string_view s = StrAt(args[0], i);
      size_t b = 0, e = s.size();
      if (leading_) {
        while (b < e) {
          size_t next = b;
          if (chars_.find(Decode(s, &next)) == std::u32string::npos) break;
          b = next;
        }
      }
      if (trailing_) {
        while (e > b) {
          size_t start = e - 1;
          while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
          size_t next = start;
          if (chars_.find(Decode(s, &next)) == std::u32string::npos) break;
          e = start;
        }
      }
      out->assign(s.substr(b, e - b));
      return true;
    });
  }

 private:
  bool leading_, trailing_;
  std::u32string chars_;
};

class CharLength final : public RowKernel {
 public:
  using RowKernel::RowKernel;

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return DispatchFixed(type().id(), [&](auto tag) -> Result<ColumnPtr> {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
        return BuildFixed<T>(type(), rows, n, std::move(nulls), [&](uint32_t i, T* out) {
          *out = static_cast<T>(CountCodePoints(StrAt(args[0], i)));
          return true;
        });
      } else {
        return Internal("CHAR_LENGTH returns {}", type().ToString());
      }
    });
  }
};

Result<KernelPtr> MakeTrim(const sql::Expr& expr, std::vector<KernelPtr> args) {
  std::string mode = "BOTH";
  std::string chars = " ";
  if (args.size() > 1) {
    ASSIGN_OR_RETURN(mode, ConstantString(*args[1], "the TRIM mode"));
  }
  if (args.size() > 2) {
    ASSIGN_OR_RETURN(chars, ConstantString(*args[2], "the TRIM characters"));
  }
  if (mode != "BOTH" && mode != "LEADING" && mode != "TRAILING") {
    return Invalid("TRIM mode must be BOTH, LEADING or TRAILING, not {}", mode);
  }
  if (args.size() > 3) return Unsupported(expr);
  std::u32string set;
  for (size_t pos = 0; pos < chars.size();) set.push_back(Decode(chars, &pos));
  std::vector<KernelPtr> value;
  value.push_back(std::move(args[0]));
  return KernelPtr(std::make_unique<Trim>(std::move(value), mode != "TRAILING", mode != "LEADING", std::move(set)));
}

}  // namespace

Result<KernelPtr> MakeStringFunction(const sql::Expr& expr, std::vector<KernelPtr> args) {
  const std::string& f = expr.function;
  if (args.empty()) return Unsupported(expr);
  if (f == "CONCAT") {
    for (KernelPtr& a : args) {
      ASSIGN_OR_RETURN(a, CastTo(std::move(a), DataType::String()));
    }
    return KernelPtr(std::make_unique<Concat>(DataType::String(), std::move(args)));
  }
  TypeId t0 = args[0]->type().id();
  if (t0 == TypeId::kNull) args[0] = MakeLiteral(Value::Null(DataType::String()));
  else if (t0 != TypeId::kString) return Unsupported(expr);
  if (f == "UPPER" || f == "LOWER") {
    if (args.size() != 1) return Unsupported(expr);
    return KernelPtr(std::make_unique<CaseMap>(f == "UPPER", std::move(args[0])));
  }
  if (f == "SUBSTRING") {
    if (args.size() < 2 || args.size() > 3) return Unsupported(expr);
    for (size_t i = 1; i < args.size(); ++i) {
      if (!args[i]->type().IsIntegral() && args[i]->type().id() != TypeId::kNull) return Unsupported(expr);
      ASSIGN_OR_RETURN(args[i], CastTo(std::move(args[i]), DataType::Int64()));
    }
    return KernelPtr(std::make_unique<Substring>(DataType::String(), std::move(args)));
  }
  if (f == "TRIM") return MakeTrim(expr, std::move(args));
  if (f == "CHAR_LENGTH") {
    if (args.size() != 1 || !expr.type.IsIntegral()) return Unsupported(expr);
    return KernelPtr(std::make_unique<CharLength>(expr.type, std::move(args)));
  }
  return Unsupported(expr);
}

}  // namespace kappa::engine
