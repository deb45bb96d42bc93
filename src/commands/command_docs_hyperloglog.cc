// The documentation rows of the HyperLogLog commands, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& HyperLogLogDocs() {
  static const std::vector<CommandDoc> docs = {
      {"pfadd", "hyperloglog", "2.8.9", "O(1) to add every element.",
       "Adds elements to a HyperLogLog, creating it if need be.", "key#k0 [element...]",
       "RW insert", "", ""},
      {"pfcount", "hyperloglog", "2.8.9", "O(1) for one key, O(N) for N keys",
       "Estimates how many distinct elements one or more HyperLogLogs saw.", "key#k0...",
       "RW access", "", ""},
      {"pfmerge", "hyperloglog", "2.8.9", "O(N) to merge N HyperLogLogs",
       "Merges HyperLogLogs into a destination key.", "destkey#k0 sourcekey#k1...",
       "RW access insert@1;RO access@2:-1", "", ""},
      {"pfdebug", "hyperloglog", "2.8.9", "N/A",
       "Shows or changes a HyperLogLog's representation (GETREG, DECODE, ENCODING, TODENSE).",
       "subcommand key#k0", "RW access@2", "", "", "", "", true},
      {"pfselftest", "hyperloglog", "2.8.9", "N/A", "Tests the HyperLogLog implementation.", "", "",
       "", "", "", "", true},
  };
  return docs;
}

}  // namespace strata
