// LIKE: '%' matches any sequence, '_' exactly one code point, an optional
// ESCAPE character makes the next '%', '_' or itself literal (no escape
// character unless one is given, as in the SQL standard). A constant pattern
// is compiled once into an exact, prefix, suffix or contains test when it
// has no '_', else into '%'-separated segments matched left to right.
#include "engine/expr/functions.h"
#include "engine/expr/row_kernel.h"

namespace kappa::engine {
namespace {

inline size_t CodePointLength(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b >> 5) == 0x6) return 2;
  if ((b >> 4) == 0xE) return 3;
  if ((b >> 3) == 0x1E) return 4;
  return 1;
}

class LikePattern {
 public:
  // Errors: an escape character not followed by '%', '_' or itself, or an
  // escape that is not one character.
  static Result<LikePattern> Compile(std::string_view pattern, std::string_view escape) {
    if (escape.size() > 1) return Invalid("LIKE escape must be one character, not '{}'", escape);
    LikePattern p;
    p.segments_.emplace_back();
    bool any_underscore = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (!escape.empty() && c == escape[0]) {
        if (i + 1 >= pattern.size() || (pattern[i + 1] != '%' && pattern[i + 1] != '_' && pattern[i + 1] != escape[0])) {
          return Invalid("invalid escape sequence in LIKE pattern '{}'", pattern);
        }
        p.AddLiteral(pattern[++i]);
      } else if (c == '%') {
        p.segments_.emplace_back();
      } else if (c == '_') {
        p.segments_.back().push_back(Item{true, ""});
        any_underscore = true;
      } else {
        p.AddLiteral(c);
      }
    }
    p.Classify(any_underscore);
    return p;
  }

  bool Matches(std::string_view s) const {
    switch (kind_) {
      case Kind::kExact: return s == literal_;
      case Kind::kPrefix: return s.substr(0, literal_.size()) == literal_;
      case Kind::kSuffix:
        return s.size() >= literal_.size() && s.substr(s.size() - literal_.size()) == literal_;
      case Kind::kContains: return s.find(literal_) != std::string_view::npos;
      case Kind::kGeneral: return MatchGeneral(s);
    }
    return false;
  }

 private:
  struct Item {
    bool any_char;
    std::string literal;
  };
  using Segment = std::vector<Item>;
  enum class Kind { kExact, kPrefix, kSuffix, kContains, kGeneral };

  void AddLiteral(char c) {
    Segment& seg = segments_.back();
    if (seg.empty() || seg.back().any_char) seg.push_back(Item{false, ""});
    seg.back().literal.push_back(c);
  }

  static std::string Text(const Segment& seg) { return seg.empty() ? "" : seg[0].literal; }

  void Classify(bool any_underscore) {
    kind_ = Kind::kGeneral;
    if (any_underscore) return;
    size_t n = segments_.size();
    if (n == 1) {
      kind_ = Kind::kExact;
      literal_ = Text(segments_[0]);
    } else if (n == 2 && segments_[0].empty()) {
      kind_ = Kind::kSuffix;
      literal_ = Text(segments_[1]);
    } else if (n == 2 && segments_[1].empty()) {
      kind_ = Kind::kPrefix;
      literal_ = Text(segments_[0]);
    } else if (n == 3 && segments_[0].empty() && segments_[2].empty()) {
      kind_ = Kind::kContains;
      literal_ = Text(segments_[1]);
    }
  }

  // The end of `seg` matched at s[pos], or npos.
  static size_t MatchAt(const Segment& seg, std::string_view s, size_t pos) {
    for (const Item& item : seg) {
      if (item.any_char) {
        if (pos >= s.size()) return std::string_view::npos;
        pos += CodePointLength(static_cast<unsigned char>(s[pos]));
        if (pos > s.size()) return std::string_view::npos;
      } else {
        if (s.compare(pos, item.literal.size(), item.literal) != 0 || pos + item.literal.size() > s.size()) {
          return std::string_view::npos;
        }
        pos += item.literal.size();
      }
    }
    return pos;
  }

  static size_t CodePoints(const Segment& seg) {
    size_t n = 0;
    for (const Item& item : seg) {
      if (item.any_char) {
        ++n;
      } else {
        for (char c : item.literal) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }
    }
    return n;
  }

  bool MatchGeneral(std::string_view s) const {
    size_t last = segments_.size() - 1;
    if (last == 0) return MatchAt(segments_[0], s, 0) == s.size();
    size_t pos = MatchAt(segments_[0], s, 0);
    if (pos == std::string_view::npos) return false;
    for (size_t k = 1; k < last; ++k) {  // leftmost match of each middle segment
      size_t found = std::string_view::npos;
      for (size_t p = pos; p <= s.size(); p += p < s.size() ? CodePointLength(static_cast<unsigned char>(s[p])) : 1) {
        found = MatchAt(segments_[k], s, p);
        if (found != std::string_view::npos) break;
      }
      if (found == std::string_view::npos) return false;
      pos = found;
    }
    // The last segment ends at the end: it starts CodePoints() code points back.
    size_t start = s.size();
    for (size_t k = CodePoints(segments_[last]); k > 0; --k) {
      if (start == 0) return false;
      --start;
      while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    }
    return start >= pos && MatchAt(segments_[last], s, start) == s.size();
  }

  std::vector<Segment> segments_;
  Kind kind_ = Kind::kGeneral;
  std::string literal_;
};

// LIKE with a constant pattern, compiled once.
class ConstantLike final : public Kernel {
 public:
  ConstantLike(KernelPtr value, LikePattern pattern)
      : Kernel(DataType::Boolean()), value_(std::move(value)), pattern_(std::move(pattern)) {}

  Result<Datum> Evaluate(const columnar::Batch& batch, RowSet rows) const override {
    ASSIGN_OR_RETURN(Datum v, value_->Evaluate(batch, rows));
    if (v.is_constant()) {
      if (v.scalar.is_null()) return Datum::Constant(Value::Null(type()));
      return Datum::Constant(Value::Boolean(pattern_.Matches(v.scalar.string())));
    }
    size_t n = batch.num_rows;
    auto out = NewColumn<uint8_t>(type(), n);
    uint8_t* dst = out->mutable_values<uint8_t>().data();
    WithStrReader(v, [&](auto r) { ForEachRow(rows, [&](uint32_t i) { dst[i] = pattern_.Matches(r[i]); }); });
    SetNulls(*out, v.column->nulls());
    return Datum::Of(std::move(out));
  }

 private:
  KernelPtr value_;
  LikePattern pattern_;
};

// LIKE with a pattern (or escape) that varies per row.
class RowLike final : public RowKernel {
 public:
  using RowKernel::RowKernel;

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    Status status;
    ColumnPtr out = BuildFixed<uint8_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, uint8_t* v) {
      if (!status.ok()) return true;
      Result<LikePattern> p = LikePattern::Compile(StrAt(args[1], i), args.size() > 2 ? StrAt(args[2], i) : "");
      if (!p.ok()) {
        status = p.status();
        return true;
      }
      *v = p->Matches(StrAt(args[0], i));
      return true;
    });
    RETURN_IF_ERROR(status);
    return out;
  }
};

}  // namespace

Result<KernelPtr> MakeLike(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() < 2 || args.size() > 3) return Unsupported(expr);
  for (KernelPtr& a : args) {
    if (a->type().id() == TypeId::kNull) a = MakeLiteral(Value::Null(DataType::String()));
    if (a->type().id() != TypeId::kString) return Unsupported(expr);
  }
  bool null_pattern = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const Value* v = args[i]->constant();
    null_pattern |= v != nullptr && v->is_null();
  }
  if (null_pattern) return MakeLiteral(Value::Null(DataType::Boolean()));
  bool constant = args[1]->constant() != nullptr && (args.size() < 3 || args[2]->constant() != nullptr);
  if (constant) {
    std::string escape = args.size() > 2 ? args[2]->constant()->string() : "";
    ASSIGN_OR_RETURN(LikePattern p, LikePattern::Compile(args[1]->constant()->string(), escape));
    return KernelPtr(std::make_unique<ConstantLike>(std::move(args[0]), std::move(p)));
  }
  return KernelPtr(std::make_unique<RowLike>(DataType::Boolean(), std::move(args)));
}

}  // namespace kappa::engine
