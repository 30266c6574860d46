#include "format/json_writer.h"

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

// True for bytes that cannot appear raw inside a JSON string.
inline bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void AppendEscaped(char c, std::string* out) {
  switch (c) {
    case '"': out->append("\\\""); return;
    case '\\': out->append("\\\\"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    default: {
      unsigned char u = static_cast<unsigned char>(c);
      char esc[6] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
      out->append(esc, 6);
    }
  }
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
  for (unsigned char c : s) {
    if (c >= 0x80) return simdjson::validate_utf8(s.data(), s.size());
  }
  return true;
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    if (!NeedsEscape(static_cast<unsigned char>(s[i]))) continue;
    out->append(s.data() + run, i - run);
    AppendEscaped(s[i], out);
    run = i + 1;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendJsonStringUnescapingCsv(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    if (NeedsEscape(static_cast<unsigned char>(s[i]))) {
      AppendEscaped(s[i], out);
      if (s[i] == '"') ++i;  // the second quote of a "" pair
    } else {
      out->push_back(s[i]);
    }
  }
  out->push_back('"');
}

CsvJsonWriter::CsvJsonWriter(std::vector<std::string> columns) : columns_(std::move(columns)) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string key = i == 0 ? "{" : ",";
    AppendJsonString(columns_[i], &key);
    key.push_back(':');
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

void CsvJsonWriter::Write(std::span<const CsvField> fields, std::string* out) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    out->append(keys_[i]);
    const CsvField& f = fields[i];
    if (f.text.empty()) {
      out->append("null");
    } else if (IsJsonNumber(f.text)) {
      out->append(f.text);
    } else if (f.escaped) {
      AppendJsonStringUnescapingCsv(f.text, out);
    } else {
      AppendJsonString(f.text, out);
    }
  }
  out->push_back('}');
}

std::vector<std::string> HeaderNames(const CsvRow& header) {
  std::vector<std::string> names;
  std::string scratch;
  for (const CsvField& f : header.fields) names.emplace_back(f.Value(&scratch));
  if (!names.empty() && names[0].starts_with("\xEF\xBB\xBF")) names[0].erase(0, 3);
  return names;
}

}  // namespace kappa::format
