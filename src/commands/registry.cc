#include "commands/registry.h"

namespace strata {

void RegisterAllCommands(CommandTable* table) {
  table->Register(ConnectionCommands());
  table->Register(ClientCommands());
  table->Register(ServerCommands());
  table->Register(InfoCommands());
  table->Register(MemoryCommands());
  table->Register(AdminCommands());
  table->Register(ReplicationCommands());
  table->Register(StringCommands());
  table->Register(KeyCommands());
  table->Register(ExpireCommands());
  table->Register(TransactionCommands());
  table->Register(HashCommands());
  table->Register(ListCommands());
  table->Register(BlockingListCommands());
  table->Register(SetCommands());
  table->Register(SortedSetCommands());
  table->Register(SortedSetAlgebraCommands());
}

}  // namespace strata
