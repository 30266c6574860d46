// Date and time functions, all in UTC (the session time zone of Kappa):
// DATE_FORMAT (SimpleDateFormat letters), EXTRACT, FLOOR_TO/CEIL_TO,
// TO_TIMESTAMP and UNIX_TIMESTAMP (NULL when the text does not parse, as
// Flink's TO_TIMESTAMP), and the non-deterministic CURRENT_TIMESTAMP, NOW,
// LOCALTIMESTAMP, CURRENT_DATE and UNIX_TIMESTAMP() (read once per batch,
// never folded at compile time).
#include <optional>

#include "base/time.h"
#include "engine/expr/datetime.h"
#include "engine/expr/functions.h"
#include "engine/expr/row_kernel.h"

namespace kappa::engine {
namespace {

// Millis of a DATE (days) or TIMESTAMP datum at row i.
int64_t MillisAt(const Datum& d, TypeId id, uint32_t i) {
  if (id == TypeId::kDate) return FixedAt<int32_t>(d, i) * kMillisPerDay;
  return FixedAt<int64_t>(d, i);
}

class DateFormat final : public RowKernel {
 public:
  DateFormat(std::vector<KernelPtr> args, std::optional<DateTimePattern> pattern)
      : RowKernel(DataType::String(), std::move(args)), pattern_(std::move(pattern)) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    TypeId id = this->args()[0]->type().id();
    Status status;
    ColumnPtr out = BuildStrings(type(), rows, n, nulls, [&](uint32_t i, std::string* text) {
      int64_t millis;
      if (id == TypeId::kString) {
        std::optional<int64_t> ts = ParseSqlTimestamp(StrAt(args[0], i));
        if (!ts) return false;
        millis = *ts;
      } else {
        millis = MillisAt(args[0], id, i);
      }
      if (pattern_) {
        pattern_->Format(millis, text);
        return true;
      }
      Result<DateTimePattern> p = DateTimePattern::Compile(StrAt(args[1], i));
      if (!p.ok()) {
        if (status.ok()) status = p.status();
        return false;
      }
      p->Format(millis, text);
      return true;
    });
    RETURN_IF_ERROR(status);
    return out;
  }

 private:
  std::optional<DateTimePattern> pattern_;
};

int64_t ExtractFromMillis(TimeUnit unit, int64_t millis) {
  int64_t days = FloorDiv(millis, kMillisPerDay);
  switch (unit) {
    case TimeUnit::kEpoch: return FloorDiv(millis, 1000);
    case TimeUnit::kDow: return DayOfWeek(days);
    case TimeUnit::kDoy: return DayOfYear(days);
    case TimeUnit::kWeek: return IsoWeek(days);
    default: break;
  }
  CivilTime t = ToCivil(millis);
  switch (unit) {
    case TimeUnit::kYear: return t.year;
    case TimeUnit::kQuarter: return (t.month - 1) / 3 + 1;
    case TimeUnit::kMonth: return t.month;
    case TimeUnit::kDay: return t.day;
    case TimeUnit::kHour: return t.hour;
    case TimeUnit::kMinute: return t.minute;
    case TimeUnit::kSecond: return t.second;
    case TimeUnit::kMillisecond: return t.second * 1000 + t.millis;
    default: return 0;
  }
}

int64_t ExtractFromInterval(TimeUnit unit, int64_t ms) {
  switch (unit) {
    case TimeUnit::kDay: return ms / kMillisPerDay;
    case TimeUnit::kHour: return ms / 3600000 % 24;
    case TimeUnit::kMinute: return ms / 60000 % 60;
    case TimeUnit::kSecond: return ms / 1000 % 60;
    case TimeUnit::kMillisecond: return ms % 60000;
    case TimeUnit::kEpoch: return ms / 1000;
    default: return 0;
  }
}

class Extract final : public RowKernel {
 public:
  Extract(DataType type, std::vector<KernelPtr> args, TimeUnit unit)
      : RowKernel(std::move(type), std::move(args)), unit_(unit) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    TypeId id = this->args()[0]->type().id();
    auto value = [&](uint32_t i) {
      if (id == TypeId::kInterval) return ExtractFromInterval(unit_, FixedAt<int64_t>(args[0], i));
      return ExtractFromMillis(unit_, MillisAt(args[0], id, i));
    };
    if (type().id() == TypeId::kInt32) {
      return BuildFixed<int32_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, int32_t* out) {
        *out = static_cast<int32_t>(value(i));
        return true;
      });
    }
    return BuildFixed<int64_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, int64_t* out) {
      *out = value(i);
      return true;
    });
  }

 private:
  TimeUnit unit_;
};

int64_t AddMonths(int64_t millis, int months) {
  CivilTime t = ToCivil(millis);
  int64_t m = t.year * 12 + (t.month - 1) + months;
  t.year = FloorDiv(m, 12);
  t.month = static_cast<int>(m - t.year * 12) + 1;
  return FromCivil(t);
}

int64_t CeilMillis(int64_t millis, TimeUnit unit) {
  int64_t f = FloorMillis(millis, unit);
  if (f == millis) return millis;
  switch (unit) {
    case TimeUnit::kSecond: return f + 1000;
    case TimeUnit::kMinute: return f + 60000;
    case TimeUnit::kHour: return f + 3600000;
    case TimeUnit::kDay: return f + kMillisPerDay;
    case TimeUnit::kWeek: return f + 7 * kMillisPerDay;
    case TimeUnit::kMonth: return AddMonths(f, 1);
    case TimeUnit::kQuarter: return AddMonths(f, 3);
    case TimeUnit::kYear: return AddMonths(f, 12);
    default: return millis;
  }
}

class FloorCeil final : public RowKernel {
 public:
  FloorCeil(DataType type, std::vector<KernelPtr> args, TimeUnit unit, bool ceil)
      : RowKernel(std::move(type), std::move(args)), unit_(unit), ceil_(ceil) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    auto apply = [&](int64_t ms) { return ceil_ ? CeilMillis(ms, unit_) : FloorMillis(ms, unit_); };
    if (type().id() == TypeId::kDate) {
      return BuildFixed<int32_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, int32_t* out) {
        *out = static_cast<int32_t>(FloorDiv(apply(FixedAt<int32_t>(args[0], i) * kMillisPerDay), kMillisPerDay));
        return true;
      });
    }
    return BuildFixed<int64_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, int64_t* out) {
      *out = apply(FixedAt<int64_t>(args[0], i));
      return true;
    });
  }

 private:
  TimeUnit unit_;
  bool ceil_;
};

// TO_TIMESTAMP (millis) and UNIX_TIMESTAMP (seconds) of text.
class ParseTime final : public RowKernel {
 public:
  ParseTime(DataType type, std::vector<KernelPtr> args, std::optional<DateTimePattern> pattern, int64_t divisor)
      : RowKernel(std::move(type), std::move(args)), pattern_(std::move(pattern)), divisor_(divisor) {}

 protected:
  Result<ColumnPtr> Compute(const std::vector<Datum>& args, RowSet rows, size_t n,
                            std::vector<uint8_t> nulls) const override {
    return BuildFixed<int64_t>(type(), rows, n, std::move(nulls), [&](uint32_t i, int64_t* out) {
      std::string_view text = StrAt(args[0], i);
      std::optional<int64_t> ms;
      if (pattern_) {
        ms = pattern_->Parse(text);
      } else if (args.size() > 1) {
        Result<DateTimePattern> p = DateTimePattern::Compile(StrAt(args[1], i));
        if (p.ok()) ms = p->Parse(text);
      } else {
        ms = ParseSqlTimestamp(text);
      }
      if (!ms) return false;
      *out = FloorDiv(*ms, divisor_);
      return true;
    });
  }

 private:
  std::optional<DateTimePattern> pattern_;
  int64_t divisor_;
};

// The wall clock, read once per batch.
class Now final : public Kernel {
 public:
  Now(DataType type, int64_t divisor) : Kernel(std::move(type)), divisor_(divisor) {}
  Result<Datum> Evaluate(const columnar::Batch&, RowSet) const override {
    int64_t v = FloorDiv(WallMillis(), divisor_);
    if (type().id() == TypeId::kDate) return Datum::Constant(Value::Date(static_cast<int32_t>(v)));
    return Datum::Constant(Value(type(), v));
  }
  bool deterministic() const override { return false; }

 private:
  int64_t divisor_;
};

bool IsTimestamp(TypeId id) { return id == TypeId::kTimestamp || id == TypeId::kTimestampLtz; }

Result<std::optional<DateTimePattern>> ConstantPattern(const std::vector<KernelPtr>& args, size_t index) {
  if (args.size() <= index || args[index]->constant() == nullptr || args[index]->constant()->is_null()) {
    return std::optional<DateTimePattern>();
  }
  ASSIGN_OR_RETURN(DateTimePattern p, DateTimePattern::Compile(args[index]->constant()->string()));
  return std::optional<DateTimePattern>(std::move(p));
}

Result<TimeUnit> UnitArg(const Kernel& arg) {
  ASSIGN_OR_RETURN(std::string name, ConstantString(arg, "the time unit"));
  std::optional<TimeUnit> unit = ParseTimeUnit(name);
  if (!unit) return Invalid("unknown time unit {}", name);
  return *unit;
}

Result<KernelPtr> MakeExtract(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 2 || !expr.type.IsIntegral()) return Unsupported(expr);
  ASSIGN_OR_RETURN(TimeUnit unit, UnitArg(*args[0]));
  TypeId id = args[1]->type().id();
  bool time_of_day = unit == TimeUnit::kHour || unit == TimeUnit::kMinute || unit == TimeUnit::kSecond ||
                     unit == TimeUnit::kMillisecond;
  bool ok = IsTimestamp(id) || (id == TypeId::kDate && !time_of_day) ||
            (id == TypeId::kInterval && (time_of_day || unit == TimeUnit::kDay || unit == TimeUnit::kEpoch));
  if (!ok) return Unimplemented("unsupported EXTRACT({} FROM {})", args[0]->constant()->string(),
                                args[1]->type().ToString());
  std::vector<KernelPtr> value;
  value.push_back(std::move(args[1]));
  return KernelPtr(std::make_unique<Extract>(expr.type, std::move(value), unit));
}

Result<KernelPtr> MakeFloorCeil(const sql::Expr& expr, std::vector<KernelPtr> args) {
  if (args.size() != 2) return Unsupported(expr);
  ASSIGN_OR_RETURN(TimeUnit unit, UnitArg(*args[1]));
  TypeId id = args[0]->type().id();
  bool ok = (unit >= TimeUnit::kMillisecond && unit <= TimeUnit::kYear) &&
            (IsTimestamp(id) || (id == TypeId::kDate && unit >= TimeUnit::kDay));
  if (!ok || args[0]->type().id() != expr.type.id()) return Unsupported(expr);
  std::vector<KernelPtr> value;
  value.push_back(std::move(args[0]));
  return KernelPtr(std::make_unique<FloorCeil>(expr.type, std::move(value), unit, expr.function == "CEIL_TO"));
}

Result<KernelPtr> MakeParse(const sql::Expr& expr, std::vector<KernelPtr> args, int64_t divisor) {
  if (args.size() > 2) return Unsupported(expr);
  for (KernelPtr& a : args) {
    if (a->type().id() == TypeId::kNull) a = MakeLiteral(Value::Null(DataType::String()));
    if (a->type().id() != TypeId::kString) return Unsupported(expr);
  }
  ASSIGN_OR_RETURN(std::optional<DateTimePattern> pattern, ConstantPattern(args, 1));
  return KernelPtr(std::make_unique<ParseTime>(expr.type, std::move(args), std::move(pattern), divisor));
}

}  // namespace

Result<KernelPtr> MakeTimeFunction(const sql::Expr& expr, std::vector<KernelPtr> args) {
  const std::string& f = expr.function;
  if (f == "CURRENT_TIMESTAMP" || f == "NOW" || f == "LOCALTIMESTAMP") {
    if (!args.empty() || !IsTimestamp(expr.type.id())) return Unsupported(expr);
    return KernelPtr(std::make_unique<Now>(expr.type, 1));
  }
  if (f == "CURRENT_DATE") {
    if (!args.empty()) return Unsupported(expr);
    return KernelPtr(std::make_unique<Now>(DataType::Date(), kMillisPerDay));
  }
  if (f == "UNIX_TIMESTAMP") {
    if (!expr.type.IsIntegral() || expr.type.id() != TypeId::kInt64) return Unsupported(expr);
    if (args.empty()) return KernelPtr(std::make_unique<Now>(expr.type, 1000));
    return MakeParse(expr, std::move(args), 1000);
  }
  if (f == "TO_TIMESTAMP") {
    if (args.empty() || !IsTimestamp(expr.type.id())) return Unsupported(expr);
    return MakeParse(expr, std::move(args), 1);
  }
  if (f == "EXTRACT") return MakeExtract(expr, std::move(args));
  if (f == "FLOOR_TO" || f == "CEIL_TO") return MakeFloorCeil(expr, std::move(args));
  if (f == "DATE_FORMAT") {
    if (args.size() != 2) return Unsupported(expr);
    TypeId id = args[0]->type().id();
    if (!IsTimestamp(id) && id != TypeId::kDate && id != TypeId::kString) return Unsupported(expr);
    if (args[1]->type().id() != TypeId::kString) return Unsupported(expr);
    ASSIGN_OR_RETURN(std::optional<DateTimePattern> pattern, ConstantPattern(args, 1));
    return KernelPtr(std::make_unique<DateFormat>(std::move(args), std::move(pattern)));
  }
  return Unsupported(expr);
}

}  // namespace kappa::engine
