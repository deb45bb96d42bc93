#include "commands/scan.h"

#include <charconv>

#include "util/glob.h"

namespace strata {

bool ScanArgs::Matches(std::string_view s) const {
  return pattern.empty() || pattern == "*" || GlobMatch(pattern, s);
}

bool ScanArgsOrReply(CommandContext& ctx, size_t cursor_at, bool allow_type, ScanArgs* out) {
  uint64_t cursor;
  std::string_view arg = ctx.args[cursor_at];
  auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), cursor);
  if (ec != std::errc() || p != arg.data() + arg.size()) {
    ErrorReply(ctx, errors::kInvalidCursor);
    return false;
  }
  for (size_t j = cursor_at + 1; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    bool has_next = j + 1 < ctx.args.size();
    if (EqualsNoCase(opt, "COUNT") && has_next) {
      long long count;
      if (!IntegerOrReply(ctx, ctx.args[++j], &count)) return false;
      if (count < 1) {
        ErrorReply(ctx, errors::kSyntax);
        return false;
      }
      out->count = static_cast<uint64_t>(count);
    } else if (EqualsNoCase(opt, "MATCH") && has_next) {
      out->pattern = ctx.args[++j];
    } else if (allow_type && EqualsNoCase(opt, "TYPE") && has_next) {
      out->type = ctx.args[++j];
    } else {
      ErrorReply(ctx, errors::kSyntax);
      return false;
    }
  }
  std::string resume;
  if (ctx.server.cursors().Find(cursor, &resume)) out->after = std::move(resume);
  return true;
}

void ReplyScanPage(CommandContext& ctx, bool more, std::string_view last,
                   const std::vector<std::string>& items) {
  uint64_t next = more ? ctx.server.cursors().Save(last) : 0;
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(next));
  ctx.reply.ArrayHeader(items.size());
  for (const auto& s : items) ctx.reply.Bulk(s);
}

void ScanCollection(CommandContext& ctx, types::Type type, const ScanEmit& emit) {
  ScanArgs args;
  if (!ScanArgsOrReply(ctx, 2, /*allow_type=*/false, &args)) return;
  auto page = types::ScanElements(Op(ctx), ctx.args[1], type, args.after, args.count);
  if (!OkOrReply(ctx, page)) return;
  std::vector<std::string> items, out;
  for (const auto& [suffix, value] : page->elements) {
    out.clear();
    emit(suffix, value, &out);
    if (!args.Matches(out.front())) continue;
    for (auto& s : out) items.push_back(std::move(s));
  }
  ReplyScanPage(ctx, page->more, page->elements.empty() ? "" : page->elements.back().first,
                items);
}

}  // namespace strata
