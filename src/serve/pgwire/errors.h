// SQLSTATE codes: the only place a Kappa Status becomes a Postgres error
// (query_service.h lists what each StatusCode means for a query).
#pragma once

#include <string_view>

#include "base/status.h"
#include "serve/pgwire/messages.h"

namespace kappa::serve::pgwire {

// kInvalidArgument 42601, kNotFound 42703 ("column" in the message) or
// 42P01, kAlreadyExists 42P07, kOutOfRange 22012 ("division by zero") or
// 22000, kUnimplemented 0A000, kFailedPrecondition 55000, kCancelled 57014,
// kResourceExhausted 53000, kDataLoss XX001, else XX000.
std::string_view SqlStateFor(const Status& status);
ErrorFields ErrorFor(const Status& status);
ErrorFields MakeError(std::string_view sqlstate, std::string message);

}  // namespace kappa::serve::pgwire
