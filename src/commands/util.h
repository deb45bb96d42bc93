// Argument and result helpers shared by the command families. The ...OrReply helpers queue
// the error reply and return false; the handler then just returns.
#pragma once

#include <span>
#include <string_view>

#include "server/command.h"
#include "server/errors.h"
#include "server/server.h"
#include "strata/status.h"
#include "types/collection_ops.h"
#include "types/object_info.h"
#include "types/type_error.h"

namespace strata {

inline void ErrorReply(CommandContext& ctx, std::string_view text) {
  // A read that missed the cache is no error: the command runs again once it is in
  // (server/cold_reads.h), and this reply is dropped.
  if (!ctx.server.keyspace().missed()) ctx.server.stats().CountError(text);
  ctx.reply.Error(text);
}

// Redis's words for a type's refusal (types/type_error.h).
inline std::string_view TypeErrorText(types::TypeError e) {
  switch (e) {
    case types::TypeError::kNone:
      break;
    case types::TypeError::kWrongType:
      return errors::kWrongType;
    case types::TypeError::kHashNotInteger:
      return errors::kHashNotInteger;
    case types::TypeError::kHashNotFloat:
      return errors::kHashNotFloat;
    case types::TypeError::kOverflow:
      return errors::kOverflow;
    case types::TypeError::kNanOrInfinity:
      return errors::kNanOrInfinity;
    case types::TypeError::kScoreNan:
      return errors::kZaddNan;
    case types::TypeError::kNoSuchKey:
      return errors::kNoSuchKey;
    case types::TypeError::kIndexOutOfRange:
      return errors::kIndexOutOfRange;
    case types::TypeError::kNotInteger:
      return errors::kNotInteger;
    case types::TypeError::kNotFloat:
      return errors::kNotFloat;
    case types::TypeError::kStringTooLong:
      return errors::kStringTooLong;
    case types::TypeError::kStreamIdSmaller:
      return errors::kXsetidSmaller;
    case types::TypeError::kStreamEntriesAdded:
      return errors::kXsetidEntriesAdded;
    case types::TypeError::kStreamMaxDeleted:
      return errors::kXsetidMaxDeleted;
  }
  return {};
}

// The one Status -> reply mapping: a type's refusal in Redis's words, a failed log write as
// -MISCONF, anything else (corruption) as "-ERR <status>".
inline bool OkOrReply(CommandContext& ctx, const Status& s) {
  if (s.ok()) return true;
  types::TypeError e = types::TypeErrorOf(s);
  if (e != types::TypeError::kNone) return ErrorReply(ctx, TypeErrorText(e)), false;
  ErrorReply(ctx, errors::EngineError(s));
  return false;
}

// The size thresholds by which OBJECT ENCODING names encodings (types/object_info.h).
inline types::EncodingLimits EncodingLimitsOf(CommandContext& ctx) {
  const Config& c = ctx.server.config();
  return {.hash_entries = c.hash_max_listpack_entries,
          .hash_value = c.hash_max_listpack_value,
          .zset_entries = c.zset_max_listpack_entries,
          .zset_value = c.zset_max_listpack_value,
          .set_intset_entries = c.set_max_intset_entries};
}

// What a type operation of this command runs against (types/collection_ops.h).
inline types::OpArgs Op(CommandContext& ctx) {
  return types::OpArgs{ctx.server.keyspace(), ctx.client.db, ctx.now_ms};
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

// Redis accepts client names and library attributes made of '!'..'~' only.
inline bool ValidClientAttribute(std::string_view s) {
  for (char c : s) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

// The numkeys argument at args[at] of LMPOP, ZMPOP and SINTERCARD: a count of at least one,
// of keys that follow it. More keys than arguments left is `too_many` (Redis words it
// differently per command).
inline bool NumkeysOrReply(CommandContext& ctx, size_t at, std::string_view too_many, size_t* out) {
  long long n;
  if (!ParseLongLong(ctx.args[at], &n) || n <= 0) {
    return ErrorReply(ctx, errors::kNumkeysPositive), false;
  }
  if (n > static_cast<long long>(ctx.args.size() - at - 1)) {
    return ErrorReply(ctx, too_many), false;
  }
  *out = static_cast<size_t>(n);
  return true;
}

// Looks key up in the client's database: false (after replying) on an engine error;
// otherwise *found says whether a live key is there.
inline bool LookupOrReply(CommandContext& ctx, std::string_view key, types::Meta* meta,
                          bool* found) {
  auto r = ctx.server.keyspace().LookupKey(ctx.client.db, key, ctx.now_ms, meta);
  if (!OkOrReply(ctx, r)) return false;
  *found = *r;
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

// A keyspace event (notify-keyspace-events) for key in the client's database, staged with the
// command's writes (types::Keyspace::Notify); class is a types::NotifyClass.
inline void Notify(CommandContext& ctx, uint32_t cls, std::string_view event,
                   std::string_view key) {
  ctx.server.keyspace().Notify(cls, event, ctx.client.db, key);
}
using types::kNotifyGeneric, types::kNotifyString, types::kNotifyList, types::kNotifySet,
    types::kNotifyHash, types::kNotifyZSet, types::kNotifyStream;

// A HELP subcommand's reply: one status line per entry, as Redis's addReplyHelp sends it.
inline void ReplyHelp(CommandContext& ctx, std::span<const std::string_view> lines) {
  ctx.reply.ArrayHeader(lines.size());
  for (auto line : lines) ctx.reply.SimpleString(line);
}

}  // namespace strata
