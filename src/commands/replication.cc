// Replication and cluster, as a standalone Redis master answers them: ROLE, WAIT, READONLY,
// READWRITE. Strata has no replicas yet and no cluster mode.
#include "commands/registry.h"
#include "commands/util.h"
#include "server/blocked_clients.h"

namespace strata {
namespace {

// ROLE: a master at offset 0 with no replicas.
void CmdRole(CommandContext& ctx) {
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk("master");
  ctx.reply.Integer(0);
  ctx.reply.ArrayHeader(0);
}

// WAIT numreplicas timeout: the number of replicas that acknowledged the client's writes,
// which with no replicas is 0 — at once when numreplicas is 0 (or inside MULTI), else after
// the timeout in ms (0: never), as in Redis.
void CmdWait(CommandContext& ctx) {
  long long replicas, timeout;
  if (!IntegerOrReply(ctx, ctx.args[1], &replicas)) return;
  if (!ParseLongLong(ctx.args[2], &timeout)) return ErrorReply(ctx, errors::kTimeoutNotInteger);
  if (timeout < 0) return ErrorReply(ctx, errors::kTimeoutNegative);
  if (replicas <= 0 || ctx.client.tx.executing) return ctx.reply.Integer(0);
  ctx.server.blocked().Block(ctx, {}, types::Type::kList, timeout);
  ctx.client.block.timeout_replies_zero = true;
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
