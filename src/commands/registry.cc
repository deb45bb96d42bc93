#include "commands/registry.h"

namespace strata {

void RegisterAllCommands(CommandTable* table) {
  using Family = std::vector<CommandSpec> (*)();
  static constexpr Family kFamilies[] = {
      ConnectionCommands,   ClientCommands,      ServerCommands,      CommandCommands,
      InfoCommands,         MemoryCommands,      AdminCommands,       ReplicationCommands,
      StringCommands,       BitmapCommands,      HyperLogLogCommands, KeyCommands,
      ExpireCommands,       TransactionCommands, HashCommands,        ListCommands,
      BlockingListCommands, SetCommands,         SortedSetCommands,   SortedSetAlgebraCommands,
      ScriptingCommands,    FunctionCommands,    StreamCommands,      StreamGroupCommands,
      PubSubCommands,       SortCommands,        GeoCommands,
  };
  for (Family family : kFamilies) {
    std::vector<CommandSpec> specs = family();
    AttachDocs(&specs);
    table->Register(std::move(specs));
  }
}

}  // namespace strata
