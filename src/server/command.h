// The command table: every command's name, handler, arity, flags and key positions.
//
// Each family file (src/commands/<family>.cc) ends with its rows. Dispatch checks unknown
// command, subcommand and arity once; handlers never re-check arity. COMMAND's replies are
// generated from these rows.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/reply.h"
#include "server/stats.h"
#include "types/encoding.h"
#include "util/text.h"

namespace strata {

class Server;
struct CommandSpec;

enum CommandFlag : uint32_t {
  kCmdWrite = 1 << 0,
  kCmdReadOnly = 1 << 1,
  kCmdFast = 1 << 2,
  kCmdDenyOom = 1 << 3,
  kCmdAdmin = 1 << 4,
  kCmdNoScript = 1 << 5,
  kCmdLoading = 1 << 6,
  kCmdStale = 1 << 7,
  kCmdNoAuth = 1 << 8,
  kCmdNoMulti = 1 << 9,     // refused inside MULTI (SAVE, SHUTDOWN): EXEC then aborts
  kCmdTxControl = 1 << 10,  // runs at once inside MULTI (MULTI, EXEC, DISCARD, WATCH, QUIT)
  kCmdNoTouch = 1 << 11,    // reads keys without touching them (TYPE, EXISTS, TTL, OBJECT)
  kCmdBlocking = 1 << 12,   // may wait (BLPOP ...)
  kCmdSkipSlowlog = 1 << 13,
  kCmdNoAsyncLoading = 1 << 14,
  kCmdAllowBusy = 1 << 15,
  kCmdMovableKeys = 1 << 16,      // set from the key specs: a keynum spec (LMPOP, ZUNION ...)
  kCmdSkipMonitor = 1 << 17,      // not shown to MONITOR by the dispatcher (EVAL shows itself)
  kCmdNoMandatoryKeys = 1 << 18,  // may be given no keys (EVAL, FCALL)
  kCmdSubscribed = 1 << 19,       // runs in RESP2 subscribed mode ((P|S)(UN)SUBSCRIBE, PING ...)
  kCmdPubSub = 1 << 20,           // a Pub/Sub command (COMMAND's "pubsub" flag, @pubsub)
};

// A command's documentation and key specs, as COMMAND DOCS and COMMAND INFO give them. The
// table and the notation of `syntax` and `keys` are in src/commands/command_docs.cc.
struct CommandDoc {
  const char* name;  // full name: "get", "client|list"
  const char* group;
  const char* since;
  const char* complexity;
  const char* summary;
  const char* syntax;  // the arguments
  const char* keys;    // the key specs' access flags, and where each finds its keys
  const char* tips;    // space-separated
  const char* acl;     // ACL categories besides the group's and the flags'; "-group": not it
  const char* deprecated_since = "";
  const char* replaced_by = "";
  bool syscmd = false;
};

// Where a command's keys are (Redis's key specs): from begin_index (or after `keyword`), either
// a range (up to lastkey — negative counts from the end — every keystep; with lastkey -1 and
// limit N, the first 1/N of the rest) or, when keynum, a count at begin_index + keynumidx of
// keys that follow from begin_index + firstkey.
struct KeySpec {
  std::vector<std::string> flags;  // RO RW OW RM, access update insert delete ...
  int begin_index = 0;
  std::string keyword;  // begin at the argument after this one (searched from startfrom)
  int startfrom = 0;
  bool keynum = false;
  int lastkey = 0, keystep = 1, limit = 0;
  int keynumidx = 0, firstkey = 1;
  // Where its keys are cannot be told from the arguments' positions (COMMAND INFO says
  // "unknown"); a keyword, if any, is what COMMAND GETKEYS looks for.
  bool unknown = false;
};

// MULTI ... EXEC: the queued commands (the WATCHed keys are types/watched_keys.h).
struct TransactionState {
  bool active = false;   // between MULTI and EXEC/DISCARD
  bool aborted = false;  // a command was refused while queueing: EXEC replies EXECABORT
  std::vector<std::vector<std::string>> queued;
  bool executing = false;    // EXEC is running the queue: blocking commands do not block
};

// A client waiting in BLPOP and friends (see Server::Block).
struct BlockState {
  bool active = false;
  bool waiting = false;  // set by Server::Block when a retry still found nothing
  int db = 0;
  std::vector<std::string> keys;
  // What a key must become to wake the client: a push to a list, a ZADD to a sorted set. A
  // key that becomes another type leaves it waiting, as in Redis.
  types::Type waits_for = types::Type::kList;
  std::vector<std::string> args;  // the command, run again when a key gets data
  int64_t deadline_ms = 0;        // 0: wait forever
  bool timeout_replies_zero = false;  // WAIT: the timeout's reply is 0, not a nil
};

// A client whose command waits for cold reads (server/cold_reads.h).
struct ParkState {
  bool active = false;
  bool retry = false;             // running the command again: read on the loop if need be
  std::vector<std::string> args;  // the command, run again when the reads are done
};

// Pub/Sub (server/pubsub.h): what a client is subscribed to. While any, a RESP2 client is in
// subscribed mode, and the client is of the pubsub class (output limits, CLIENT LIST/KILL).
struct SubscriptionState {
  std::set<std::string, std::less<>> channels, patterns, shard_channels;
  size_t count() const { return channels.size() + patterns.size() + shard_channels.size(); }
};

// Client-side caching (server/tracking.h): CLIENT TRACKING's mode for this client.
struct TrackingState {
  bool on = false;
  bool bcast = false, optin = false, optout = false, noloop = false;
  bool caching_yes = false, caching_no = false;  // CLIENT CACHING, for the next command
  bool redirect_broken = false;                  // the redirect target went away
  uint64_t redirect = 0;                         // 0: invalidations come on this connection
  std::vector<std::string> prefixes;             // BCAST
};

// Per-connection state that commands may read and change. Knows nothing of sockets.
struct ClientState {
  uint64_t id = 0;
  int db = 0;
  int resp = 2;
  std::string name, lib_name, lib_ver;
  std::string addr, laddr;  // "ip:port"
  int fd = -1;
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  const CommandSpec* last_command = nullptr;  // the last command run
  bool close_after_reply = false;             // QUIT, protocol errors
  bool authenticated = true;                  // false until AUTH when requirepass is set
  bool reply_off = false;        // CLIENT REPLY OFF
  bool skip_next_reply = false;  // CLIENT REPLY SKIP
  bool monitor = false;          // MONITOR: receives every command the server runs
  bool no_touch = false;         // CLIENT NO-TOUCH ON: only TOUCH changes access times
  bool unix_socket = false;      // connected through unixsocket
  bool script = false;           // the client scripts' commands run as (src/scripting)
  TransactionState tx;
  SubscriptionState subs;
  TrackingState tracking;
  BlockState block;
  ParkState park;
};

struct CommandContext {
  std::span<const std::string_view> args;  // args[0] is the command name as sent
  ReplyBuilder& reply;
  ClientState& client;
  Server& server;
  int64_t now_ms;  // wall-clock time the command started, for expiry
};

using CommandHandler = void (*)(CommandContext&);

struct CommandSpec {
  std::string name;  // lower case, as in Redis's command table
  CommandHandler handler = nullptr;
  int arity = 0;  // exact argc, or -N for "at least N"
  uint32_t flags = 0;
  int first_key = 0, last_key = 0, step = 0;
  std::string group;  // "string", "generic", "connection", "server", ...
  std::vector<CommandSpec> subcommands;
  // Filled in from the documentation table (commands/command_docs.cc).
  const CommandDoc* doc = nullptr;
  std::vector<KeySpec> key_specs;

  // Filled in by the table.
  std::string full_name;  // "get", "client|setname"
  mutable uint64_t calls = 0;
  mutable uint64_t usec = 0;  // time spent in the handler (INFO commandstats)
  mutable uint64_t rejected_calls = 0;  // refused before running (arity, NOAUTH, MULTI ...)
  mutable uint64_t failed_calls = 0;    // ran and replied with an error
  mutable LatencyHistogram latency;     // INFO latencystats (latency-tracking yes)
};

class CommandTable {
 public:
  void Register(std::vector<CommandSpec> specs);
  // rename-command: the command answers to new_name instead of old_name (to nothing when
  // new_name is empty). False when old_name is not a command.
  bool Rename(std::string_view old_name, std::string_view new_name);
  // Case-insensitive; nullptr when unknown.
  const CommandSpec* Find(std::string_view name) const;
  const CommandSpec* FindSubcommand(const CommandSpec& parent, std::string_view name) const;
  // Why Resolve found no command to run.
  enum class ResolveError { kNone, kUnknownCommand, kUnknownSubcommand, kWrongArity };
  // Resolves a command line's name (and a container's subcommand) to the command whose arity
  // fits args. On failure nullptr, *error says why and *found is what was found (the
  // container, or the command of the wrong arity) for the error's words.
  const CommandSpec* Resolve(std::span<const std::string_view> args, ResolveError* error,
                             const CommandSpec** found) const;
  // Like Find, and also takes a subcommand's full name ("client|list"), as COMMAND INFO does.
  const CommandSpec* FindFullName(std::string_view name) const;
  // All top-level commands, in registration order.
  const std::vector<std::unique_ptr<CommandSpec>>& all() const { return commands_; }

 private:
  // Lets find() take a string_view without building a std::string.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  std::vector<std::unique_ptr<CommandSpec>> commands_;
  std::unordered_map<std::string, const CommandSpec*, NameHash, std::equal_to<>> by_name_;
};

// The supported commands as a Markdown list, one line per group (README's command list).
std::string CommandListMarkdown(const CommandTable& table);

// Names of the flags set in `flags`, as COMMAND shows them.
std::vector<std::string_view> CommandFlagNames(uint32_t flags);

// The positions of the keys in args (a whole command line), by the command's key specs (COMMAND
// GETKEYS, client-side caching); false when the arguments do not say where the keys are (a
// bad numkeys).
bool KeyPositions(const CommandSpec& cmd, std::span<const std::string_view> args,
                  std::vector<std::pair<size_t, const KeySpec*>>* out);

// True when the arity allows argc arguments.
inline bool ArityOk(int arity, size_t argc) {
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

}  // namespace strata
