// Data types: the Flink SQL spellings Kappa maps onto columnar::DataType.
#include "sql/parser.h"

namespace kappa::sql {

using columnar::DataType;

Result<std::pair<int, int>> Parser::Precision(int default_p, int default_s, bool allow_scale) {
  if (!AcceptSymbol("(")) return std::make_pair(default_p, default_s);
  if (Cur().kind != TokenKind::kInteger) return Expected("a precision");
  int p = Cur().text.size() > 3 ? 1000 : std::stoi(Cur().text);
  int s = default_s;
  Advance();
  if (allow_scale && AcceptSymbol(",")) {
    if (Cur().kind != TokenKind::kInteger) return Expected("a scale");
    s = Cur().text.size() > 3 ? 1000 : std::stoi(Cur().text);
    Advance();
  }
  RETURN_IF_ERROR(ExpectSymbol(")"));
  return std::make_pair(p, s);
}

Result<DataType> Parser::Type() {
  if (Cur().kind != TokenKind::kWord) return Expected("a data type");
  const Token type_token = Cur();
  std::string name = type_token.text;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Advance();
  if (name == "BOOLEAN" || name == "BOOL") return DataType::Boolean();
  if (name == "TINYINT" || name == "SMALLINT" || name == "INT" || name == "INTEGER") {
    return DataType::Int32();
  }
  if (name == "BIGINT") return DataType::Int64();
  if (name == "DOUBLE") {
    AcceptWord("PRECISION");
    return DataType::Double();
  }
  if (name == "FLOAT" || name == "REAL") return DataType::Double();
  if (name == "DECIMAL" || name == "DEC" || name == "NUMERIC") {
    ASSIGN_OR_RETURN(auto ps, Precision(10, 0, true));
    if (ps.first < 1 || ps.first > 38) {
      return ErrorAt(type_token.offset, "DECIMAL precision must be between 1 and 38");
    }
    if (ps.second < 0 || ps.second > ps.first) {
      return ErrorAt(type_token.offset, "DECIMAL scale must be between 0 and the precision");
    }
    return DataType::Decimal(ps.first, ps.second);
  }
  if (name == "STRING") return DataType::String();
  if (name == "VARCHAR" || name == "CHAR" || name == "CHARACTER") {
    if (name == "CHARACTER") AcceptWord("VARYING");
    ASSIGN_OR_RETURN(auto ignored, Precision(1, 0, false));
    (void)ignored;
    return DataType::String();
  }
  if (name == "DATE") return DataType::Date();
  if (name == "TIMESTAMP" || name == "TIMESTAMP_LTZ") {
    ASSIGN_OR_RETURN(auto ps, Precision(3, 0, false));
    if (ps.first > 3) {
      return Unsupported(sql_, type_token.offset,
                         fmt::format("{}({}): Kappa timestamps have millisecond precision, "
                                     "declare {}(3)", name, ps.first, name));
    }
    bool ltz = name == "TIMESTAMP_LTZ";
    if (!ltz && AcceptWord("WITH")) {
      if (AcceptWord("TIME")) return UnsupportedHere("TIMESTAMP WITH TIME ZONE");
      RETURN_IF_ERROR(ExpectWord("LOCAL"));
      RETURN_IF_ERROR(ExpectWord("TIME"));
      RETURN_IF_ERROR(ExpectWord("ZONE"));
      ltz = true;
    } else if (!ltz && AcceptWord("WITHOUT")) {
      RETURN_IF_ERROR(ExpectWord("TIME"));
      RETURN_IF_ERROR(ExpectWord("ZONE"));
    }
    return ltz ? DataType::TimestampLtz() : DataType::Timestamp();
  }
  if (name == "ROW") return RowType();
  for (std::string_view unsupported : {"BYTES", "BINARY", "VARBINARY", "ARRAY", "MAP", "MULTISET",
                                       "TIME", "INTERVAL", "RAW", "VARIANT"}) {
    if (name == unsupported) {
      return Unsupported(sql_, type_token.offset, fmt::format("data type {}", name));
    }
  }
  pos_--;
  return Expected("a data type");
}

Result<DataType> Parser::RowType() {
  std::string close;
  if (AcceptSymbol("<")) {
    close = ">";
  } else if (AcceptSymbol("(")) {
    close = ")";
  } else {
    return Expected("'<' or '(' (ROW<name type, ...>)");
  }
  std::vector<columnar::Field> fields;
  if (++depth_ > 64) return ErrorAt(Cur().offset, "types are nested too deeply");
  do {
    size_t field_pos = Cur().offset;
    ASSIGN_OR_RETURN(std::string name, Identifier("a field name"));
    for (const columnar::Field& f : fields) {
      if (f.name == name) {
        return ErrorAt(field_pos, fmt::format("field '{}' is defined twice", name));
      }
    }
    ASSIGN_OR_RETURN(DataType type, Type());
    bool nullable = true;
    if (AcceptWord("NOT")) {
      RETURN_IF_ERROR(ExpectWord("NULL"));
      nullable = false;
    }
    if (AcceptWord("COMMENT")) {
      if (Cur().kind != TokenKind::kString) return Expected("a string");
      Advance();
    }
    fields.push_back({std::move(name), std::move(type), nullable});
  } while (AcceptSymbol(","));
  --depth_;
  // `ROW<a ROW<b INT>>` ends with '>' '>' which the lexer reads as two symbols;
  // '>=' cannot occur here.
  RETURN_IF_ERROR(ExpectSymbol(close));
  return DataType::Row(std::move(fields));
}

}  // namespace kappa::sql
