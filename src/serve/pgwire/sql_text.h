// Lexical helpers over SQL text that the pg-wire session needs before any
// parser sees the text: splitting a simple-protocol Query into statements,
// replacing $n parameters with literals, and a normalized form for matching
// session commands and catalog queries. They understand Postgres' lexical
// rules for quoted strings ('..', E'..', $tag$..$tag$), quoted identifiers
// and comments, so a ';' or "$1" inside them is left alone. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kappa::serve::pgwire {

enum class SqlPiece { kCode, kString, kIdentifier, kComment, kParameter };

// Calls fn(kind, text) for consecutive pieces covering all of `sql`. An
// unterminated string or comment runs to the end.
template <typename Fn>
void ForEachPiece(std::string_view sql, Fn fn);

// Statements separated by ';' (outside strings and comments), each trimmed;
// statements that are empty or only comments are dropped.
std::vector<std::string> SplitStatements(std::string_view sql);

// The highest $n in `sql` (0 if none).
int MaxParameter(std::string_view sql);

// `sql` with each $n replaced by literals[n-1]. kInvalidArgument when some $n
// has no literal. With `offsets`: (*offsets)[n-1] is where literal n first
// starts in the result (npos when $n does not occur).
Result<std::string> SubstituteParameters(std::string_view sql,
                                         const std::vector<std::string>& literals,
                                         std::vector<size_t>* offsets = nullptr);

// Postgres casts of a quoted literal, '...'::type, as Kappa's SQL spells
// them, CAST('...' AS TYPE), for the types drivers write when they
// interpolate parameters themselves (psycopg2: '2024-01-31'::date,
// '2024-01-31T12:00:00'::timestamp, 'NaN'::float): date, timestamp [without
// time zone], timestamptz, float/float4/float8/real/double precision,
// smallint/int/int2/int4/integer, bigint/int8, bool/boolean, text/varchar.
// Other casts, and text inside strings and comments, are left alone.
std::string RewriteLiteralCasts(std::string_view sql);

// Lower-case code, comments dropped, runs of white space made one space,
// trimmed, no trailing ';'; strings and quoted identifiers kept verbatim.
std::string Normalize(std::string_view sql);

// --- implementation ---------------------------------------------------------

namespace internal {
size_t PieceEnd(std::string_view sql, size_t start, SqlPiece* kind);
}  // namespace internal

template <typename Fn>
void ForEachPiece(std::string_view sql, Fn fn) {
  size_t pos = 0;
  while (pos < sql.size()) {
    SqlPiece kind;
    size_t end = internal::PieceEnd(sql, pos, &kind);
    fn(kind, sql.substr(pos, end - pos));
    pos = end;
  }
}

}  // namespace kappa::serve::pgwire
