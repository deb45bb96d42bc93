#include "server/command.h"

#include <algorithm>
#include <map>

#include <cctype>

namespace strata {

void CommandTable::Register(std::vector<CommandSpec> specs) {
  for (auto& spec : specs) {
    auto owned = std::make_unique<CommandSpec>(std::move(spec));
    owned->full_name = owned->name;
    if (owned->first_key == 0) owned->step = 0;  // keyless, as Redis shows it
    for (auto& sub : owned->subcommands) {
      sub.full_name = owned->name + "|" + sub.name;
      if (sub.first_key == 0) sub.step = 0;
      by_name_[sub.full_name] = &sub;
    }
    by_name_[owned->name] = owned.get();
    commands_.push_back(std::move(owned));
  }
}

bool CommandTable::Rename(std::string_view old_name, std::string_view new_name) {
  auto it = by_name_.find(ToLower(old_name));
  if (it == by_name_.end() || it->second->full_name.find('|') != std::string::npos) return false;
  const CommandSpec* spec = it->second;
  by_name_.erase(it);
  if (!new_name.empty()) by_name_[ToLower(new_name)] = spec;
  return true;
}

const CommandSpec* CommandTable::Resolve(std::span<const std::string_view> args,
                                         ResolveError* error, const CommandSpec** found) const {
  const CommandSpec* cmd = Find(args[0]);
  *found = cmd;
  if (cmd == nullptr) return *error = ResolveError::kUnknownCommand, nullptr;
  if (!cmd->subcommands.empty() && (args.size() >= 2 || cmd->handler == nullptr)) {
    // A container (CLIENT, CONFIG): the subcommand names the handler. COMMAND alone runs.
    if (args.size() < 2) return *error = ResolveError::kWrongArity, nullptr;
    const CommandSpec* sub = FindSubcommand(*cmd, args[1]);
    if (sub == nullptr) return *error = ResolveError::kUnknownSubcommand, nullptr;
    cmd = sub;
    *found = cmd;
  }
  if (!ArityOk(cmd->arity, args.size())) return *error = ResolveError::kWrongArity, nullptr;
  *error = ResolveError::kNone;
  return cmd;
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  char buf[64];
  if (name.size() > sizeof(buf)) {  // only renamed commands have names this long
    auto it = by_name_.find(ToLower(name));
    return it == by_name_.end() || it->second->full_name.find('|') != std::string::npos
               ? nullptr
               : it->second;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  auto it = by_name_.find(std::string_view(buf, name.size()));
  if (it == by_name_.end() || it->second->full_name.find('|') != std::string::npos) return nullptr;
  return it->second;
}

const CommandSpec* CommandTable::FindFullName(std::string_view name) const {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return Find(name);
  const CommandSpec* parent = Find(name.substr(0, bar));
  return parent == nullptr ? nullptr : FindSubcommand(*parent, name.substr(bar + 1));
}

const CommandSpec* CommandTable::FindSubcommand(const CommandSpec& parent,
                                                std::string_view name) const {
  for (const auto& sub : parent.subcommands) {
    if (EqualsNoCase(sub.name, name)) return &sub;
  }
  return nullptr;
}

std::vector<std::string_view> CommandFlagNames(uint32_t flags) {
  static constexpr std::pair<uint32_t, std::string_view> kNames[] = {
      // In Redis's order.
      {kCmdWrite, "write"},
      {kCmdReadOnly, "readonly"},
      {kCmdDenyOom, "denyoom"},
      {kCmdAdmin, "admin"},
      {kCmdPubSub, "pubsub"},
      {kCmdNoScript, "noscript"},
      {kCmdBlocking, "blocking"},
      {kCmdLoading, "loading"},
      {kCmdStale, "stale"},
      {kCmdSkipMonitor, "skip_monitor"},
      {kCmdSkipSlowlog, "skip_slowlog"},
      {kCmdFast, "fast"},
      {kCmdNoAuth, "no_auth"},
      {kCmdNoMandatoryKeys, "no_mandatory_keys"},
      {kCmdNoAsyncLoading, "no_async_loading"},
      {kCmdNoMulti, "no_multi"},
      {kCmdMovableKeys, "movablekeys"},
      {kCmdAllowBusy, "allow_busy"},
  };
  std::vector<std::string_view> out;
  for (auto [bit, name] : kNames) {
    if (flags & bit) out.push_back(name);
  }
  return out;
}

std::string CommandListMarkdown(const CommandTable& table) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& cmd : table.all()) {
    std::string entry = ToUpper(cmd->name);
    if (!cmd->subcommands.empty()) {
      std::vector<std::string> subs;
      for (const auto& sub : cmd->subcommands) subs.push_back(ToUpper(sub.name));
      std::sort(subs.begin(), subs.end());
      entry += " (";
      for (size_t i = 0; i < subs.size(); ++i) entry += (i ? ", " : "") + subs[i];
      entry += ")";
    }
    groups[cmd->group].push_back(std::move(entry));
  }
  std::string out;
  for (auto& [group, names] : groups) {
    std::sort(names.begin(), names.end());
    out += "- **" + group + "**: ";
    for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
    out += "\n";
  }
  return out;
}

bool KeyPositions(const CommandSpec& cmd, std::span<const std::string_view> args,
                  std::vector<std::pair<size_t, const KeySpec*>>* out) {
  const int argc = static_cast<int>(args.size());
  for (const KeySpec& k : cmd.key_specs) {
    if (k.unknown && k.keyword.empty()) continue;
    int first = k.begin_index;
    if (!k.keyword.empty()) {  // the keys start after the keyword (XREAD ... STREAMS)
      first = -1;
      int step = k.startfrom >= 0 ? 1 : -1;
      for (int i = k.startfrom >= 0 ? k.startfrom : argc + k.startfrom; i > 0 && i < argc;
           i += step) {
        if (EqualsNoCase(args[static_cast<size_t>(i)], k.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first < 0) continue;
    }
    if (first >= argc) continue;
    if (k.keynum) {
      long long n;
      int at = first + k.keynumidx;
      if (at >= argc || !ParseLongLong(args[static_cast<size_t>(at)], &n) || n < 0) return false;
      if (n > argc) return false;  // more keys than arguments (and no overflow below)
      int from = first + k.firstkey;
      if (from + (n - 1) * k.keystep >= argc) return false;
      for (long long j = 0; j < n; ++j) {
        out->emplace_back(static_cast<size_t>(from + j * k.keystep), &k);
      }
      continue;
    }
    int last = k.lastkey >= 0 ? first + k.lastkey : argc + k.lastkey;
    // limit N: the keys are the first 1/N of what follows (XREAD's keys, then their IDs).
    if (k.lastkey == -1 && k.limit >= 2) last = first + (argc - first) / k.limit - 1;
    for (int i = first; i <= last && i < argc; i += k.keystep) {
      out->emplace_back(static_cast<size_t>(i), &k);
    }
  }
  return true;
}

}  // namespace strata
