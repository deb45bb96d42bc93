// The command families. Each returns its table rows; RegisterAllCommands is the one
// registration list.
#pragma once

#include <vector>

#include "server/command.h"

namespace strata {

// A command table row: its name, handler, arity, flags and key positions (by default the
// first argument alone). The group is its documentation row's (AttachDocs).
struct CommandRowMaker {
  CommandSpec operator()(const char* name, CommandHandler h, int arity, uint32_t flags,
                         int first = 1, int last = 1, int step = 1) const {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = first, .last_key = last, .step = step};
  }
};
inline constexpr CommandRowMaker CommandRow{};

std::vector<CommandSpec> ConnectionCommands();
std::vector<CommandSpec> ClientCommands();
// CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR (client_tracking.cc), CLIENT's rows.
std::vector<CommandSpec> ClientTrackingSubcommands();
std::vector<CommandSpec> ServerCommands();
std::vector<CommandSpec> CommandCommands();
std::vector<CommandSpec> InfoCommands();
std::vector<CommandSpec> MemoryCommands();
std::vector<CommandSpec> AdminCommands();
std::vector<CommandSpec> ReplicationCommands();
std::vector<CommandSpec> StringCommands();
std::vector<CommandSpec> BitmapCommands();
std::vector<CommandSpec> HyperLogLogCommands();
std::vector<CommandSpec> SortCommands();
std::vector<CommandSpec> GeoCommands();
std::vector<CommandSpec> KeyCommands();
std::vector<CommandSpec> ExpireCommands();
std::vector<CommandSpec> TransactionCommands();
std::vector<CommandSpec> HashCommands();
std::vector<CommandSpec> ListCommands();
std::vector<CommandSpec> BlockingListCommands();
std::vector<CommandSpec> SetCommands();
std::vector<CommandSpec> SortedSetCommands();
std::vector<CommandSpec> SortedSetAlgebraCommands();
std::vector<CommandSpec> ScriptingCommands();
std::vector<CommandSpec> FunctionCommands();
std::vector<CommandSpec> StreamCommands();
std::vector<CommandSpec> StreamGroupCommands();
std::vector<CommandSpec> PubSubCommands();

// Joins each row (and its subcommands) to its documentation (command_docs.cc): doc, group,
// key specs and the movablekeys flag.
void AttachDocs(std::vector<CommandSpec>* specs);
// The scripting commands' rows of that table (command_docs_scripting.cc).
const std::vector<CommandDoc>& ScriptingDocs();
// The streams' rows (command_docs_streams.cc).
const std::vector<CommandDoc>& StreamDocs();
// The Pub/Sub commands' rows (command_docs_pubsub.cc).
const std::vector<CommandDoc>& PubSubDocs();
// The bitmap commands' rows (command_docs_bitmaps.cc).
const std::vector<CommandDoc>& BitmapDocs();
// The HyperLogLog commands' rows (command_docs_hyperloglog.cc).
const std::vector<CommandDoc>& HyperLogLogDocs();
// SORT's rows (command_docs_sort.cc).
const std::vector<CommandDoc>& SortDocs();
// The geo commands' rows (command_docs_geo.cc).
const std::vector<CommandDoc>& GeoDocs();

void RegisterAllCommands(CommandTable* table);

}  // namespace strata
