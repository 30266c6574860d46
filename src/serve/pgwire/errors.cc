#include "serve/pgwire/errors.h"

namespace kappa::serve::pgwire {

std::string_view SqlStateFor(const Status& status) {
  std::string_view message = status.message();
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return "42601";
    case StatusCode::kNotFound:
      // "line 1, column 8: table 'x' not found" names a table: look for
      // the quoted name's kind, not any "column".
      return message.find("column '") != std::string_view::npos ? "42703" : "42P01";
    case StatusCode::kAlreadyExists: return "42P07";
    case StatusCode::kOutOfRange:
      return message.find("division by zero") != std::string_view::npos ? "22012" : "22000";
    case StatusCode::kUnimplemented: return "0A000";
    case StatusCode::kFailedPrecondition: return "55000";
    case StatusCode::kCancelled: return "57014";
    case StatusCode::kResourceExhausted: return "53000";
    case StatusCode::kDataLoss: return "XX001";
    default: return "XX000";
  }
}

ErrorFields ErrorFor(const Status& status) {
  return MakeError(SqlStateFor(status), std::string(status.message()));
}

ErrorFields MakeError(std::string_view sqlstate, std::string message) {
  ErrorFields e;
  e.sqlstate = std::string(sqlstate);
  e.message = std::move(message);
  return e;
}

}  // namespace kappa::serve::pgwire
