// SORT and SORT_RO: the elements of a list, set or sorted set, sorted numerically or (ALPHA)
// by bytes, by themselves or BY the values of other keys or hash fields named by a pattern,
// with LIMIT, GET patterns and STORE, as Redis 7.0's sort.c does it.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "commands/registry.h"
#include "commands/util.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

namespace strata {
namespace {

using types::Type;

struct Item {
  std::string value;
  double score = 0;
  std::optional<std::string> by;  // ALPHA BY: the value sorted by (nullopt: its key is missing)
};

// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced
// by it and the key read as a string, or with "->field" as a hash field. nullopt when the
// pattern has no '*', the key is missing or of another type.
std::optional<std::string> ByPattern(CommandContext& ctx, std::string_view pattern,
                                     std::string_view element, bool* failed) {
  if (pattern == "#") return std::string(element);
  pattern = pattern.substr(0, pattern.find('\0'));  // Redis reads it as a C string
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view field;
  size_t arrow = pattern.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
    pattern = pattern.substr(0, arrow);
  }
  std::string key = std::string(pattern.substr(0, star)) + std::string(element) +
                    std::string(pattern.substr(star + 1));
  types::Meta meta;
  bool found;
  if (!LookupOrReply(ctx, key, &meta, &found)) return *failed = true, std::nullopt;
  if (!found) return std::nullopt;
  if (field.empty()) {
    if (meta.type != Type::kString) return std::nullopt;
    return std::string(meta.payload);
  }
  if (meta.type != Type::kHash) return std::nullopt;
  auto v = types::Hash::Get(Op(ctx), key, field);
  if (!OkOrReply(ctx, v)) return *failed = true, std::nullopt;
  return *v;
}

// strtod over the whole text, as Redis parses a score to sort by.
bool SortScore(const std::string& text, double* out) {
  errno = 0;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno != ERANGE && !std::isnan(*out);
}

void Sort(CommandContext& ctx, bool read_only) {
  bool desc = false, alpha = false, dont_sort = false;
  long long limit_start = 0, limit_count = -1;
  std::optional<std::string_view> by, store;
  std::vector<std::string_view> gets;
  for (size_t j = 2; j < ctx.args.size(); ++j) {
    size_t left = ctx.args.size() - j - 1;
    std::string_view a = ctx.args[j];
    if (EqualsNoCase(a, "ASC")) {
      desc = false;
    } else if (EqualsNoCase(a, "DESC")) {
      desc = true;
    } else if (EqualsNoCase(a, "ALPHA")) {
      alpha = true;
    } else if (EqualsNoCase(a, "LIMIT") && left >= 2) {
      if (!IntegerOrReply(ctx, ctx.args[j + 1], &limit_start) ||
          !IntegerOrReply(ctx, ctx.args[j + 2], &limit_count)) {
        return;
      }
      j += 2;
    } else if (!read_only && EqualsNoCase(a, "STORE") && left >= 1) {
      store = ctx.args[++j];
    } else if (EqualsNoCase(a, "BY") && left >= 1) {
      by = ctx.args[++j];
      // A pattern with no '*' names no key per element: nothing to sort by.
      dont_sort = by->find('*') == std::string_view::npos;
    } else if (EqualsNoCase(a, "GET") && left >= 1) {
      gets.push_back(ctx.args[++j]);
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  types::Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (found && meta.type != Type::kList && meta.type != Type::kSet && meta.type != Type::kZSet) {
    return ErrorReply(ctx, errors::kWrongType);
  }
  Type type = found ? meta.type : Type::kList;
  // A set's own order is not one a replica or a script could repeat: sorted by bytes then.
  if (dont_sort && type == Type::kSet && (store || ctx.client.script)) {
    dont_sort = false, alpha = true, by.reset();
  }
  std::vector<std::string> elements;
  types::OpArgs op = Op(ctx);
  if (found && type == Type::kList) {
    auto r = types::List::Range(op, ctx.args[1], 0, -1);
    if (!OkOrReply(ctx, r)) return;
    elements = std::move(*r);
  } else if (found && type == Type::kSet) {
    auto r = types::Set::Members(op, ctx.args[1]);
    if (!OkOrReply(ctx, r)) return;
    elements = std::move(*r);
  } else if (found) {
    auto r = types::Zset::InRange(op, ctx.args[1], types::Zset::Range{});
    if (!OkOrReply(ctx, r)) return;
    for (auto& s : *r) elements.push_back(std::move(s.member));
  }
  // LIMIT, clamped as Redis clamps it.
  auto n = static_cast<long long>(elements.size());
  long long start = limit_start < 0 ? 0 : limit_start;
  long long end = limit_count < 0 ? n - 1 : start + limit_count - 1;
  if (start >= n) start = n - 1, end = n - 2;
  if (end >= n) end = n - 1;
  // Lists and sorted sets left unsorted keep their order, reversed by DESC.
  if (dont_sort && desc && type != Type::kSet) std::reverse(elements.begin(), elements.end());
  std::vector<Item> items(elements.size());
  for (size_t i = 0; i < elements.size(); ++i) items[i].value = std::move(elements[i]);
  bool not_double = false, failed = false;
  if (!dont_sort) {
    for (Item& it : items) {
      std::optional<std::string> byval;
      if (by) {
        byval = ByPattern(ctx, *by, it.value, &failed);
        if (failed) return;
        if (!byval) continue;  // sorted as 0, or first when ALPHA
      }
      if (alpha) {
        if (by) it.by = std::move(byval);
      } else if (!SortScore(by ? *byval : it.value, &it.score)) {
        not_double = true;
      }
    }
    auto cmp = [&](const Item& a, const Item& b) {
      int c;
      if (!alpha) {
        c = a.score > b.score ? 1 : a.score < b.score ? -1 : a.value.compare(b.value);
      } else if (by) {
        c = !a.by || !b.by ? (a.by ? 1 : b.by ? -1 : 0) : a.by->compare(*b.by);
      } else {
        c = a.value.compare(b.value);
      }
      return desc ? c > 0 : c < 0;
    };
    std::stable_sort(items.begin(), items.end(), cmp);
  }
  if (not_double) return ErrorReply(ctx, errors::kSortNotDouble);
  // The output: each element in range, or what its GET patterns name.
  std::vector<std::optional<std::string>> out;
  for (long long j = start; j <= end; ++j) {
    const std::string& value = items[static_cast<size_t>(j)].value;
    if (gets.empty()) out.emplace_back(value);
    for (std::string_view g : gets) {
      out.push_back(ByPattern(ctx, g, value, &failed));
      if (failed) return;
    }
  }
  if (!store) {
    ctx.reply.ArrayHeader(out.size());
    for (const auto& v : out) {
      if (v) {
        ctx.reply.Bulk(*v);
      } else {
        ctx.reply.Null();
      }
    }
    return;
  }
  auto deleted = ctx.server.keyspace().DeleteKey(ctx.client.db, *store);
  if (!OkOrReply(ctx, deleted)) return;
  if (!out.empty()) {
    std::vector<std::string_view> values;
    for (const auto& v : out) values.push_back(v ? std::string_view(*v) : std::string_view());
    if (!OkOrReply(ctx, types::List::Push(op, *store, false, values, false))) return;
    Notify(ctx, kNotifyList, "sortstore", *store);
  } else if (*deleted) {
    Notify(ctx, kNotifyGeneric, "del", *store);
  }
  ctx.reply.Integer(static_cast<long long>(out.size()));
}

void CmdSort(CommandContext& ctx) { Sort(ctx, false); }
void CmdSortRo(CommandContext& ctx) { Sort(ctx, true); }

}  // namespace

std::vector<CommandSpec> SortCommands() {
  constexpr auto row = CommandRow;
  return {
      row("sort", CmdSort, -2, kCmdWrite | kCmdDenyOom),
      row("sort_ro", CmdSortRo, -2, kCmdReadOnly),
  };
}

}  // namespace strata
