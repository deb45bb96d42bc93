#include "commands/collection_util.h"

#include "commands/scan.h"

namespace strata {

bool LoadCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           Collection* c) {
  auto r = types::LoadCollection(Op(ctx), key, type);
  if (!OkOrReply(ctx, r)) return false;
  *c = std::move(*r);
  return true;
}

bool SaveCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           const Collection& c) {
  return OkOrReply(ctx, types::SaveCollection(ctx.server.keyspace(), key, type, c));
}

bool ForEachElementOrReply(CommandContext& ctx, const Collection& c, char tag,
                           const types::ElementFn& fn, bool reverse, std::string_view from,
                           std::string_view to) {
  return OkOrReply(ctx,
                   types::ForEachElement(ctx.server.keyspace(), c, tag, fn, reverse, from, to));
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
