// Session commands the pg-wire session answers itself, never the engine:
// transaction control (psycopg2 wraps every statement in BEGIN ... COMMIT;
// there is nothing to roll back, since queries only read), SET/RESET/SHOW
// of session settings, DISCARD and DEALLOCATE. Pure parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kappa::serve::pgwire {

enum class CommandKind { kBegin, kCommit, kRollback, kSet, kReset, kShow, kDiscard, kDeallocate };

struct Command {
  CommandKind kind;
  std::string name;   // SET/RESET/SHOW: the setting, lower case ("all" for RESET/SHOW ALL);
                      // DEALLOCATE: the statement ("all" for every one)
  std::string value;  // SET: the value, quotes removed; "default" resets
};

// The command `statement` is, or nullopt for anything else. `statement` is
// one statement as sent (not normalized).
std::optional<Command> ParseCommand(std::string_view statement);

// The tag of CommandComplete for a command.
std::string CommandTag(const Command& command);

}  // namespace kappa::serve::pgwire
