// HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, on strings in Redis's
// representation (types/hyperloglog.h). A changed HyperLogLog is written back whole,
// keeping the key's time to live, as Redis changes it in place.
#include "types/hyperloglog.h"

#include <vector>

#include "commands/registry.h"
#include "commands/util.h"
#include "types/string.h"

namespace strata {
namespace {

using types::HyperLogLog;

bool ParseOrReply(CommandContext& ctx, HyperLogLog::Parse p) {
  switch (p) {
    case HyperLogLog::Parse::kOk:
      return true;
    case HyperLogLog::Parse::kNotHll:
      return ErrorReply(ctx, errors::kNotHll), false;
    case HyperLogLog::Parse::kCorrupt:
      return ErrorReply(ctx, errors::kHllCorrupt), false;
  }
  return false;
}

// Key's value: nullopt for a missing key; false (the error replied) for another type or a
// string that is no HyperLogLog.
bool LoadOrReply(CommandContext& ctx, std::string_view key, std::optional<std::string>* value,
                 bool* dense = nullptr, std::optional<uint64_t>* cached = nullptr) {
  auto v = types::String::Get(Op(ctx), key);
  if (!OkOrReply(ctx, v)) return false;
  value->reset();
  if (!v->has_value()) return true;
  value->emplace(**v);
  bool d;
  std::optional<uint64_t> c;
  if (!ParseOrReply(ctx, HyperLogLog::Check(**value, &d, &c))) return false;
  if (dense) *dense = d;
  if (cached) *cached = c;
  return true;
}

// Writes value as key, keeping its time to live.
bool StoreOrReply(CommandContext& ctx, std::string_view key, const std::string& value) {
  return OkOrReply(ctx, types::String::Set(Op(ctx), key, value, {.keep_ttl = true}));
}

size_t SparseMax(CommandContext& ctx) {
  return static_cast<size_t>(ctx.server.config().hll_sparse_max_bytes);
}

void CmdPfadd(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  std::optional<std::string> value;
  if (!LoadOrReply(ctx, key, &value)) return;
  std::string v = value.value_or(std::string());
  bool changed;
  std::span<const std::string_view> elements = ctx.args.subspan(2);
  if (!ParseOrReply(ctx, HyperLogLog::Add(&v, elements, SparseMax(ctx), &changed))) return;
  if (changed) {
    if (!StoreOrReply(ctx, key, v)) return;
    Notify(ctx, kNotifyString, "pfadd", key);
  }
  ctx.reply.Integer(changed ? 1 : 0);
}

void CmdPfcount(CommandContext& ctx) {
  HyperLogLog::Registers max{}, regs;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::optional<std::string> value;
    std::optional<uint64_t> cached;
    if (!LoadOrReply(ctx, ctx.args[i], &value, nullptr, &cached)) return;
    if (!value) continue;
    bool one = ctx.args.size() == 2;
    if (one && cached) return ctx.reply.Integer(static_cast<long long>(*cached));
    if (!ParseOrReply(ctx, HyperLogLog::Read(*value, &regs))) return;
    if (one) {  // the count is cached in the header, the rest left as it is
      uint64_t count = HyperLogLog::Count(regs);
      HyperLogLog::SetCached(&*value, count);
      if (!StoreOrReply(ctx, ctx.args[i], *value)) return;
      return ctx.reply.Integer(static_cast<long long>(count));
    }
    for (int r = 0; r < HyperLogLog::kRegisters; ++r) max[r] = std::max(max[r], regs[r]);
  }
  ctx.reply.Integer(static_cast<long long>(HyperLogLog::Count(max)));
}

void CmdPfmerge(CommandContext& ctx) {
  HyperLogLog::Registers max{}, regs;
  bool use_dense = false;
  std::optional<std::string> dest;
  for (size_t i = 1; i < ctx.args.size(); ++i) {  // the destination is a source too
    std::optional<std::string> value;
    bool dense = false;
    if (!LoadOrReply(ctx, ctx.args[i], &value, &dense)) return;
    if (!value) continue;
    if (!ParseOrReply(ctx, HyperLogLog::Read(*value, &regs))) return;
    use_dense |= dense;
    for (int r = 0; r < HyperLogLog::kRegisters; ++r) max[r] = std::max(max[r], regs[r]);
    if (i == 1) dest = std::move(value);
  }
  std::string value = dest.value_or(std::string());
  bool dest_dense = false;
  std::optional<uint64_t> cached;
  if (dest) HyperLogLog::Check(*dest, &dest_dense, &cached);
  HyperLogLog::Store(&value, max, use_dense || dest_dense, SparseMax(ctx));
  if (!StoreOrReply(ctx, ctx.args[1], value)) return;
  Notify(ctx, kNotifyString, "pfadd", ctx.args[1]);  // a mass-add, as Redis names it
  ctx.reply.Ok();
}

void CmdPfdebug(CommandContext& ctx) {
  std::string_view sub = ctx.args[1], key = ctx.args[2];
  std::optional<std::string> value;
  bool dense = false;
  auto v = types::String::Get(Op(ctx), key);
  if (!OkOrReply(ctx, v)) return;
  if (!v->has_value()) return ErrorReply(ctx, errors::kPfdebugNoKey);
  if (!LoadOrReply(ctx, key, &value, &dense)) return;
  HyperLogLog::Registers regs;
  // GETREG and TODENSE make the value dense (its cached count kept).
  auto to_dense = [&]() {
    if (!ParseOrReply(ctx, HyperLogLog::Read(*value, &regs))) return false;
    if (dense) return true;
    HyperLogLog::Store(&*value, regs, true, 0, true);
    return StoreOrReply(ctx, key, *value);
  };
  if (EqualsNoCase(sub, "GETREG")) {
    if (!to_dense()) return;
    ctx.reply.ArrayHeader(HyperLogLog::kRegisters);
    for (uint8_t r : regs) ctx.reply.Integer(r);
  } else if (EqualsNoCase(sub, "DECODE")) {
    if (dense) return ErrorReply(ctx, errors::kPfdebugNotSparse);
    ctx.reply.Bulk(HyperLogLog::Decode(*value));
  } else if (EqualsNoCase(sub, "ENCODING")) {
    ctx.reply.SimpleString(dense ? "dense" : "sparse");
  } else if (EqualsNoCase(sub, "TODENSE")) {
    bool was_dense = dense;
    if (!to_dense()) return;
    ctx.reply.Integer(was_dense ? 0 : 1);
  } else {
    ErrorReply(ctx, errors::PfdebugUnknown(sub));
  }
}

void CmdPfselftest(CommandContext& ctx) {
  std::string failure = HyperLogLog::SelfTest();
  if (!failure.empty()) return ErrorReply(ctx, failure);
  ctx.reply.Ok();
}

}  // namespace

std::vector<CommandSpec> HyperLogLogCommands() {
  constexpr auto row = CommandRow;
  return {
      row("pfadd", CmdPfadd, -2, kCmdWrite | kCmdDenyOom | kCmdFast, 1, 1, 1),
      row("pfcount", CmdPfcount, -2, kCmdReadOnly, 1, -1, 1),
      row("pfmerge", CmdPfmerge, -2, kCmdWrite | kCmdDenyOom, 1, -1, 1),
      row("pfdebug", CmdPfdebug, 3, kCmdWrite | kCmdDenyOom | kCmdAdmin, 2, 2, 1),
      row("pfselftest", CmdPfselftest, 1, kCmdAdmin, 0, 0, 0),
  };
}

}  // namespace strata
