// Replication and cluster, as a standalone Redis master answers them: ROLE, WAIT, READONLY,
// READWRITE. Strata has no replicas yet and no cluster mode.
#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

// ROLE: a master at offset 0 with no replicas.
void CmdRole(CommandContext& ctx) {
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk("master");
  ctx.reply.Integer(0);
  ctx.reply.ArrayHeader(0);
}

// WAIT numreplicas timeout: the number of replicas that acknowledged every write, which with
// no replicas is 0, at once. (Redis waits out the timeout when numreplicas > 0; with no
// replica to wait for, Strata answers at once: see the README's known differences.)
void CmdWait(CommandContext& ctx) {
  long long replicas, timeout;
  if (!IntegerOrReply(ctx, ctx.args[1], &replicas)) return;
  if (!ParseLongLong(ctx.args[2], &timeout)) return ErrorReply(ctx, errors::kTimeoutNotInteger);
  if (timeout < 0) return ErrorReply(ctx, errors::kTimeoutNegative);
  ctx.reply.Integer(0);
}

void CmdNoCluster(CommandContext& ctx) { ErrorReply(ctx, errors::kClusterDisabled); }

}  // namespace

std::vector<CommandSpec> ReplicationCommands() {
  const uint32_t kAny = kCmdLoading | kCmdStale;
  return {
      {.name = "role",
       .handler = CmdRole,
       .arity = 1,
       .flags = kCmdNoScript | kCmdFast | kAny,
       .group = "server"},
      {.name = "wait", .handler = CmdWait, .arity = 3, .flags = kCmdNoScript, .group = "generic"},
      {.name = "readonly",
       .handler = CmdNoCluster,
       .arity = 1,
       .flags = kCmdFast | kAny,
       .group = "cluster"},
      {.name = "readwrite",
       .handler = CmdNoCluster,
       .arity = 1,
       .flags = kCmdFast | kAny,
       .group = "cluster"},
  };
}

}  // namespace strata
