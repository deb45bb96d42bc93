// Set commands: SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS SPOP SRANDMEMBER SMOVE SUNION
// SINTER SDIFF SUNIONSTORE SINTERSTORE SDIFFSTORE SINTERCARD SSCAN. One engine key per
// member (types/collection.h).
#include <algorithm>
#include <climits>
#include <set>

#include "commands/collection_util.h"
#include "commands/registry.h"

namespace strata {
namespace {

using types::Type;

bool LoadSetOrReply(CommandContext& ctx, std::string_view key, Collection* s) {
  return LoadCollectionOrReply(ctx, key, Type::kSet, s);
}

bool IsMemberOrReply(CommandContext& ctx, const Collection& s, std::string_view member,
                     bool* is_member) {
  *is_member = false;
  if (s.meta.version == 0) return true;  // a new set: nothing written yet
  std::string value;
  auto r = ctx.server.keyspace().Read(ElementKey(ctx, s, member), &value);
  if (!OkOrReply(ctx, r)) return false;
  *is_member = *r;
  return true;
}

// Adds (add) or removes members; *changed counts those that changed.
bool ChangeMembersOrReply(CommandContext& ctx, Collection* s,
                          std::span<const std::string_view> members, bool add,
                          long long* changed) {
  *changed = 0;
  if (add) EnsureVersion(ctx, s);
  for (std::string_view m : members) {
    bool is_member;
    if (!IsMemberOrReply(ctx, *s, m, &is_member)) return false;
    if (is_member == add) continue;
    std::string key = ElementKey(ctx, *s, m);
    add ? ctx.server.keyspace().Write(key, "") : ctx.server.keyspace().Erase(key);
    if (add) ctx.server.keyspace().pop_gaps().Added(s->meta.version, m);
    ++*changed;
  }
  if (add) {
    s->meta.size += static_cast<uint64_t>(*changed);
  } else {
    s->meta.size -= static_cast<uint64_t>(*changed);
  }
  return true;
}

void CmdSadd(CommandContext& ctx) {
  Collection s;
  long long added;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s) ||
      !ChangeMembersOrReply(ctx, &s, ctx.args.subspan(2), true, &added)) {
    return;
  }
  if (added > 0 && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kSet, s)) return;
  ctx.reply.Integer(added);
}

void CmdSrem(CommandContext& ctx) {
  Collection s;
  long long removed;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s) ||
      !ChangeMembersOrReply(ctx, &s, ctx.args.subspan(2), false, &removed)) {
    return;
  }
  if (removed > 0 && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kSet, s)) return;
  ctx.reply.Integer(removed);
}

void CmdSismember(CommandContext& ctx) {
  Collection s;
  bool is_member;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s) || !IsMemberOrReply(ctx, s, ctx.args[2], &is_member)) {
    return;
  }
  ctx.reply.Integer(is_member ? 1 : 0);
}

void CmdSmismember(CommandContext& ctx) {
  Collection s;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s)) return;
  std::vector<bool> answers;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    bool is_member;
    if (!IsMemberOrReply(ctx, s, ctx.args[i], &is_member)) return;
    answers.push_back(is_member);
  }
  ctx.reply.ArrayHeader(answers.size());
  for (bool a : answers) ctx.reply.Integer(a ? 1 : 0);
}

void CmdScard(CommandContext& ctx) {
  Collection s;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s)) return;
  ctx.reply.Integer(static_cast<long long>(s.meta.size));
}

bool MembersOrReply(CommandContext& ctx, const Collection& s, std::vector<std::string>* out) {
  return ForEachElementOrReply(ctx, s, types::kSubkeyTag,
                               [&](std::string_view member, std::string_view) {
                                 out->emplace_back(member);
                                 return true;
                               });
}

void ReplySet(CommandContext& ctx, const std::vector<std::string>& members) {
  ctx.reply.SetHeader(members.size());
  for (const auto& m : members) ctx.reply.Bulk(m);
}

void CmdSmembers(CommandContext& ctx) {
  Collection s;
  std::vector<std::string> members;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s) || !MembersOrReply(ctx, s, &members)) return;
  ReplySet(ctx, members);
}

// Pops n random members (n <= size): random seek points, skipping the ranges earlier pops
// emptied (PopGaps).
bool PopRandomOrReply(CommandContext& ctx, const Collection& s, uint64_t n,
                      std::vector<std::string>* popped) {
  std::string prefix = ElementKey(ctx, s, {});
  auto it = ctx.server.keyspace().NewIterator(prefix, PrefixSuccessor(prefix));
  types::PopGaps::Set& gaps = ctx.server.keyspace().pop_gaps().For(s.meta.version);
  if (!gaps.bounded) {
    it->SeekToFirst();
    if (it->Valid()) gaps.first.assign(types::ElementSuffix(it->key()));
    it->SeekToLast();
    if (it->Valid()) gaps.last.assign(types::ElementSuffix(it->key()));
    if (!OkOrReply(ctx, it->status())) return false;
    gaps.bounded = true;
  }
  while (popped->size() < n) {
    std::string target = types::RandomBetween(gaps.first, gaps.last);
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass) {
      bool to_end;
      std::string from = types::PopGaps::Skip(gaps, target, &to_end);
      if (!to_end) {
        it->Seek(prefix + from);
        if (!OkOrReply(ctx, it->status())) return false;
      }
      if (!to_end && it->Valid()) {
        std::string member(types::ElementSuffix(it->key()));
        types::PopGaps::MarkEmpty(&gaps, target, member);  // walked, and about to be popped
        ctx.server.keyspace().Erase(std::string(it->key()));
        popped->push_back(std::move(member));
        found = true;
      } else {
        types::PopGaps::MarkEmpty(&gaps, target, "");  // nothing from here on: wrap around
        target.clear();
      }
    }
    if (!found) {
      // The cache disagrees with the data (it is only a hint): forget it and read plainly.
      gaps = types::PopGaps::Set();
      for (it->SeekToFirst(); it->Valid() && popped->size() < n; it->Next()) {
        std::string member(types::ElementSuffix(it->key()));
        if (std::find(popped->begin(), popped->end(), member) != popped->end()) continue;
        ctx.server.keyspace().Erase(std::string(it->key()));
        popped->push_back(std::move(member));
      }
      if (!OkOrReply(ctx, it->status())) return false;
      break;
    }
  }
  return true;
}

void CmdSpop(CommandContext& ctx) {
  long long count = -1;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < 0) {
      return ErrorReply(ctx, errors::kMustBePositive);
    }
  }
  Collection s;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s)) return;
  if (!s.found) return count < 0 ? ctx.reply.Null() : ctx.reply.SetHeader(0);
  std::vector<std::string> popped;
  uint64_t n = std::min<uint64_t>(count < 0 ? 1 : static_cast<uint64_t>(count), s.meta.size);
  if (!PopRandomOrReply(ctx, s, n, &popped)) return;
  s.meta.size -= popped.size();
  if (!popped.empty() && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kSet, s)) return;
  if (count < 0) return ctx.reply.Bulk(popped[0]);
  ReplySet(ctx, popped);
}

void CmdSrandmember(CommandContext& ctx) {
  long long count = 1;
  bool single = ctx.args.size() == 2;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (!single) {
    if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
    if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
      return ErrorReply(ctx, errors::kValueOutOfRange);
    }
  }
  Collection s;
  if (!LoadSetOrReply(ctx, ctx.args[1], &s)) return;
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  auto picked = types::RandomElements(ctx.server.keyspace(), s, n, count < 0);
  if (!OkOrReply(ctx, picked)) return;
  if (single) return picked->empty() ? ctx.reply.Null() : ctx.reply.Bulk(picked->front().first);
  ctx.reply.ArrayHeader(picked->size());
  for (const auto& [m, unused] : *picked) ctx.reply.Bulk(m);
}

void CmdSmove(CommandContext& ctx) {
  Collection src, dst;
  if (!LoadSetOrReply(ctx, ctx.args[1], &src)) return;
  if (!src.found) return ctx.reply.Integer(0);  // before the destination's type, as Redis
  if (!LoadSetOrReply(ctx, ctx.args[2], &dst)) return;
  std::string_view member = ctx.args[3];
  bool is_member;
  if (!IsMemberOrReply(ctx, src, member, &is_member)) return;
  if (!is_member) return ctx.reply.Integer(0);
  if (ctx.args[1] == ctx.args[2]) return ctx.reply.Integer(1);
  long long changed;
  std::string_view m[] = {member};
  if (!ChangeMembersOrReply(ctx, &src, m, false, &changed) ||
      !SaveCollectionOrReply(ctx, ctx.args[1], Type::kSet, src) ||
      !ChangeMembersOrReply(ctx, &dst, m, true, &changed) ||
      (changed > 0 && !SaveCollectionOrReply(ctx, ctx.args[2], Type::kSet, dst))) {
    return;
  }
  ctx.reply.Integer(1);
}

enum class Op { kUnion, kInter, kDiff };

// The members of the set operation over keys, in order.
bool ComputeOrReply(CommandContext& ctx, std::span<const std::string_view> keys, Op op,
                    std::vector<std::string>* out, uint64_t limit = 0) {
  std::vector<Collection> sets(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!LoadSetOrReply(ctx, keys[i], &sets[i])) return false;
  }
  if (op == Op::kUnion) {
    std::set<std::string> all;
    for (const auto& s : sets) {
      std::vector<std::string> members;
      if (!MembersOrReply(ctx, s, &members)) return false;
      all.insert(members.begin(), members.end());
    }
    out->assign(all.begin(), all.end());
    return true;
  }
  // Intersection: walk the smallest set, test the others. Difference: walk the first.
  size_t base = 0;
  if (op == Op::kInter) {
    for (size_t i = 0; i < sets.size(); ++i) {
      if (!sets[i].found) return true;  // empty intersection
      if (sets[i].meta.size < sets[base].meta.size) base = i;
    }
  }
  std::vector<std::string> candidates;
  if (!MembersOrReply(ctx, sets[base], &candidates)) return false;
  for (const auto& m : candidates) {
    bool keep = true;
    for (size_t i = 0; i < sets.size() && keep; ++i) {
      if (i == base || (op == Op::kDiff && i == 0)) continue;
      bool is_member;
      if (!IsMemberOrReply(ctx, sets[i], m, &is_member)) return false;
      keep = op == Op::kInter ? is_member : !is_member;
    }
    if (keep) out->push_back(m);
    if (limit != 0 && out->size() >= limit) break;
  }
  return true;
}

void SetOp(CommandContext& ctx, Op op) {
  std::vector<std::string> members;
  if (!ComputeOrReply(ctx, ctx.args.subspan(1), op, &members)) return;
  ReplySet(ctx, members);
}

void SetOpStore(CommandContext& ctx, Op op) {
  std::vector<std::string> members;
  if (!ComputeOrReply(ctx, ctx.args.subspan(2), op, &members)) return;
  // The destination is replaced whatever it held.
  types::Keyspace& ks = ctx.server.keyspace();
  if (!OkOrReply(ctx, ks.Delete(ctx.client.db, ctx.args[1]))) return;
  Collection dst = NewCollection(ctx);
  EnsureVersion(ctx, &dst);
  for (const auto& m : members) ks.Write(ElementKey(ctx, dst, m), "");
  dst.meta.size = members.size();
  if (!members.empty() && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kSet, dst)) return;
  ctx.reply.Integer(static_cast<long long>(members.size()));
}

void CmdSunion(CommandContext& ctx) { SetOp(ctx, Op::kUnion); }
void CmdSinter(CommandContext& ctx) { SetOp(ctx, Op::kInter); }
void CmdSdiff(CommandContext& ctx) { SetOp(ctx, Op::kDiff); }
void CmdSunionstore(CommandContext& ctx) { SetOpStore(ctx, Op::kUnion); }
void CmdSinterstore(CommandContext& ctx) { SetOpStore(ctx, Op::kInter); }
void CmdSdiffstore(CommandContext& ctx) { SetOpStore(ctx, Op::kDiff); }

void CmdSintercard(CommandContext& ctx) {
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[1], &numkeys)) return;
  if (numkeys <= 0) return ErrorReply(ctx, errors::kNumkeysPositive);
  if (numkeys > static_cast<long long>(ctx.args.size() - 2)) {
    return ErrorReply(ctx, errors::kNumkeysTooMany);
  }
  long long limit = 0;
  size_t j = 2 + static_cast<size_t>(numkeys);
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "LIMIT") || j + 2 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (!ParseLongLong(ctx.args[j + 1], &limit) || limit < 0) {
      return ErrorReply(ctx, errors::kLimitNegative);
    }
  }
  std::vector<std::string> members;
  if (!ComputeOrReply(ctx, ctx.args.subspan(2, static_cast<size_t>(numkeys)), Op::kInter,
                      &members, static_cast<uint64_t>(limit))) {
    return;
  }
  ctx.reply.Integer(static_cast<long long>(members.size()));
}

void CmdSscan(CommandContext& ctx) {
  ScanCollection(ctx, Type::kSet,
                 [](std::string_view member, std::string_view, std::vector<std::string>* out) {
                   out->emplace_back(member);
                 });
}

}  // namespace

std::vector<CommandSpec> SetCommands() {
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags, int first = 1,
                int last = 1) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = first, .last_key = last, .step = 1, .group = "set"};
  };
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      row("sadd", CmdSadd, -3, kW | kCmdFast),
      row("srem", CmdSrem, -3, kCmdWrite | kCmdFast),
      row("sismember", CmdSismember, 3, kR | kCmdFast),
      row("smismember", CmdSmismember, -3, kR | kCmdFast),
      row("scard", CmdScard, 2, kR | kCmdFast),
      row("smembers", CmdSmembers, 2, kR),
      row("spop", CmdSpop, -2, kCmdWrite | kCmdFast),
      row("srandmember", CmdSrandmember, -2, kR),
      row("smove", CmdSmove, 4, kCmdWrite | kCmdFast, 1, 2),
      row("sunion", CmdSunion, -2, kR, 1, -1),
      row("sinter", CmdSinter, -2, kR, 1, -1),
      row("sdiff", CmdSdiff, -2, kR, 1, -1),
      row("sunionstore", CmdSunionstore, -3, kW, 1, -1),
      row("sinterstore", CmdSinterstore, -3, kW, 1, -1),
      row("sdiffstore", CmdSdiffstore, -3, kW, 1, -1),
      row("sintercard", CmdSintercard, -3, kR, 0, 0),
      row("sscan", CmdSscan, -3, kR),
  };
}

}  // namespace strata
