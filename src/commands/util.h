// Argument and result helpers shared by the command families. The ...OrReply helpers queue
// the error reply and return false; the handler then just returns.
#pragma once

#include <span>
#include <string_view>

#include "server/command.h"
#include "server/errors.h"
#include "server/server.h"
#include "strata/status.h"

namespace strata {

inline void ErrorReply(CommandContext& ctx, std::string_view text) {
  ctx.server.stats().CountError(text);
  ctx.reply.Error(text);
}

// An engine error becomes "-ERR <status>" (or -MISCONF for a refused write).
inline bool OkOrReply(CommandContext& ctx, const Status& s) {
  if (s.ok()) return true;
  ErrorReply(ctx, s.IsIOError() ? errors::WalWriteFailed(s.ToString()) : "ERR " + s.ToString());
  return false;
}

template <typename T>
bool OkOrReply(CommandContext& ctx, const Result<T>& r) {
  return r.ok() || OkOrReply(ctx, r.status());
}


inline bool IntegerOrReply(CommandContext& ctx, std::string_view arg, long long* out) {
  if (ParseLongLong(arg, out)) return true;
  ErrorReply(ctx, errors::kNotInteger);
  return false;
}

// Looks key up in the client's database: false (after replying) on an engine error;
// otherwise *found says whether a live key is there.
inline bool LookupOrReply(CommandContext& ctx, std::string_view key, types::Meta* meta,
                          bool* found) {
  auto r = ctx.server.keyspace().Lookup(ctx.client.db, key, ctx.now_ms, meta);
  if (!OkOrReply(ctx, r)) return false;
  *found = *r;
  return true;
}

// Like LookupOrReply, but a key of another type is a WRONGTYPE error.
inline bool LookupTypedOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                               types::Meta* meta, bool* found) {
  if (!LookupOrReply(ctx, key, meta, found)) return false;
  if (*found && meta->type != type) {
    ErrorReply(ctx, errors::kWrongType);
    return false;
  }
  return true;
}

// Parses a database index argument (SELECT, MOVE, COPY ... DB, SWAPDB).
inline bool DbIndexOrReply(CommandContext& ctx, std::string_view arg, int* db) {
  long long v;
  if (!IntegerOrReply(ctx, arg, &v)) return false;
  if (v < 0 || v >= ctx.server.keyspace().databases()) {
    ErrorReply(ctx, errors::kDbIndexOutOfRange);
    return false;
  }
  *db = static_cast<int>(v);
  return true;
}

// A HELP subcommand's reply: one status line per entry, as Redis's addReplyHelp sends it.
inline void ReplyHelp(CommandContext& ctx, std::span<const std::string_view> lines) {
  ctx.reply.ArrayHeader(lines.size());
  for (auto line : lines) ctx.reply.SimpleString(line);
}

}  // namespace strata
