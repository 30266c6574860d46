#include "format/json_writer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "simdjson.h"

namespace kappa::format {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Advances *i over one or more digits; false if there is none.
bool Digits(std::string_view s, size_t* i) {
  size_t start = *i;
  while (*i < s.size() && IsDigit(s[*i])) ++*i;
  return *i > start;
}

constexpr char kHex[] = "0123456789abcdef";

constexpr std::array<bool, 256> MakeEscapeTable() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
constexpr std::array<bool, 256> kEscape = MakeEscapeTable();

char* Put(std::string_view s, char* p) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Writes c's JSON escape at p (at most 6 bytes); returns the end.
char* PutEscaped(unsigned char c, char* p) {
  switch (c) {
    case '"': return Put("\\\"", p);
    case '\\': return Put("\\\\", p);
    case '\n': return Put("\\n", p);
    case '\r': return Put("\\r", p);
    case '\t': return Put("\\t", p);
    default: {
      char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      return Put(std::string_view(esc, 6), p);
    }
  }
}

// Writes s as a quoted JSON string at p (room for 6 * s.size() + 2 bytes);
// with csv_doubled, a "" pair in s stands for one quote. Returns the end.
char* PutJsonString(std::string_view s, bool csv_doubled, char* p) {
  *p++ = '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kEscape[c]) {
      *p++ = static_cast<char>(c);
      continue;
    }
    p = PutEscaped(c, p);
    if (csv_doubled && c == '"') ++i;  // the second quote of the pair
  }
  *p++ = '"';
  return p;
}

}  // namespace

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (i < s.size() && s[i] >= '1' && s[i] <= '9') {
    Digits(s, &i);
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!Digits(s, &i)) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!Digits(s, &i)) return false;
  }
  return i == s.size();
}

bool IsValidUtf8(std::string_view s) {
  // Fast path: ASCII, checked eight bytes at a time.
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ull) return simdjson::validate_utf8(s.data(), s.size());
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) {
      return simdjson::validate_utf8(s.data(), s.size());
    }
  }
  return true;
}

namespace {

void AppendQuoted(std::string_view s, bool csv_doubled, std::string* out) {
  size_t old = out->size();
  out->resize(old + 6 * s.size() + 2);
  char* end = PutJsonString(s, csv_doubled, out->data() + old);
  out->resize(static_cast<size_t>(end - out->data()));
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) { AppendQuoted(s, false, out); }

void AppendJsonStringUnescapingCsv(std::string_view s, std::string* out) {
  AppendQuoted(s, true, out);
}

CsvJsonWriter::CsvJsonWriter(std::vector<std::string> columns) : columns_(std::move(columns)) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string key = i == 0 ? "{" : ",";
    AppendJsonString(columns_[i], &key);
    key.push_back(':');
    keys_bytes_ += key.size();
    keys_.push_back(std::move(key));
  }
}

Result<CsvJsonWriter> CsvJsonWriter::Create(std::vector<std::string> columns) {
  if (columns.empty()) return Invalid("the CSV header has no columns");
  std::set<std::string_view> seen;
  for (const std::string& c : columns) {
    if (!IsValidUtf8(c)) return Invalid("CSV column name is not valid UTF-8");
    if (!seen.insert(c).second) return Invalid("duplicate CSV column name '{}'", c);
  }
  return CsvJsonWriter(std::move(columns));
}

int CsvJsonWriter::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view CsvJsonWriter::Render(std::span<const CsvField> fields, std::string* buf) const {
  size_t max = keys_bytes_ + 1;
  for (const CsvField& f : fields) max += 6 * f.text.size() + 4;  // all escaped, or null
  if (buf->size() < max) buf->resize(std::max(max, 2 * buf->size()));
  char* const begin = buf->data();
  char* p = begin;
  for (size_t i = 0; i < fields.size(); ++i) {
    p = Put(keys_[i], p);
    const CsvField& f = fields[i];
    if (f.text.empty()) {
      p = Put("null", p);
    } else if (IsJsonNumber(f.text)) {
      p = Put(f.text, p);
    } else {
      p = PutJsonString(f.text, f.escaped, p);
    }
  }
  *p++ = '}';
  return std::string_view(begin, static_cast<size_t>(p - begin));
}

std::vector<std::string> HeaderNames(const CsvRow& header) {
  std::vector<std::string> names;
  std::string scratch;
  for (const CsvField& f : header.fields) names.emplace_back(f.Value(&scratch));
  if (!names.empty() && names[0].starts_with("\xEF\xBB\xBF")) names[0].erase(0, 3);
  return names;
}

}  // namespace kappa::format
