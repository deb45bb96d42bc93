// The one parser and reply of the SCAN family (SCAN, HSCAN, SSCAN, ZSCAN): a cursor, then
// [MATCH pattern] [COUNT count] and, for SCAN, [TYPE type]. Cursors are ids in the server's
// cursor table (server/cursors.h), each standing for the last key or element returned.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/util.h"
#include "types/encoding.h"

namespace strata {

struct ScanArgs {
  std::optional<std::string> after;  // resume after this key or element (nullopt: the start)
  std::string_view pattern;          // "" and "*" match everything
  uint64_t count = 10;
  std::string_view type;  // SCAN's TYPE ("": any)

  bool Matches(std::string_view s) const;
};

// Parses args[cursor_at] (the cursor) and the options after it; allow_type for SCAN. false
// after replying with Redis's error.
bool ScanArgsOrReply(CommandContext& ctx, size_t cursor_at, bool allow_type, ScanArgs* out);
// [next cursor, [items...]]: the next cursor is 0 when nothing remains, else it resumes after
// `last`.
void ReplyScanPage(CommandContext& ctx, bool more, std::string_view last,
                   const std::vector<std::string>& items);

// HSCAN, SSCAN, ZSCAN: key cursor [MATCH pattern] [COUNT count]. emit(suffix, value, out)
// appends the reply items of one element; MATCH tests the first of them.
using ScanEmit = std::function<void(std::string_view, std::string_view, std::vector<std::string>*)>;
void ScanCollection(CommandContext& ctx, types::Type type, const ScanEmit& emit);

}  // namespace strata
