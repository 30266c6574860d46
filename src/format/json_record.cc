#include "format/json_record.h"

#include "base/time.h"
#include "simdjson.h"

namespace kappa::format {

struct JsonRecordParser::Impl {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string scratch;  // a key rendered from a non-string value

  // The top-level field, or an error/absent marker.
  Result<std::optional<simdjson::dom::element>> Field(std::string_view name) const {
    simdjson::dom::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      return Invalid("the JSON value is not an object");
    }
    simdjson::dom::element value;
    if (obj.at_key(name).get(value) != simdjson::SUCCESS || value.is_null()) {
      return std::optional<simdjson::dom::element>();
    }
    return std::optional<simdjson::dom::element>(value);
  }
};

JsonRecordParser::JsonRecordParser() : impl_(std::make_unique<Impl>()) {}
JsonRecordParser::~JsonRecordParser() = default;

Status JsonRecordParser::Parse(std::string_view text, bool padded) {
  auto error = impl_->parser.parse(text.data(), text.size(), !padded).get(impl_->doc);
  if (error != simdjson::SUCCESS) {
    return Invalid("invalid JSON: {}", simdjson::error_message(error));
  }
  return OkStatus();
}

Result<int64_t> JsonRecordParser::Timestamp(std::string_view field) const {
  ASSIGN_OR_RETURN(std::optional<simdjson::dom::element> value, impl_->Field(field));
  if (!value) return Invalid("timestamp field '{}' is missing or null", field);
  int64_t millis = 0;
  if (value->get_int64().get(millis) == simdjson::SUCCESS) return millis;
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) {
    if (std::optional<int64_t> parsed = ParseTimestampMillis(text)) return *parsed;
    return Invalid("unparsable timestamp '{}' in field '{}'", text, field);
  }
  return Invalid("timestamp field '{}' is neither a string nor an integer", field);
}

Result<std::optional<std::string_view>> JsonRecordParser::Key(std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<simdjson::dom::element> value, impl_->Field(field));
  if (!value) return std::optional<std::string_view>();
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) {
    return std::optional<std::string_view>(text);
  }
  int64_t i = 0;
  if (value->get_int64().get(i) == simdjson::SUCCESS) {
    impl_->scratch = fmt::format("{}", i);
  } else {
    impl_->scratch = simdjson::minify(*value);
  }
  return std::optional<std::string_view>(impl_->scratch);
}

}  // namespace kappa::format
