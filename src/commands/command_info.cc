// COMMAND: INFO, DOCS, COUNT, LIST, GETKEYS, GETKEYSANDFLAGS, HELP — the command table as
// Redis 7 describes its own, from the rows and the documentation table (command_docs.cc).
#include <fmt/format.h>

#include <array>
#include <set>

#include "commands/registry.h"
#include "commands/util.h"
#include "util/glob.h"

namespace strata {
namespace {

// ---- ACL categories ------------------------------------------------------------------------

// Redis's categories, in the order COMMAND INFO lists them.
constexpr std::array<std::string_view, 21> kCategories = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};

// The category a command group implies (Redis's JSON files name it for each command).
std::string_view GroupCategory(std::string_view group) {
  static constexpr std::pair<std::string_view, std::string_view> kGroups[] = {
      {"generic", "keyspace"},
      {"string", "string"},
      {"bitmap", "bitmap"},
      {"hyperloglog", "hyperloglog"},
      {"geo", "geo"},
      {"list", "list"},
      {"hash", "hash"},
      {"set", "set"},
      {"sorted-set", "sortedset"},
      {"transactions", "transaction"},
      {"connection", "connection"},
      {"scripting", "scripting"},
      {"stream", "stream"},
  };
  for (auto [g, c] : kGroups) {
    if (g == group) return c;
  }
  return {};
}

// The command's categories: its group's (unless the table says "-group"), the table's extras,
// and those Redis derives from the flags (setImplicitACLCategories).
std::vector<std::string_view> AclCategories(const CommandSpec& cmd) {
  std::set<std::string_view> cats;
  std::string_view acl = cmd.doc != nullptr ? cmd.doc->acl : "";
  std::string_view group = GroupCategory(cmd.group);
  bool drop_group = false;
  for (size_t i = 0; i < acl.size();) {
    size_t end = acl.find(' ', i);
    std::string_view word = acl.substr(i, end == std::string_view::npos ? end : end - i);
    if (!word.empty() && word[0] == '-') {
      drop_group = true;
    } else if (!word.empty()) {
      cats.insert(word);
    }
    if (end == std::string_view::npos) break;
    i = end + 1;
  }
  if (!group.empty() && !drop_group) cats.insert(group);
  if (cmd.flags & kCmdWrite) cats.insert("write");
  // Redis keeps read-only scripting commands (EVAL_RO ...) out of @read.
  if ((cmd.flags & kCmdReadOnly) && !cats.count("scripting")) cats.insert("read");
  if (cmd.flags & kCmdAdmin) cats.insert({"admin", "dangerous"});
  cats.insert(cmd.flags & kCmdFast ? "fast" : "slow");
  if (cmd.flags & kCmdBlocking) cats.insert("blocking");
  if (cmd.flags & kCmdPubSub) cats.insert("pubsub");
  std::vector<std::string_view> out;
  for (std::string_view c : kCategories) {
    if (cats.count(c)) out.push_back(c);
  }
  return out;
}

bool HasCategory(const CommandSpec& cmd, std::string_view category) {
  for (std::string_view c : AclCategories(cmd)) {
    if (EqualsNoCase(c, category)) return true;
  }
  return false;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    size_t end = s.find(' ', i);
    if (end == std::string_view::npos) end = s.size();
    if (end > i) out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

// ---- COMMAND INFO --------------------------------------------------------------------------

void ReplyKeySpec(ReplyBuilder& r, const KeySpec& k) {
  r.MapHeader(3);
  r.Bulk("flags");
  r.SetHeader(k.flags.size());
  for (const auto& f : k.flags) r.SimpleString(f);
  if (k.unknown) {  // keys no spec can find (SORT's BY, GET and STORE)
    for (const char* part : {"begin_search", "find_keys"}) {
      r.Bulk(part);
      r.MapHeader(2);
      r.Bulk("type");
      r.Bulk("unknown");
      r.Bulk("spec");
      r.MapHeader(0);
    }
    return;
  }
  r.Bulk("begin_search");
  r.MapHeader(2);
  r.Bulk("type");
  if (!k.keyword.empty()) {
    r.Bulk("keyword");
    r.Bulk("spec");
    r.MapHeader(2);
    r.Bulk("keyword");
    r.Bulk(k.keyword);
    r.Bulk("startfrom");
    r.Integer(k.startfrom);
  } else {
    r.Bulk("index");
    r.Bulk("spec");
    r.MapHeader(1);
    r.Bulk("index");
    r.Integer(k.begin_index);
  }
  r.Bulk("find_keys");
  r.MapHeader(2);
  r.Bulk("type");
  r.Bulk(k.keynum ? "keynum" : "range");
  r.Bulk("spec");
  r.MapHeader(3);
  if (k.keynum) {
    r.Bulk("keynumidx");
    r.Integer(k.keynumidx);
    r.Bulk("firstkey");
    r.Integer(k.firstkey);
    r.Bulk("keystep");
    r.Integer(k.keystep);
  } else {
    r.Bulk("lastkey");
    r.Integer(k.lastkey);
    r.Bulk("keystep");
    r.Integer(k.keystep);
    r.Bulk("limit");
    r.Integer(k.limit);
  }
}

void ReplyCommandInfo(ReplyBuilder& r, const CommandSpec& cmd) {
  r.ArrayHeader(10);
  r.Bulk(cmd.full_name);
  r.Integer(cmd.arity);
  auto flags = CommandFlagNames(cmd.flags);
  r.SetHeader(flags.size());
  for (auto f : flags) r.SimpleString(f);
  r.Integer(cmd.first_key);
  r.Integer(cmd.last_key);
  r.Integer(cmd.step);
  auto categories = AclCategories(cmd);
  r.SetHeader(categories.size());
  for (auto c : categories) r.SimpleString(fmt::format("@{}", c));
  auto tips = Words(cmd.doc != nullptr ? cmd.doc->tips : "");
  r.SetHeader(tips.size());
  for (auto t : tips) r.Bulk(t);
  r.ArrayHeader(cmd.key_specs.size());
  for (const KeySpec& k : cmd.key_specs) ReplyKeySpec(r, k);
  r.ArrayHeader(cmd.subcommands.size());
  for (const auto& sub : cmd.subcommands) ReplyCommandInfo(r, sub);
}

void CmdCommand(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.ArrayHeader(all.size());
  for (const auto& cmd : all) ReplyCommandInfo(ctx.reply, *cmd);
}

void CmdCommandCount(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<long long>(ctx.server.commands().all().size()));
}

void CmdCommandInfo(CommandContext& ctx) {
  if (ctx.args.size() == 2) return CmdCommand(ctx);
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const CommandSpec* cmd = ctx.server.commands().FindFullName(ctx.args[i]);
    if (cmd == nullptr) {
      ctx.reply.NullArray();
    } else {
      ReplyCommandInfo(ctx.reply, *cmd);
    }
  }
}

// ---- COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] ------------

void CmdCommandList(CommandContext& ctx) {
  auto args = ctx.args;
  std::function<bool(const CommandSpec&)> keep = [](const CommandSpec&) { return true; };
  if (args.size() == 5 && EqualsNoCase(args[2], "filterby")) {
    std::string value(args[4]);
    if (EqualsNoCase(args[3], "module")) {
      keep = [](const CommandSpec&) { return false; };  // no modules
    } else if (EqualsNoCase(args[3], "aclcat")) {
      keep = [value](const CommandSpec& c) { return HasCategory(c, value); };
    } else if (EqualsNoCase(args[3], "pattern")) {
      keep = [value](const CommandSpec& c) { return GlobMatch(value, c.full_name, true); };
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  } else if (args.size() != 2) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  std::vector<const std::string*> names;
  for (const auto& cmd : ctx.server.commands().all()) {
    if (keep(*cmd)) names.push_back(&cmd->full_name);
    for (const auto& sub : cmd->subcommands) {
      if (keep(sub)) names.push_back(&sub.full_name);
    }
  }
  ctx.reply.ArrayHeader(names.size());
  for (const std::string* n : names) ctx.reply.Bulk(*n);
}

// ---- COMMAND GETKEYS / GETKEYSANDFLAGS --------------------------------------------------------

void GetKeys(CommandContext& ctx, bool with_flags) {
  auto line = ctx.args.subspan(2);
  const CommandTable& table = ctx.server.commands();
  const CommandSpec* cmd = table.Find(line[0]);
  if (cmd != nullptr && !cmd->subcommands.empty() && line.size() >= 2) {
    if (const CommandSpec* sub = table.FindSubcommand(*cmd, line[1])) cmd = sub;
  }
  if (cmd == nullptr) return ErrorReply(ctx, errors::kGetkeysUnknown);
  if (!ArityOk(cmd->arity, line.size())) return ErrorReply(ctx, errors::kGetkeysArity);
  if (cmd->key_specs.empty()) return ErrorReply(ctx, errors::kGetkeysNoKeys);
  std::vector<std::pair<size_t, const KeySpec*>> keys;
  if (!KeyPositions(*cmd, line, &keys) || keys.empty()) {
    return ErrorReply(ctx, errors::kGetkeysInvalid);
  }
  ctx.reply.ArrayHeader(keys.size());
  for (const auto& [at, spec] : keys) {
    if (!with_flags) {
      ctx.reply.Bulk(line[at]);
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(line[at]);
    ctx.reply.SetHeader(spec->flags.size());
    for (const auto& f : spec->flags) ctx.reply.SimpleString(f);
  }
}

void CmdCommandGetkeys(CommandContext& ctx) { GetKeys(ctx, false); }
void CmdCommandGetkeysandflags(CommandContext& ctx) { GetKeys(ctx, true); }

// ---- COMMAND DOCS ------------------------------------------------------------------------------

// One argument of a command's syntax (command_docs.cc describes the notation).
struct DocArg {
  std::string name, type, token;
  int key_spec = -1;
  bool optional = false, multiple = false, multiple_token = false;
  std::vector<DocArg> args;
};

class SyntaxParser {
 public:
  explicit SyntaxParser(std::string_view s) : s_(s) {}

  std::vector<DocArg> Items(char end) {
    std::vector<DocArg> out;
    while (pos_ < s_.size() && s_[pos_] != end) {
      if (s_[pos_] == ' ' || s_[pos_] == '|') {
        ++pos_;
        continue;
      }
      out.push_back(Item());
    }
    if (pos_ < s_.size()) ++pos_;  // the closing character
    return out;
  }

 private:
  DocArg Item() {
    if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {  // \c/name: the pure token "c" (=, ~, *)
      DocArg a;
      a.type = "pure-token";
      a.token = std::string(1, s_[pos_ + 1]);
      pos_ += 2;
      if (pos_ < s_.size() && s_[pos_] == '/') {
        size_t start = ++pos_;
        while (pos_ < s_.size() && std::string_view(" |>]").find(s_[pos_]) == std::string::npos) {
          ++pos_;
        }
        a.name = std::string(s_.substr(start, pos_ - start));
      }
      return a;
    }
    if (s_[pos_] == '[') {
      ++pos_;
      DocArg a = Item();
      if (pos_ < s_.size() && s_[pos_] == ']') ++pos_;
      a.optional = true;
      return a;
    }
    size_t start = pos_;
    while (pos_ < s_.size() &&
           std::string_view(" |()<>[]=.+").find(s_[pos_]) == std::string::npos) {
      ++pos_;
    }
    std::string_view word = s_.substr(start, pos_ - start);
    DocArg a;
    if (pos_ < s_.size() && s_[pos_] == '=') {  // TOKEN=item
      ++pos_;
      a = Item();
      a.token = std::string(word);
      return a;
    }
    if (pos_ < s_.size() && (s_[pos_] == '(' || s_[pos_] == '<')) {
      a.type = s_[pos_] == '(' ? "block" : "oneof";
      char close = s_[pos_] == '(' ? ')' : '>';
      ++pos_;
      a.name = std::string(word);
      a.args = Items(close);
    } else if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z') {  // TOKEN or TOKEN/name
      size_t slash = word.find('/');
      a.type = "pure-token";
      a.token = std::string(word.substr(0, slash));
      a.name =
          slash == std::string_view::npos ? ToLower(a.token) : std::string(word.substr(slash + 1));
    } else {
      size_t hash = word.find('#');
      a.name = std::string(word.substr(0, hash));
      a.type = "string";
      if (hash != std::string_view::npos && hash + 1 < word.size()) {
        char t = word[hash + 1];
        a.type = t == 'k'   ? "key"
                 : t == 'i' ? "integer"
                 : t == 'd' ? "double"
                 : t == 't' ? "unix-time"
                            : "pattern";
        if (t == 'k') a.key_spec = hash + 2 < word.size() ? word[hash + 2] - '0' : 0;
        if (t == 'p' && hash + 2 < word.size()) a.key_spec = word[hash + 2] - '0';
      }
    }
    if (s_.substr(pos_, 3) == "...") {
      a.multiple = true;
      pos_ += 3;
    }
    if (pos_ < s_.size() && s_[pos_] == '+') {
      a.multiple_token = true;
      ++pos_;
    }
    return a;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void ReplyDocArg(ReplyBuilder& r, const DocArg& a) {
  size_t fields = 2 + (a.key_spec >= 0) + !a.token.empty() +
                  (a.optional || a.multiple || a.multiple_token) + !a.args.empty();
  r.MapHeader(fields);
  r.Bulk("name");
  r.Bulk(a.name);
  r.Bulk("type");
  r.Bulk(a.type);
  if (a.key_spec >= 0) {
    r.Bulk("key_spec_index");
    r.Integer(a.key_spec);
  }
  if (!a.token.empty()) {
    r.Bulk("token");
    r.Bulk(a.token);
  }
  if (a.optional || a.multiple || a.multiple_token) {
    r.Bulk("flags");
    r.SetHeader(static_cast<size_t>(a.optional) + a.multiple + a.multiple_token);
    if (a.optional) r.SimpleString("optional");
    if (a.multiple) r.SimpleString("multiple");
    if (a.multiple_token) r.SimpleString("multiple_token");
  }
  if (!a.args.empty()) {
    r.Bulk("arguments");
    r.ArrayHeader(a.args.size());
    for (const DocArg& sub : a.args) ReplyDocArg(r, sub);
  }
}

void ReplyDoc(ReplyBuilder& r, const CommandSpec& cmd) {
  static const CommandDoc kNone{"", "", "", "", "", "", "", "", ""};
  const CommandDoc& d = cmd.doc != nullptr ? *cmd.doc : kNone;
  std::vector<DocArg> args = SyntaxParser(d.syntax).Items('\0');
  bool deprecated = *d.deprecated_since != '\0';
  size_t fields =
      4 + (deprecated || d.syscmd) + 2 * deprecated + !args.empty() + !cmd.subcommands.empty();
  r.MapHeader(fields);
  r.Bulk("summary");
  r.Bulk(d.summary);
  r.Bulk("since");
  r.Bulk(d.since);
  r.Bulk("group");
  r.Bulk(cmd.group);
  r.Bulk("complexity");
  r.Bulk(d.complexity);
  if (deprecated || d.syscmd) {
    r.Bulk("doc_flags");
    r.SetHeader(1);
    r.SimpleString(deprecated ? "deprecated" : "syscmd");
  }
  if (deprecated) {
    r.Bulk("deprecated_since");
    r.Bulk(d.deprecated_since);
    r.Bulk("replaced_by");
    r.Bulk(d.replaced_by);
  }
  if (!args.empty()) {
    r.Bulk("arguments");
    r.ArrayHeader(args.size());
    for (const DocArg& a : args) ReplyDocArg(r, a);
  }
  if (!cmd.subcommands.empty()) {
    r.Bulk("subcommands");
    r.MapHeader(cmd.subcommands.size());
    for (const auto& sub : cmd.subcommands) {
      r.Bulk(sub.full_name);
      ReplyDoc(r, sub);
    }
  }
}

void CmdCommandDocs(CommandContext& ctx) {
  std::vector<const CommandSpec*> cmds;
  if (ctx.args.size() == 2) {
    for (const auto& cmd : ctx.server.commands().all()) cmds.push_back(cmd.get());
  } else {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      if (const CommandSpec* cmd = ctx.server.commands().FindFullName(ctx.args[i])) {
        cmds.push_back(cmd);
      }
    }
  }
  ctx.reply.MapHeader(cmds.size());
  for (const CommandSpec* cmd : cmds) {
    ctx.reply.Bulk(cmd->full_name);
    ReplyDoc(ctx.reply, *cmd);
  }
}

void CmdCommandHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all commands.",
      "COUNT",
      "    Return the total number of commands in this server.",
      "LIST",
      "    Return a list of all commands in this server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full command.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> CommandCommands() {
  const uint32_t kAny = kCmdLoading | kCmdStale;
  auto row = [&](const char* name, CommandHandler h, int arity) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = kAny};
  };
  CommandSpec command{
      .name = "command", .handler = CmdCommand, .arity = -1, .flags = kAny, .group = "server"};
  command.subcommands = {
      row("count", CmdCommandCount, 2),      row("info", CmdCommandInfo, -2),
      row("docs", CmdCommandDocs, -2),       row("list", CmdCommandList, -2),
      row("getkeys", CmdCommandGetkeys, -4), row("getkeysandflags", CmdCommandGetkeysandflags, -4),
      row("help", CmdCommandHelp, 2),
  };
  std::vector<CommandSpec> out;
  out.push_back(std::move(command));
  return out;
}

}  // namespace strata
