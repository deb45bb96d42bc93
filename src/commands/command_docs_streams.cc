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
      {"xdel", "stream", "5.0.0", "O(1) for each entry", "Deletes entries by ID.",
       "key#k0 id...", "RW delete", "", ""},
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
      {"xinfo|help", "stream", "5.0.0", "O(1)", "Shows what the XINFO subcommands do.", "", "",
       "", ""},
      {"xinfo|stream", "stream", "5.0.0", "O(1), O(N) with FULL",
       "Describes a stream: its length, IDs and first and last entries.",
       "key#k0 [FULL=full([COUNT=count#i])]", "RO access", "", ""},
  };
  return docs;
}

}  // namespace strata
