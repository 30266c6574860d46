// Primary expressions: literals, intervals, names, function calls and the
// special forms with keywords inside the parentheses (CAST, EXTRACT,
// SUBSTRING, TRIM, POSITION, FLOOR/CEIL .. TO), CASE and ROW_NUMBER() OVER.
#include <array>

#include "sql/parser.h"

namespace kappa::sql {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

ast::ExprPtr MakeExpr(ast::ExprKind kind) {
  auto e = std::make_shared<ast::Expr>();
  e->kind = kind;
  return e;
}

struct IntervalUnit {
  std::string_view name;
  int64_t millis;
};
constexpr std::array<IntervalUnit, 4> kIntervalUnits = {
    {{"DAY", 86'400'000}, {"HOUR", 3'600'000}, {"MINUTE", 60'000}, {"SECOND", 1'000}}};

int IntervalUnitIndex(std::string word) {
  word = Upper(std::move(word));
  if (word.size() > 1 && word.back() == 'S') word.pop_back();
  for (size_t i = 0; i < kIntervalUnits.size(); ++i) {
    if (kIntervalUnits[i].name == word) return static_cast<int>(i);
  }
  return -1;
}

// Splits "1 02:03:04.5" on ' ' and ':'.
std::vector<std::string> IntervalFields(std::string_view text) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == ' ' || c == ':') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Milliseconds of `field` in a unit of `millis`, with a fraction only for
// seconds. False when it is not a number or too large.
bool IntervalField(const std::string& field, int64_t millis, bool allow_fraction, int64_t* out) {
  size_t dot = field.find('.');
  std::string whole = field.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : field.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || fraction.size() > 3) return false;
  if (!fraction.empty() && !allow_fraction) return false;
  for (char c : whole + fraction) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  int64_t value = std::stoll(whole) * millis;
  if (!fraction.empty()) {
    fraction.resize(3, '0');
    value += std::stoll(fraction);
  }
  *out = value;
  return true;
}

}  // namespace

ast::ExprPtr Parser::UnitLiteral(const std::string& unit, size_t pos) const {
  auto e = MakeExpr(ast::ExprKind::kLiteral);
  e->literal = ast::LiteralKind::kString;
  e->value = unit;
  e->pos = pos;
  e->end = pos + unit.size();
  return e;
}

Result<ast::ExprPtr> Parser::Primary() {
  size_t start = Cur().offset;
  const Token& t = Cur();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat:
    case TokenKind::kString:
      return Literal();
    case TokenKind::kQuotedWord:
      return NameOrCall();
    case TokenKind::kSymbol:
      if (IsSymbol("(")) return Parenthesized();
      return Expected("an expression");
    case TokenKind::kEnd:
      return Expected("an expression");
    case TokenKind::kWord:
      break;
  }
  std::string word = Upper(t.text);
  if (word == "NULL" || word == "TRUE" || word == "FALSE") return Literal();
  if (Peek(1).kind == TokenKind::kString) {
    if (word == "DATE") return TypedLiteral(ast::LiteralKind::kDate);
    if (word == "TIMESTAMP") return TypedLiteral(ast::LiteralKind::kTimestamp);
    if (word == "TIMESTAMP_LTZ") return TypedLiteral(ast::LiteralKind::kTimestampLtz);
    if (word == "TIME") return UnsupportedHere("TIME literals");
  }
  if (word == "INTERVAL") return Interval();
  if (word == "CASE") return Case();
  if (IsSymbol("(", 1)) {
    if (word == "CAST" || word == "TRY_CAST") return Cast(word == "TRY_CAST");
    if (word == "EXTRACT") return Extract();
    if (word == "SUBSTRING") return Substring();
    if (word == "TRIM") return Trim();
    if (word == "POSITION") return Position();
    if (word == "FLOOR" || word == "CEIL" || word == "CEILING") {
      return FloorCeil(word == "FLOOR" ? "FLOOR" : "CEIL");
    }
  }
  if (word == "EXISTS") return UnsupportedHere("EXISTS subqueries");
  if ((word == "ARRAY" || word == "MAP") && (IsSymbol("[", 1) || IsSymbol("(", 1))) {
    return UnsupportedHere(fmt::format("{} constructors", word));
  }
  if (IsReservedWord(t.text)) return Expected("an expression");
  (void)start;
  return NameOrCall();
}

Result<ast::ExprPtr> Parser::Parenthesized() {
  size_t start = Cur().offset;
  Advance();  // (
  if (IsWord("SELECT") || IsWord("WITH")) return UnsupportedHere("subqueries in expressions");
  ASSIGN_OR_RETURN(ast::ExprPtr inner, Expression());
  if (IsSymbol(",")) return UnsupportedHere("row constructors (a, b)");
  RETURN_IF_ERROR(ExpectSymbol(")"));
  // Keep the parentheses in the display text: "(a + b) * 2".
  inner->pos = std::min(inner->pos, start);
  inner->end = PrevEnd();
  return inner;
}

Result<ast::ExprPtr> Parser::Literal() {
  size_t start = Cur().offset;
  auto e = MakeExpr(ast::ExprKind::kLiteral);
  const Token& t = Cur();
  e->value = t.text;
  switch (t.kind) {
    case TokenKind::kInteger: e->literal = ast::LiteralKind::kInteger; break;
    case TokenKind::kDecimal: e->literal = ast::LiteralKind::kDecimal; break;
    case TokenKind::kFloat: e->literal = ast::LiteralKind::kFloat; break;
    case TokenKind::kString: e->literal = ast::LiteralKind::kString; break;
    default: {
      std::string word = Upper(t.text);
      e->literal = word == "NULL" ? ast::LiteralKind::kNull : ast::LiteralKind::kBoolean;
      e->value = word;
    }
  }
  Advance();
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::TypedLiteral(ast::LiteralKind kind) {
  size_t start = Cur().offset;
  Advance();  // DATE / TIMESTAMP
  auto e = MakeExpr(ast::ExprKind::kLiteral);
  e->literal = kind;
  e->value = Cur().text;
  Advance();
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Interval() {
  size_t start = Cur().offset;
  Advance();  // INTERVAL
  bool negative = false;
  if (AcceptSymbol("-")) negative = true;
  if (Cur().kind != TokenKind::kString) return Expected("an interval value in quotes ('5')");
  std::string text = Cur().text;
  size_t text_pos = Cur().offset;
  Advance();
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = negative != (text[0] == '-');
    text = text.substr(1);
  }
  for (std::string_view big : {"YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS"}) {
    if (IsWord(big)) {
      return UnsupportedHere(fmt::format("INTERVAL ... {} (use DAY, HOUR, MINUTE or SECOND)",
                                         Upper(Cur().text)));
    }
  }
  if (Cur().kind != TokenKind::kWord || IntervalUnitIndex(Cur().text) < 0) {
    return Expected("an interval unit (DAY, HOUR, MINUTE or SECOND)");
  }
  int first = IntervalUnitIndex(Cur().text);
  int last = first;
  Advance();
  if (IsSymbol("(")) {
    ASSIGN_OR_RETURN(auto ignored, Precision(2, 0, true));
    (void)ignored;
  }
  if (AcceptWord("TO")) {
    if (Cur().kind != TokenKind::kWord || IntervalUnitIndex(Cur().text) <= first) {
      return Expected(fmt::format("a unit smaller than {}", kIntervalUnits[first].name));
    }
    last = IntervalUnitIndex(Cur().text);
    Advance();
    if (IsSymbol("(")) {
      ASSIGN_OR_RETURN(auto ignored, Precision(2, 0, true));
      (void)ignored;
    }
  }
  std::vector<std::string> fields = IntervalFields(text);
  int64_t total = 0;
  bool ok = fields.size() == static_cast<size_t>(last - first + 1);
  for (size_t i = 0; ok && i < fields.size(); ++i) {
    const IntervalUnit& unit = kIntervalUnits[first + i];
    int64_t value = 0;
    ok = IntervalField(fields[i], unit.millis, unit.name == "SECOND", &value);
    total += value;
  }
  if (!ok) {
    std::string range(kIntervalUnits[first].name);
    if (last != first) range += fmt::format(" TO {}", kIntervalUnits[last].name);
    return ErrorAt(text_pos, fmt::format("invalid INTERVAL value '{}' for {}", text, range));
  }
  auto e = MakeExpr(ast::ExprKind::kInterval);
  e->interval_ms = negative ? -total : total;
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Case() {
  size_t start = Cur().offset;
  Advance();  // CASE
  auto e = MakeExpr(ast::ExprKind::kCase);
  if (!IsWord("WHEN")) {
    ASSIGN_OR_RETURN(e->operand, Expression());
  }
  while (AcceptWord("WHEN")) {
    ASSIGN_OR_RETURN(ast::ExprPtr when, Expression());
    RETURN_IF_ERROR(ExpectWord("THEN"));
    ASSIGN_OR_RETURN(ast::ExprPtr then, Expression());
    e->whens.emplace_back(std::move(when), std::move(then));
  }
  if (e->whens.empty()) return Expected("WHEN");
  if (AcceptWord("ELSE")) {
    ASSIGN_OR_RETURN(e->else_expr, Expression());
  }
  RETURN_IF_ERROR(ExpectWord("END"));
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Cast(bool try_cast) {
  size_t start = Cur().offset;
  pos_ += 2;  // CAST (
  auto e = MakeExpr(ast::ExprKind::kCast);
  e->try_cast = try_cast;
  ASSIGN_OR_RETURN(ast::ExprPtr value, Expression());
  e->args.push_back(std::move(value));
  RETURN_IF_ERROR(ExpectWord("AS"));
  ASSIGN_OR_RETURN(e->type, Type());
  if (AcceptWord("NOT")) RETURN_IF_ERROR(ExpectWord("NULL"));
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return Finish(e, start);
}

Result<std::string> Parser::TimeUnit(const char* what) {
  static constexpr std::array<std::string_view, 14> kUnits = {
      "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR",
      "DOW", "DOY", "EPOCH", "DECADE", "CENTURY"};
  if (Cur().kind == TokenKind::kWord) {
    std::string unit = Upper(Cur().text);
    if (unit == "DAYOFWEEK") unit = "DOW";
    if (unit == "DAYOFYEAR") unit = "DOY";
    if (unit.size() > 1 && unit.back() == 'S' && unit != "DOS") unit.pop_back();
    for (std::string_view u : kUnits) {
      if (u == unit) {
        Advance();
        return unit;
      }
    }
    if (unit == "MICROSECOND" || unit == "NANOSECOND" || unit == "MILLENNIUM") {
      return UnsupportedHere(fmt::format("time unit {}", unit));
    }
  }
  return Expected(what);
}

Result<ast::ExprPtr> Parser::Extract() {
  size_t start = Cur().offset;
  pos_ += 2;  // EXTRACT (
  size_t unit_pos = Cur().offset;
  ASSIGN_OR_RETURN(std::string unit, TimeUnit("a time unit (YEAR, MONTH, DAY, HOUR, ...)"));
  RETURN_IF_ERROR(ExpectWord("FROM"));
  ASSIGN_OR_RETURN(ast::ExprPtr value, Expression());
  RETURN_IF_ERROR(ExpectSymbol(")"));
  auto e = MakeExpr(ast::ExprKind::kCall);
  e->op = "EXTRACT";
  e->args = {UnitLiteral(unit, unit_pos), value};
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Substring() {
  size_t start = Cur().offset;
  pos_ += 2;  // SUBSTRING (
  auto e = MakeExpr(ast::ExprKind::kCall);
  e->op = "SUBSTRING";
  ASSIGN_OR_RETURN(ast::ExprPtr value, Expression());
  e->args.push_back(value);
  bool keyword_form = AcceptWord("FROM");
  if (!keyword_form && !AcceptSymbol(",")) return Expected("FROM or ',' and a start position");
  ASSIGN_OR_RETURN(ast::ExprPtr from, Expression());
  e->args.push_back(from);
  if (keyword_form ? AcceptWord("FOR") : AcceptSymbol(",")) {
    ASSIGN_OR_RETURN(ast::ExprPtr length, Expression());
    e->args.push_back(length);
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Trim() {
  size_t start = Cur().offset;
  pos_ += 2;  // TRIM (
  std::string mode = "BOTH";
  size_t mode_pos = Cur().offset;
  bool has_mode = false;
  for (std::string_view m : {"BOTH", "LEADING", "TRAILING"}) {
    if (AcceptWord(m)) {
      mode = std::string(m);
      has_mode = true;
      break;
    }
  }
  ast::ExprPtr chars, value;
  if (AcceptWord("FROM")) {
    ASSIGN_OR_RETURN(value, Expression());
  } else {
    ASSIGN_OR_RETURN(ast::ExprPtr first, Expression());
    if (AcceptWord("FROM")) {
      chars = first;
      ASSIGN_OR_RETURN(value, Expression());
    } else if (has_mode) {
      return Expected("FROM");
    } else {
      value = first;
    }
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  auto e = MakeExpr(ast::ExprKind::kCall);
  e->op = "TRIM";
  e->args = {value, UnitLiteral(mode, mode_pos)};
  if (chars) e->args.push_back(chars);
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::Position() {
  size_t start = Cur().offset;
  pos_ += 2;  // POSITION (
  ASSIGN_OR_RETURN(ast::ExprPtr needle, Concat());
  RETURN_IF_ERROR(ExpectWord("IN"));
  ASSIGN_OR_RETURN(ast::ExprPtr haystack, Concat());
  RETURN_IF_ERROR(ExpectSymbol(")"));
  auto e = MakeExpr(ast::ExprKind::kCall);
  e->op = "POSITION";
  e->args = {needle, haystack};
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::FloorCeil(const std::string& name) {
  size_t start = Cur().offset;
  pos_ += 2;  // FLOOR (
  ASSIGN_OR_RETURN(ast::ExprPtr value, Expression());
  auto e = MakeExpr(ast::ExprKind::kCall);
  if (AcceptWord("TO")) {
    size_t unit_pos = Cur().offset;
    ASSIGN_OR_RETURN(std::string unit, TimeUnit("a time unit (SECOND, MINUTE, HOUR, DAY, ...)"));
    e->op = name + "_TO";
    e->args = {value, UnitLiteral(unit, unit_pos)};
  } else {
    e->op = name;
    e->args = {value};
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return Finish(e, start);
}

Result<ast::ExprPtr> Parser::NameOrCall() {
  size_t start = Cur().offset;
  bool quoted = Cur().kind == TokenKind::kQuotedWord;
  std::vector<std::string> names = {Cur().text};
  Advance();
  while (IsSymbol(".")) {
    Advance();
    if (AcceptSymbol("*")) {
      auto star = MakeExpr(ast::ExprKind::kStar);
      star->names = std::move(names);
      return Finish(star, start);
    }
    ASSIGN_OR_RETURN(std::string field, Identifier("a field name"));
    names.push_back(std::move(field));
  }
  if (IsSymbol("[")) return UnsupportedHere("array and map subscripts");
  if (IsSymbol("(")) {
    if (names.size() > 1 || quoted) {
      return ErrorAt(start, "qualified or quoted function names are not supported");
    }
    Advance();  // (
    return Call(Upper(names[0]), start);
  }
  std::string upper = Upper(names[0]);
  if (!quoted && names.size() == 1 &&
      (upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE" || upper == "LOCALTIMESTAMP" ||
       upper == "CURRENT_ROW_TIMESTAMP")) {
    auto call = MakeExpr(ast::ExprKind::kCall);
    call->op = upper;
    return Finish(call, start);
  }
  auto column = MakeExpr(ast::ExprKind::kColumn);
  column->names = std::move(names);
  return Finish(column, start);
}

Result<ast::ExprPtr> Parser::Call(std::string name, size_t start) {
  auto call = MakeExpr(ast::ExprKind::kCall);
  call->op = std::move(name);
  if (AcceptSymbol("*")) {
    call->star = true;
  } else if (!IsSymbol(")")) {
    if (AcceptWord("DISTINCT")) {
      call->distinct = true;
    } else {
      AcceptWord("ALL");
    }
    do {
      ASSIGN_OR_RETURN(ast::ExprPtr arg, Expression());
      call->args.push_back(std::move(arg));
    } while (AcceptSymbol(","));
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  if (AcceptWord("FILTER")) {
    RETURN_IF_ERROR(ExpectSymbol("("));
    RETURN_IF_ERROR(ExpectWord("WHERE"));
    ASSIGN_OR_RETURN(call->filter, Expression());
    RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  if (IsWord("WITHIN")) return UnsupportedHere("WITHIN GROUP");
  Finish(call, start);
  if (IsWord("OVER")) return Over(call);
  if (call->op == "ROW_NUMBER") return Expected("OVER (PARTITION BY ... ORDER BY ...)");
  return call;
}

Result<ast::ExprPtr> Parser::Over(ast::ExprPtr call) {
  size_t start = call->pos;
  if (call->op != "ROW_NUMBER") {
    if (call->op == "RANK" || call->op == "DENSE_RANK" || call->op == "PERCENT_RANK" ||
        call->op == "NTILE" || call->op == "LAG" || call->op == "LEAD") {
      return Unsupported(sql_, start,
                         fmt::format("{}() OVER (only ROW_NUMBER() OVER for Top-N and "
                                     "deduplication)", call->op));
    }
    return Unsupported(sql_, start, fmt::format("OVER aggregation ({}(...) OVER ...)", call->op));
  }
  if (!call->args.empty() || call->star) {
    return ErrorAt(start, "ROW_NUMBER() takes no arguments");
  }
  Advance();  // OVER
  if (!IsSymbol("(")) return UnsupportedHere("named windows (write OVER (PARTITION BY ...))");
  Advance();
  auto e = MakeExpr(ast::ExprKind::kRowNumber);
  if (AcceptWord("PARTITION")) {
    RETURN_IF_ERROR(ExpectWord("BY"));
    do {
      ASSIGN_OR_RETURN(ast::ExprPtr key, Expression());
      e->partition_by.push_back(std::move(key));
    } while (AcceptSymbol(","));
  }
  if (!IsWord("ORDER")) return Expected("ORDER BY (ROW_NUMBER() needs an order)");
  ASSIGN_OR_RETURN(e->order_by, OrderBy());
  if (IsWord("ROWS") || IsWord("RANGE")) return UnsupportedHere("window frames");
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return Finish(e, start);
}

}  // namespace kappa::sql
