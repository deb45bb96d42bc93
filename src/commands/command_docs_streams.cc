// The documentation rows of the stream commands, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& StreamDocs() {
  static const std::vector<CommandDoc> docs = {
      {"xadd", "stream", "5.0.0", "O(1) when adding a new entry, O(N) when trimming",
       "Appends an entry to a stream, creating it if need be.",
       "key#k0 [NOMKSTREAM] [trim(strategy<MAXLEN|MINID> "
       "[operator<\\=/equal|\\~/approximately>] threshold [LIMIT=count#i])] "
       "id_or_auto<\\*/auto_id|id> field_value(field value)...",
       "RW update", "nondeterministic_output", ""},
      {"xrange", "stream", "5.0.0", "O(log(N)+M)", "Returns the entries in a range of IDs.",
       "key#k0 start end [COUNT=count#i]", "RO access", "", ""},
      {"xrevrange", "stream", "5.0.0", "O(log(N)+M)",
       "Returns the entries in a range of IDs, last first.", "key#k0 end start [COUNT=count#i]",
       "RO access", "", ""},
      {"xlen", "stream", "5.0.0", "O(1)", "Returns the number of entries of a stream.", "key#k0",
       "RO", "", ""},
      {"xdel", "stream", "5.0.0", "O(1) for each entry", "Deletes entries by ID.", "key#k0 id...",
       "RW delete", "", ""},
      {"xtrim", "stream", "5.0.0", "O(N)", "Deletes a stream's oldest entries.",
       "key#k0 trim(strategy<MAXLEN|MINID> [operator<\\=/equal|\\~/approximately>] threshold "
       "[LIMIT=count#i])",
       "RW delete", "nondeterministic_output", ""},
      {"xread", "stream", "5.0.0", "O(M) for each stream, M the entries returned",
       "Returns entries after given IDs from one or more streams, waiting for them if asked.",
       "[COUNT=count#i] [BLOCK=milliseconds#i] STREAMS=streams(key#k0... id...)",
       "RO access@=STREAMS,1:-1:1:2", "", ""},
      {"xsetid", "stream", "5.0.0", "O(1)", "Sets a stream's last ID and counters.",
       "key#k0 last-id [ENTRIESADDED=entries_added#i] [MAXDELETEDID=max_deleted_entry_id]",
       "RW update", "", ""},
      {"xinfo", "stream", "5.0.0", "Depends on subcommand.",
       "Container for the stream introspection commands.", "", "", "", "-stream"},
      {"xinfo|help", "stream", "5.0.0", "O(1)", "Shows what the XINFO subcommands do.", "", "", "",
       ""},
      {"xinfo|stream", "stream", "5.0.0", "O(1), O(N) with FULL",
       "Describes a stream: its length, IDs and first and last entries.",
       "key#k0 [FULL=full([COUNT=count#i])]", "RO access", "", ""},
      {"xinfo|groups", "stream", "5.0.0", "O(1)", "Lists a stream's consumer groups.", "key#k0",
       "RO access", "", ""},
      {"xinfo|consumers", "stream", "5.0.0", "O(1)", "Lists the consumers of a group.",
       "key#k0 groupname", "RO access", "nondeterministic_output", ""},
      {"xgroup", "stream", "5.0.0", "Depends on subcommand.",
       "Container for the consumer group commands.", "", "", "", "-stream"},
      {"xgroup|create", "stream", "5.0.0", "O(1)", "Creates a consumer group.",
       "key#k0 groupname id<id|\\$/new_id> [MKSTREAM] [ENTRIESREAD=entries_read#i]", "RW insert",
       "", ""},
      {"xgroup|createconsumer", "stream", "6.2.0", "O(1)", "Creates a consumer in a group.",
       "key#k0 groupname consumername", "RW insert", "", ""},
      {"xgroup|setid", "stream", "5.0.0", "O(1)", "Moves a group's last delivered ID.",
       "key#k0 groupname id<id|\\$/new_id> [ENTRIESREAD=entries_read#i]", "RW update", "", ""},
      {"xgroup|destroy", "stream", "5.0.0", "O(N)", "Deletes a consumer group.", "key#k0 groupname",
       "RW delete", "", ""},
      {"xgroup|delconsumer", "stream", "5.0.0", "O(1)",
       "Deletes a consumer and its pending entries.", "key#k0 groupname consumername", "RW delete",
       "", ""},
      {"xgroup|help", "stream", "5.0.0", "O(1)", "Shows what the XGROUP subcommands do.", "", "",
       "", ""},
      {"xreadgroup", "stream", "5.0.0", "O(M) for each stream, M the entries returned",
       "Reads entries for a consumer of a group, waiting for new ones if asked.",
       "GROUP=group_consumer(group consumer) [COUNT=count#i] [BLOCK=milliseconds#i] [NOACK] "
       "STREAMS=streams(key#k0... id...)",
       "RO access@=STREAMS,4:-1:1:2", "", ""},
      {"xack", "stream", "5.0.0", "O(1) for each ID", "Acknowledges entries of a group.",
       "key#k0 group id...", "RW update", "", ""},
      {"xpending", "stream", "5.0.0", "O(N) for the entries returned",
       "Shows a group's pending entries.",
       "key#k0 group [filters([IDLE=min-idle-time#i] start end count#i [consumer])]", "RO access",
       "nondeterministic_output", ""},
      {"xclaim", "stream", "5.0.0", "O(log N)", "Gives pending entries to another consumer.",
       "key#k0 group consumer min-idle-time id... [IDLE=ms#i] [TIME=unix-time-milliseconds#t] "
       "[RETRYCOUNT=count#i] [FORCE] [JUSTID] [LASTID=id]",
       "RW update", "nondeterministic_output", ""},
      {"xautoclaim", "stream", "6.2.0", "O(1) for each entry claimed",
       "Claims the entries pending longer than a time for another consumer.",
       "key#k0 group consumer min-idle-time start [COUNT=count#i] [JUSTID]", "RW delete",
       "nondeterministic_output", ""},
  };
  return docs;
}

}  // namespace strata
