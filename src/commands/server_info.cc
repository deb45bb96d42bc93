// Server commands: COMMAND, CONFIG, INFO, DBSIZE, FLUSHDB, FLUSHALL.
#include <fcntl.h>
#include <fmt/format.h>
#include <mimalloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "commands/registry.h"
#include "commands/util.h"
#include "util/glob.h"
#include "server/log.h"
#include "strata/env.h"
#include "server/version.h"

namespace strata {
namespace {

// ---- COMMAND -------------------------------------------------------------------------

void ReplyCommandInfo(CommandContext& ctx, const CommandSpec& cmd, std::string_view group) {
  ReplyBuilder& r = ctx.reply;
  r.ArrayHeader(10);
  r.Bulk(cmd.full_name);
  r.Integer(cmd.arity);
  auto flags = CommandFlagNames(cmd.flags);
  r.SetHeader(flags.size());
  for (auto f : flags) r.SimpleString(f);
  r.Integer(cmd.first_key);
  r.Integer(cmd.last_key);
  r.Integer(cmd.step);
  std::vector<std::string> categories;
  if (!group.empty()) categories.push_back(fmt::format("@{}", group));
  categories.push_back(cmd.flags & kCmdWrite ? "@write" : "@read");
  categories.push_back(cmd.flags & kCmdFast ? "@fast" : "@slow");
  if (cmd.flags & kCmdAdmin) categories.push_back("@admin");
  r.SetHeader(categories.size());
  for (const auto& c : categories) r.SimpleString(c);
  r.SetHeader(0);    // tips
  r.ArrayHeader(0);  // key specs
  r.ArrayHeader(cmd.subcommands.size());
  for (const auto& sub : cmd.subcommands) ReplyCommandInfo(ctx, sub, group);
}

void CmdCommand(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.ArrayHeader(all.size());
  for (const auto& cmd : all) ReplyCommandInfo(ctx, *cmd, cmd->group);
}

void CmdCommandCount(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<long long>(ctx.server.commands().all().size()));
}

void CmdCommandList(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.ArrayHeader(all.size());
  for (const auto& cmd : all) ctx.reply.Bulk(cmd->name);
}

void CmdCommandInfo(CommandContext& ctx) {
  if (ctx.args.size() == 2) return CmdCommand(ctx);
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const CommandSpec* cmd = ctx.server.commands().Find(ctx.args[i]);
    if (cmd == nullptr) {
      ctx.reply.NullArray();
    } else {
      ReplyCommandInfo(ctx, *cmd, cmd->group);
    }
  }
}

void CmdCommandDocs(CommandContext& ctx) {
  // redis-cli aborts on a malformed DOCS reply; an error makes it use its built-in help.
  ErrorReply(ctx, "ERR COMMAND DOCS is not supported by Strata yet");
}

// ---- CONFIG --------------------------------------------------------------------------

void CmdConfigGet(CommandContext& ctx) {
  std::vector<std::pair<std::string, std::string>> found;
  std::set<std::string> seen;
  auto add = [&](std::string_view name, std::string value) {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      if (GlobMatch(ctx.args[i], name, true) && seen.emplace(name).second) {
        found.emplace_back(std::string(name), std::move(value));
        return;
      }
    }
  };
  for (const auto& o : ConfigOptions()) add(o.name, o.get(ctx.server.config()));
  for (const auto& f : FixedConfigValues()) add(f.name, f.value);
  ctx.reply.MapHeader(found.size());
  for (const auto& [name, value] : found) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

void CmdConfigSet(CommandContext& ctx) {
  if (ctx.args.size() % 2 != 0) return ErrorReply(ctx, errors::WrongArity("config|set"));
  Config updated = ctx.server.config();
  std::set<std::string> seen;
  for (size_t i = 2; i < ctx.args.size(); i += 2) {
    std::string_view name = ctx.args[i];
    const ConfigOption* option = FindConfigOption(name);
    if (option == nullptr) return ErrorReply(ctx, errors::ConfigSetUnknown(name));
    if (!seen.insert(option->name).second) {
      return ErrorReply(ctx, errors::ConfigSetFailed(name, "duplicate parameter"));
    }
    if (!option->mutable_at_runtime) {
      return ErrorReply(ctx, errors::ConfigSetFailed(name, "can't set immutable config"));
    }
    std::string why = option->set(updated, {ctx.args[i + 1]});
    if (!why.empty()) return ErrorReply(ctx, errors::ConfigSetFailed(name, why));
  }
  ctx.server.config() = std::move(updated);
  ctx.server.ApplyConfig();
  ctx.reply.Ok();
}

// Rewrites the file atomically (Env::WriteFileAtomically: a crash leaves the old or the new).
void CmdConfigRewrite(CommandContext& ctx) {
  const std::string& path = ctx.server.config().config_file;
  if (path.empty()) return ErrorReply(ctx, errors::kNoConfigFile);
  std::string original;
  {
    std::ifstream in(path, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string text = RewriteConfigText(original, ctx.server.config());
  Status s = Env::Default()->WriteFileAtomically(path, text);
  if (!s.ok()) {
    std::string_view reason = s.message();
    reason.remove_prefix(reason.rfind(": ") == std::string_view::npos ? 0 : reason.rfind(": ") + 2);
    Log(LogLevel::kWarning, "CONFIG REWRITE failed: {}", reason);
    return ErrorReply(ctx, errors::RewriteConfigFailed(reason));
  }
  Log(LogLevel::kNotice, "CONFIG REWRITE executed with success.");
  ctx.reply.Ok();
}

void CmdConfigResetstat(CommandContext& ctx) {
  ctx.server.stats() = ServerStats();
  for (const auto& cmd : ctx.server.commands().all()) {
    cmd->calls = cmd->usec = 0;
    for (const auto& sub : cmd->subcommands) sub.calls = sub.usec = 0;
  }
  ctx.server.slowlog().Reset();
  ctx.reply.Ok();
}

void CmdConfigHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

// ---- INFO ----------------------------------------------------------------------------

std::string InfoServer(CommandContext& ctx) {
  struct utsname u;
  uname(&u);
  int64_t uptime = (ctx.now_ms - ctx.server.start_time_ms()) / 1000;
  char exe[4096] = "";
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) exe[n] = '\0';
  return fmt::format(
      "# Server\r\nredis_version:{}\r\nstrata_version:{}\r\nredis_git_sha1:00000000\r\n"
      "redis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{} {} {}\r\n"
      "arch_bits:64\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\n"
      "gcc_version:{}.{}.{}\r\nprocess_id:{}\r\nprocess_supervised:no\r\nrun_id:{}\r\n"
      "tcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{}\r\nuptime_in_days:{}\r\n"
      "hz:10\r\nconfigured_hz:10\r\nexecutable:{}\r\nconfig_file:{}\r\n",
      kRedisCompatVersion, kStrataVersion, u.sysname, u.release, u.machine, __GNUC__,
      __GNUC_MINOR__, __GNUC_PATCHLEVEL__, getpid(), ctx.server.run_id(), ctx.server.config().port,
      ctx.now_ms * 1000, uptime, uptime / 86400, exe, ctx.server.config().config_file);
}

std::string InfoClients(CommandContext& ctx) {
  return fmt::format(
      "# Clients\r\nconnected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\n"
      "blocked_clients:{}\r\ntracking_clients:0\r\nclients_in_timeout_table:{}\r\n",
      ctx.server.clients().size(), ctx.server.config().maxclients, ctx.server.blocked().count(),
      ctx.server.blocked().count());
}

std::string InfoPersistence(CommandContext& ctx) {
  DbStats s = ctx.server.db().GetStats();
  Status bg = ctx.server.db().BackgroundError();
  const SaveState& save = ctx.server.checkpoints().state();
  std::string fsync = FindConfigOption("appendfsync")->get(ctx.server.config());
  return fmt::format(
      "# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_changes_since_last_save:0\r\n"
      "rdb_bgsave_in_progress:{}\r\nrdb_last_save_time:{}\r\nrdb_last_bgsave_status:{}\r\n"
      "rdb_last_bgsave_time_sec:{}\r\nrdb_current_bgsave_time_sec:{}\r\nrdb_saves:{}\r\n"
      "checkpoint_last_dir:{}\r\n"
      "aof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_last_write_status:{}\r\n"
      "aof_last_bgrewrite_status:ok\r\nwal_appendfsync:{}\r\nwal_segment:{}\r\n"
      "wal_bytes_written:{}\r\nwal_syncs:{}\r\nwal_last_error:{}\r\nwal_recovered_records:{}\r\n"
      "wal_recovered_torn_bytes:{}\r\nmemtable_bytes:{}\r\nsealed_memtables:{}\r\n"
      "sealed_memtable_bytes:{}\r\nlast_sequence:{}\r\n",
      save.in_progress ? 1 : 0, save.last_save_s, save.last_ok ? "ok" : "err",
      save.last_duration_s,
      save.in_progress ? (ctx.now_ms - save.started_ms) / 1000 : -1, save.saves, save.last_dir,
      bg.ok() ? "ok" : "err", fsync, s.wal_segment,
      s.wal_bytes_written, s.wal_syncs, bg.ok() ? "" : bg.ToString(), s.recovered_records,
      s.recovered_torn_bytes, s.memtable_bytes, s.sealed_memtables, s.sealed_memtable_bytes,
      s.last_sequence);
}

std::string InfoStats(CommandContext& ctx) {
  const ServerStats& s = ctx.server.stats();
  return fmt::format(
      "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\n"
      "total_net_input_bytes:{}\r\ntotal_net_output_bytes:{}\r\nrejected_connections:{}\r\n"
      "expired_keys:{}\r\nevicted_keys:0\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\n"
      "total_error_replies:{}\r\ncold_reads_parked:{}\r\ncold_reads_parked_total:{}\r\n"
      "cold_reads_check_resident:{}\r\n",
      s.total_connections_received, s.total_commands_processed, s.total_net_input_bytes,
      s.total_net_output_bytes, s.rejected_connections, s.expired_keys, s.keyspace_hits,
      s.keyspace_misses, s.total_error_replies, ctx.server.cold_reads().parked(),
      ctx.server.cold_reads().parked_total(), ctx.server.cold_reads().checking_residency() ? 1 : 0);
}

std::string InfoMemory(CommandContext& ctx) {
  // used_memory: what mimalloc (memtable arenas and their hash index) has committed; the
  // RSS comes from the kernel.
  size_t elapsed, user, sys, mi_rss, peak_rss, commit, peak_commit, faults;
  mi_process_info(&elapsed, &user, &sys, &mi_rss, &peak_rss, &commit, &peak_commit, &faults);
  size_t pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%zu %zu", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  size_t rss = resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
  DbStats s = ctx.server.db().GetStats();
  size_t engine = s.memtable_bytes + s.sealed_memtable_bytes + s.block_cache_usage;
  return fmt::format(
      "# Memory\r\nused_memory:{}\r\nused_memory_human:{:.2f}M\r\nused_memory_rss:{}\r\n"
      "used_memory_rss_human:{:.2f}M\r\nused_memory_peak:{}\r\nused_memory_peak_human:{:.2f}M\r\n"
      "used_memory_dataset:{}\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\n"
      "mem_allocator:mimalloc-{}\r\nmemtable_bytes:{}\r\nblock_cache_usage:{}\r\n",
      commit, commit / 1048576.0, rss, rss / 1048576.0, peak_commit, peak_commit / 1048576.0,
      engine, mi_version(), s.memtable_bytes + s.sealed_memtable_bytes, s.block_cache_usage);
}

std::string InfoCpu() {
  struct rusage self, children;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return fmt::format(
      "# CPU\r\nused_cpu_sys:{:.6f}\r\nused_cpu_user:{:.6f}\r\nused_cpu_sys_children:{:.6f}\r\n"
      "used_cpu_user_children:{:.6f}\r\n",
      secs(self.ru_stime), secs(self.ru_utime), secs(children.ru_stime), secs(children.ru_utime));
}

std::string InfoErrorstats(CommandContext& ctx) {
  std::string out = "# Errorstats\r\n";
  for (const auto& [prefix, count] : ctx.server.stats().error_prefixes) {
    out += fmt::format("errorstat_{}:count={}\r\n", prefix, count);
  }
  return out;
}

std::string InfoCommandstats(CommandContext& ctx) {
  std::string out = "# Commandstats\r\n";
  auto line = [&](const CommandSpec& c) {
    if (c.calls == 0) return;
    out += fmt::format(
        "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls=0,"
        "failed_calls=0\r\n",
        c.full_name, c.calls, c.usec, static_cast<double>(c.usec) / static_cast<double>(c.calls));
  };
  for (const auto& cmd : ctx.server.commands().all()) {
    line(*cmd);
    for (const auto& sub : cmd->subcommands) line(sub);
  }
  return out;
}

std::string InfoEngine(CommandContext& ctx) {
  DbStats s = ctx.server.db().GetStats();
  std::string out = "# Engine\r\n";
  uint64_t files = 0, bytes = 0;
  for (int level = 0; level < 7; ++level) {
    files += s.levels[level].files;
    bytes += s.levels[level].bytes;
    out += fmt::format("level{}:files={},bytes={}\r\n", level, s.levels[level].files,
                       s.levels[level].bytes);
  }
  uint64_t lookups = s.block_cache_hits + s.block_cache_misses;
  // Write amplification: bytes written to SSTs (flushes + compactions) per byte flushed.
  double write_amp = s.bytes_flushed
                         ? static_cast<double>(s.bytes_flushed + s.compaction_bytes_written) /
                               static_cast<double>(s.bytes_flushed)
                         : 0.0;
  out += fmt::format(
      "sst_files:{}\r\nsst_bytes:{}\r\nflushes:{}\r\nbytes_flushed:{}\r\ncompactions:{}\r\n"
      "trivial_moves:{}\r\ntombstone_compactions:{}\r\ncompaction_bytes_read:{}\r\ncompaction_"
      "bytes_written:{}\r\n"
      "write_amplification:{:.2f}\r\nflush_running:{}\r\ncompaction_running:{}\r\n"
      "write_stall:{}\r\nstall_micros:{}\r\nblock_cache_usage:{}\r\nblock_cache_hits:{}\r\n"
      "block_cache_misses:{}\r\nblock_cache_hit_rate:{:.4f}\r\nopen_tables:{}\r\n"
      "pinned_table_bytes:{}\r\nmapped_blocks_evicted:{}\r\ntable_blocks_read:{}\r\n",
      files, bytes, s.flushes, s.bytes_flushed, s.compactions, s.trivial_moves,
      s.tombstone_compactions, s.compaction_bytes_read, s.compaction_bytes_written, write_amp,
      s.flush_running ? 1 : 0, s.compaction_running ? 1 : 0,
      ctx.server.db().GetWriteStall() == WriteStall::kNone       ? "none"
      : ctx.server.db().GetWriteStall() == WriteStall::kSlowdown ? "slowdown"
                                                                 : "stop",
      s.stall_micros, s.block_cache_usage, s.block_cache_hits, s.block_cache_misses,
      lookups ? static_cast<double>(s.block_cache_hits) / lookups : 0.0, s.open_tables,
      s.pinned_table_bytes, s.mapped_blocks_evicted, s.table_blocks_read);
  return out;
}

Result<std::string> InfoKeyspace(CommandContext& ctx) {
  std::string out = "# Keyspace\r\n";
  const types::Keyspace& ks = ctx.server.keyspace();
  for (int db = 0; db < ks.databases(); ++db) {
    const types::KeyCounts& c = ks.counts(db);
    if (c.keys == 0) continue;
    // Redis's avg_ttl: the mean time to live of the keys that have one, in ms.
    int64_t avg_ttl = 0;
    if (c.expires > 0) avg_ttl = static_cast<int64_t>(c.expire_sum_ms / c.expires) - ctx.now_ms;
    out += fmt::format("db{}:keys={},expires={},avg_ttl={}\r\n", db, c.keys, c.expires,
                       std::max<int64_t>(avg_ttl, 0));
  }
  return out;
}

void CmdInfo(CommandContext& ctx) {
  static constexpr std::string_view kDefault[] = {"server",      "clients", "memory",
                                                  "persistence", "stats",   "engine",
                                                  "replication", "cpu",     "keyspace"};
  std::set<std::string> wanted;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string s = ToLower(ctx.args[i]);
    if (s == "all" || s == "default" || s == "everything") {
      wanted.insert(std::begin(kDefault), std::end(kDefault));
      if (s != "default") wanted.insert("commandstats");
    } else {
      wanted.insert(std::move(s));
    }
  }
  if (ctx.args.size() == 1) wanted.insert(std::begin(kDefault), std::end(kDefault));
  std::string out;
  auto section = [&](std::string_view name, auto&& build) {
    if (wanted.count(std::string(name)) == 0) return true;
    if (!out.empty()) out += "\r\n";
    if constexpr (std::is_same_v<decltype(build()), std::string>) {
      out += build();
    } else {
      auto r = build();
      if (!OkOrReply(ctx, r)) return false;
      out += *r;
    }
    return true;
  };
  if (!section("server", [&] { return InfoServer(ctx); }) ||
      !section("clients", [&] { return InfoClients(ctx); }) ||
      !section("memory", [&] { return InfoMemory(ctx); }) ||
      !section("persistence", [&] { return InfoPersistence(ctx); }) ||
      !section("stats", [&] { return InfoStats(ctx); }) ||
      !section("engine", [&] { return InfoEngine(ctx); }) ||
      !section("replication",
               [&] {
                 return std::string(
                     "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
                     "master_failover_state:no-failover\r\nmaster_repl_offset:0\r\n");
               }) ||
      !section("cpu", [&] { return InfoCpu(); }) ||
      !section("commandstats", [&] { return InfoCommandstats(ctx); }) ||
      !section("errorstats", [&] { return InfoErrorstats(ctx); }) ||
      !section("keyspace", [&] { return InfoKeyspace(ctx); })) {
    return;
  }
  ctx.reply.Verbatim(out);
}

// ---- DBSIZE, FLUSHDB, FLUSHALL -------------------------------------------------------

void CmdDbsize(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.keyspace().counts(ctx.client.db).keys);
}

// DEBUG COMPACT: a full compaction, now, on the loop thread (for tests and operators
// reclaiming space at once; compactions otherwise run on the worker pool).
void CmdDebugCompact(CommandContext& ctx) {
  if (!OkOrReply(ctx, ctx.server.db().CompactAll())) return;
  ctx.reply.Ok();
}

// DEBUG SLEEP <seconds>: blocks the server, as Redis's does (for testing timeouts and the
// slow log and latency monitor).
void CmdDebugSleep(CommandContext& ctx) {
  double seconds;
  std::string arg(ctx.args[2]);
  char* end = nullptr;
  seconds = std::strtod(arg.c_str(), &end);
  if (arg.empty() || end != arg.c_str() + arg.size() || !(seconds >= 0) || seconds > 3600) {
    return ErrorReply(ctx, errors::kNotFloat);
  }
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
  ctx.reply.Ok();
}

bool FlushOptionOk(CommandContext& ctx) {
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !EqualsNoCase(ctx.args[1], "async") &&
                              !EqualsNoCase(ctx.args[1], "sync"))) {
    ErrorReply(ctx, errors::kSyntax);
    return false;
  }
  return true;
}

void CmdFlushdb(CommandContext& ctx) {
  if (!FlushOptionOk(ctx)) return;
  ctx.server.keyspace().FlushDb(ctx.client.db);  // O(1): a fresh namespace
  ctx.reply.Ok();
}

void CmdFlushall(CommandContext& ctx) {
  if (!FlushOptionOk(ctx)) return;
  types::Keyspace& ks = ctx.server.keyspace();
  for (int db = 0; db < ks.databases(); ++db) ks.FlushDb(db);
  ctx.reply.Ok();
}

}  // namespace

std::vector<CommandSpec> ServerCommands() {
  const uint32_t kAny = kCmdLoading | kCmdStale;
  return {
      {.name = "command",
       .handler = CmdCommand,
       .arity = -1,
       .flags = kAny,
       .group = "connection",
       .subcommands =
           {
               {.name = "count", .handler = CmdCommandCount, .arity = 2, .flags = kAny},
               {.name = "info", .handler = CmdCommandInfo, .arity = -2, .flags = kAny},
               {.name = "docs", .handler = CmdCommandDocs, .arity = -2, .flags = kAny},
               {.name = "list", .handler = CmdCommandList, .arity = -2, .flags = kAny},
           }},
      {.name = "config",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "get",
                .handler = CmdConfigGet,
                .arity = -3,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "set",
                .handler = CmdConfigSet,
                .arity = -4,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "rewrite",
                .handler = CmdConfigRewrite,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "resetstat",
                .handler = CmdConfigResetstat,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "help", .handler = CmdConfigHelp, .arity = 2, .flags = kAny},
           }},
      {.name = "debug",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "compact",
                .handler = CmdDebugCompact,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript},
               {.name = "sleep",
                .handler = CmdDebugSleep,
                .arity = 3,
                .flags = kCmdAdmin | kCmdNoScript},
           }},
      {.name = "info", .handler = CmdInfo, .arity = -1, .flags = kAny, .group = "server"},
      {.name = "dbsize",
       .handler = CmdDbsize,
       .arity = 1,
       .flags = kCmdReadOnly,
       .group = "server"},
      {.name = "flushdb",
       .handler = CmdFlushdb,
       .arity = -1,
       .flags = kCmdWrite,
       .group = "server"},
      {.name = "flushall",
       .handler = CmdFlushall,
       .arity = -1,
       .flags = kCmdWrite,
       .group = "server"},
  };
}

}  // namespace strata
