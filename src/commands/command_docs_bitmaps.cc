// The documentation rows of the bitmap commands, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& BitmapDocs() {
  static const std::vector<CommandDoc> docs = {
      {"setbit", "bitmap", "2.2.0", "O(1)",
       "Sets or clears one bit of a string, returning the old bit.", "key#k0 offset#i value#i",
       "RW access update", "", ""},
      {"getbit", "bitmap", "2.2.0", "O(1)", "Returns one bit of a string.", "key#k0 offset#i",
       "RO access", "", ""},
      {"bitcount", "bitmap", "2.6.0", "O(N)", "Counts the set bits of a string, or of a range.",
       "key#k0 [index(start#i end#i [index_unit<BYTE|BIT>])]", "RO access", "", ""},
      {"bitpos", "bitmap", "2.8.7", "O(N)", "Finds the first set or clear bit of a string.",
       "key#k0 bit#i [index(start#i [end_index(end#i [index_unit<BYTE|BIT>])])]", "RO access", "",
       ""},
      {"bitop", "bitmap", "2.6.0", "O(N)",
       "Combines strings bit by bit (AND, OR, XOR, NOT) into a destination key.",
       "operation destkey#k0 key#k1...", "OW update@2;RO access@3:-1", "", ""},
      {"bitfield", "bitmap", "3.2.0", "O(1) for each subcommand specified",
       "Reads, writes and increments integer fields of any width in a string.",
       "key#k0 [operation<GET=encoding_offset(encoding offset#i)|write([OVERFLOW=wrap_sat_fail<"
       "WRAP|SAT|FAIL>] write_operation<SET=encoding_offset_value(encoding offset#i value#i)|"
       "INCRBY=encoding_offset_increment(encoding offset#i increment#i)>)>...]",
       "RW access update variable_flags", "", ""},
      {"bitfield_ro", "bitmap", "6.0.0", "O(1) for each subcommand specified",
       "Reads integer fields of a string: BITFIELD's GET alone.",
       "key#k0 [GET=encoding_offset(encoding offset#i)...+]", "RO access", "", ""},
  };
  return docs;
}

}  // namespace strata
