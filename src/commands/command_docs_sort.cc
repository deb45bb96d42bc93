// The documentation rows of SORT and SORT_RO, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& SortDocs() {
  static const std::vector<CommandDoc> docs = {
      {"sort", "generic", "1.0.0",
       "O(N+M*log(M)), N the elements to sort and M those returned; O(N) when not sorted",
       "Sorts a list, set or sorted set, optionally by other keys, returning or storing it.",
       "key#k0 [BY=pattern#p1] [LIMIT=offset_count(offset#i count#i)] [GET=pattern#p1...+] "
       "[order<ASC|DESC>] [ALPHA/sorting] [STORE=destination#k2]",
       "RO access;RO access@?;OW update@?=STORE,2:0:1:0", "",
       "-generic set sortedset list dangerous"},
      {"sort_ro", "generic", "7.0.0",
       "O(N+M*log(M)), N the elements to sort and M those returned; O(N) when not sorted",
       "Sorts a list, set or sorted set, optionally by other keys: SORT without STORE.",
       "key#k0 [BY=pattern#p1] [LIMIT=offset_count(offset#i count#i)] [GET=pattern#p1...+] "
       "[order<ASC|DESC>] [ALPHA/sorting]",
       "RO access;RO access@?", "", "-generic set sortedset list dangerous"},
  };
  return docs;
}

}  // namespace strata
