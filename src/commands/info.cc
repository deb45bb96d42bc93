// INFO: Redis's sections and fields, as dashboards and exporters read them, with Strata's own
// (the write-ahead log, the engine's levels and caches, cold reads) beside them. A field of
// something Strata does not have (forks, replicas, Lua, Pub/Sub, eviction) is there with the
// value Redis shows when it has none.
#include <fmt/format.h>
#include <mimalloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "commands/memory_figures.h"
#include "commands/registry.h"
#include "commands/util.h"
#include "scripting/engine.h"
#include "scripting/functions.h"
#include "server/client_registry.h"
#include "server/version.h"

namespace strata {
namespace {

// Redis's bytesToHuman: "1023B", "1.50K", "12.34M", "2.00G" ...
std::string Human(uint64_t n) {
  static constexpr const char* kUnits[] = {"K", "M", "G", "T", "P"};
  if (n < 1024) return fmt::format("{}B", n);
  double d = static_cast<double>(n) / 1024;
  size_t u = 0;
  while (d >= 1024 && u + 1 < std::size(kUnits)) {
    d /= 1024;
    ++u;
  }
  return fmt::format("{:.2f}{}", d, kUnits[u]);
}

std::string InfoServer(CommandContext& ctx) {
  struct utsname u;
  uname(&u);
  int64_t uptime = (ctx.now_ms - ctx.server.start_time_ms()) / 1000;
  char exe[4096] = "";
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) exe[n] = '\0';
  const Config& config = ctx.server.config();
  return fmt::format(
      "# Server\r\nredis_version:{}\r\nstrata_version:{}\r\nredis_git_sha1:00000000\r\n"
      "redis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{} {} {}\r\n"
      "arch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\n"
      "atomicvar_api:c11-builtin\r\ngcc_version:{}.{}.{}\r\nprocess_id:{}\r\n"
      "process_supervised:no\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\n"
      "uptime_in_seconds:{}\r\nuptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\n"
      "lru_clock:{}\r\nexecutable:{}\r\nconfig_file:{}\r\nio_threads_active:0\r\n",
      kRedisCompatVersion, kStrataVersion, u.sysname, u.release, u.machine, __GNUC__,
      __GNUC_MINOR__, __GNUC_PATCHLEVEL__, getpid(), ctx.server.run_id(), config.port,
      ctx.now_ms * 1000, uptime, uptime / 86400, config.hz, config.hz,
      (ctx.now_ms / 1000) & ((1 << 24) - 1), exe, config.config_file);
}

std::string InfoClients(CommandContext& ctx) {
  MemoryFigures m = MeasureMemory(ctx);
  return fmt::format(
      "# Clients\r\nconnected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\n"
      "client_recent_max_input_buffer:{}\r\nclient_recent_max_output_buffer:{}\r\n"
      "blocked_clients:{}\r\ntracking_clients:0\r\nclients_in_timeout_table:{}\r\n",
      ctx.server.clients().size(), ctx.server.config().maxclients, m.max_input, m.max_output,
      ctx.server.blocked().count(), ctx.server.blocked().count());
}

// The scripts' part of INFO memory: the two Lua states, the cached scripts' bodies, the
// libraries' code.
std::string InfoScriptMemory(CommandContext& ctx) {
  scripting::Engine& engine = scripting::EngineOf(ctx.server);
  const scripting::Functions& functions = engine.functions();
  uint64_t vm_eval = engine.eval_memory(), vm_functions = functions.memory();
  uint64_t scripts_eval = engine.scripts_bytes(), code = functions.code_bytes();
  return fmt::format(
      "used_memory_lua:{0}\r\nused_memory_vm_eval:{0}\r\nused_memory_lua_human:{1}\r\n"
      "used_memory_scripts_eval:{2}\r\nnumber_of_cached_scripts:{3}\r\n"
      "number_of_functions:{4}\r\nnumber_of_libraries:{5}\r\nused_memory_vm_functions:{6}\r\n"
      "used_memory_vm_total:{7}\r\nused_memory_vm_total_human:{8}\r\n"
      "used_memory_functions:{9}\r\nused_memory_scripts:{10}\r\n"
      "used_memory_scripts_human:{11}\r\n",
      vm_eval, Human(vm_eval), scripts_eval, engine.scripts(), functions.function_count(),
      functions.libraries().size(), vm_functions, vm_eval + vm_functions,
      Human(vm_eval + vm_functions), code, scripts_eval + code, Human(scripts_eval + code));
}

std::string InfoMemory(CommandContext& ctx) {
  MemoryFigures f = MeasureMemory(ctx);
  const uint64_t used = f.allocated, peak = f.peak, rss = f.rss, dataset = f.dataset;
  const uint64_t overhead = used > dataset ? used - dataset : 0;
  const Config& config = ctx.server.config();
  return fmt::format(
      "# Memory\r\nused_memory:{}\r\nused_memory_human:{}\r\nused_memory_rss:{}\r\n"
      "used_memory_rss_human:{}\r\nused_memory_peak:{}\r\nused_memory_peak_human:{}\r\n"
      "used_memory_peak_perc:{:.2f}%\r\nused_memory_overhead:{}\r\nused_memory_startup:0\r\n"
      "used_memory_dataset:{}\r\nused_memory_dataset_perc:{:.2f}%\r\n"
      "allocator_allocated:{}\r\nallocator_active:{}\r\nallocator_resident:{}\r\n"
      "total_system_memory:{}\r\ntotal_system_memory_human:{}\r\n"
      "{}maxmemory:{}\r\nmaxmemory_human:{}\r\n"
      "maxmemory_policy:{}\r\nallocator_frag_ratio:1.00\r\nallocator_frag_bytes:0\r\n"
      "allocator_rss_ratio:{:.2f}\r\nallocator_rss_bytes:{}\r\nrss_overhead_ratio:1.00\r\n"
      "rss_overhead_bytes:0\r\nmem_fragmentation_ratio:{:.2f}\r\nmem_fragmentation_bytes:{}\r\n"
      "mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\n"
      "mem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\nmem_clients_normal:{}\r\n"
      "mem_cluster_links:0\r\nmem_aof_buffer:0\r\nmem_allocator:mimalloc-{}\r\n"
      "active_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n"
      "memtable_bytes:{}\r\nblock_cache_usage:{}\r\naccess_tracked_keys:{}\r\n",
      used, Human(used), rss, Human(rss), peak, Human(peak), Ratio(used, peak) * 100, overhead,
      dataset, Ratio(dataset, config.maxmemory > 0 ? config.maxmemory : used) * 100, used, used,
      rss, f.system, Human(f.system), InfoScriptMemory(ctx), config.maxmemory,
      Human(static_cast<uint64_t>(config.maxmemory)), config.maxmemory_policy, Ratio(rss, used),
      static_cast<int64_t>(rss) - static_cast<int64_t>(used), Ratio(rss, used),
      static_cast<int64_t>(rss) - static_cast<int64_t>(used), f.clients, mi_version(), f.memtables,
      f.block_cache, ctx.server.keyspace().access().size());
}

std::string InfoPersistence(CommandContext& ctx) {
  DbStats s = ctx.server.db().GetStats();
  Status bg = ctx.server.db().BackgroundError();
  const SaveState& save = ctx.server.checkpoints().state();
  std::string fsync = FindConfigOption("appendfsync")->get(ctx.server.config());
  return fmt::format(
      "# Persistence\r\nloading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\n"
      "current_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n"
      "current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n"
      "rdb_changes_since_last_save:0\r\nrdb_bgsave_in_progress:{}\r\nrdb_last_save_time:{}\r\n"
      "rdb_last_bgsave_status:{}\r\nrdb_last_bgsave_time_sec:{}\r\n"
      "rdb_current_bgsave_time_sec:{}\r\nrdb_saves:{}\r\nrdb_last_cow_size:0\r\n"
      "rdb_last_load_keys_expired:0\r\nrdb_last_load_keys_loaded:0\r\ncheckpoint_last_dir:{}\r\n"
      "aof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n"
      "aof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\n"
      "aof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\n"
      "aof_last_write_status:{}\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\n"
      "module_fork_last_cow_size:0\r\nwal_appendfsync:{}\r\nwal_segment:{}\r\n"
      "wal_bytes_written:{}\r\nwal_syncs:{}\r\nwal_last_error:{}\r\nwal_recovered_records:{}\r\n"
      "wal_recovered_torn_bytes:{}\r\nmemtable_bytes:{}\r\nsealed_memtables:{}\r\n"
      "sealed_memtable_bytes:{}\r\nlast_sequence:{}\r\n",
      save.in_progress ? 1 : 0, save.last_save_s, save.last_ok ? "ok" : "err", save.last_duration_s,
      save.in_progress ? (ctx.now_ms - save.started_ms) / 1000 : -1, save.saves, save.last_dir,
      bg.ok() ? "ok" : "err", fsync, s.wal_segment, s.wal_bytes_written, s.wal_syncs,
      bg.ok() ? "" : bg.ToString(), s.recovered_records, s.recovered_torn_bytes, s.memtable_bytes,
      s.sealed_memtables, s.sealed_memtable_bytes, s.last_sequence);
}

std::string InfoStats(CommandContext& ctx) {
  ServerStats& s = ctx.server.stats();
  s.expired_keys += ctx.server.keyspace().TakeLazyExpired();
  const PubSub& pubsub = ctx.server.pubsub();
  const Tracking& tracking = ctx.server.tracking();
  return fmt::format(
      "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\n"
      "instantaneous_ops_per_sec:{}\r\ntotal_net_input_bytes:{}\r\ntotal_net_output_bytes:{}\r\n"
      "total_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\n"
      "instantaneous_input_kbps:{:.2f}\r\ninstantaneous_output_kbps:{:.2f}\r\n"
      "instantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\n"
      "rejected_connections:{}\r\nsync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\n"
      "expired_keys:{}\r\nexpired_stale_perc:0.00\r\nexpired_time_cap_reached_count:0\r\n"
      "expire_cycle_cpu_milliseconds:0\r\nevicted_keys:{}\r\nevicted_clients:0\r\n"
      "total_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n"
      "keyspace_hits:{}\r\nkeyspace_misses:{}\r\npubsub_channels:{}\r\npubsub_patterns:{}\r\n"
      "pubsubshard_channels:{}\r\nlatest_fork_usec:0\r\ntotal_forks:0\r\n"
      "migrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\n"
      "active_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\n"
      "total_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\n"
      "tracking_total_keys:{}\r\ntracking_total_items:{}\r\ntracking_total_prefixes:{}\r\n"
      "unexpected_error_replies:0\r\ntotal_error_replies:{}\r\ndump_payload_sanitizations:0\r\n"
      "total_reads_processed:{}\r\ntotal_writes_processed:{}\r\n"
      "io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\n"
      "reply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\ncold_reads_parked:{}\r\n"
      "cold_reads_parked_total:{}\r\ncold_reads_check_resident:{}\r\n",
      s.total_connections_received, s.total_commands_processed,
      static_cast<uint64_t>(s.ops_per_sec.PerSecond() + 0.5), s.total_net_input_bytes,
      s.total_net_output_bytes, s.input_bytes_per_sec.PerSecond() / 1024,
      s.output_bytes_per_sec.PerSecond() / 1024, s.rejected_connections, s.expired_keys,
      s.evicted_keys, s.keyspace_hits, s.keyspace_misses, pubsub.channels(), pubsub.patterns(),
      pubsub.shard_channels(), tracking.total_keys(), tracking.total_items(),
      tracking.total_prefixes(), s.total_error_replies, s.total_reads_processed,
      s.total_writes_processed, ctx.server.cold_reads().parked(),
      ctx.server.cold_reads().parked_total(), ctx.server.cold_reads().checking_residency() ? 1 : 0);
}

std::string InfoReplication(CommandContext& ctx) {
  return fmt::format(
      "# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\n"
      "master_replid:{}\r\nmaster_replid2:0000000000000000000000000000000000000000\r\n"
      "master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n"
      "repl_backlog_size:{}\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n",
      ctx.server.run_id(), ctx.server.config().repl_backlog_size);
}

std::string InfoCpu() {
  struct rusage self, children, thread;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);  // the loop thread: INFO runs on it
  auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return fmt::format(
      "# CPU\r\nused_cpu_sys:{:.6f}\r\nused_cpu_user:{:.6f}\r\nused_cpu_sys_children:{:.6f}\r\n"
      "used_cpu_user_children:{:.6f}\r\nused_cpu_sys_main_thread:{:.6f}\r\n"
      "used_cpu_user_main_thread:{:.6f}\r\n",
      secs(self.ru_stime), secs(self.ru_utime), secs(children.ru_stime), secs(children.ru_utime),
      secs(thread.ru_stime), secs(thread.ru_utime));
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
    if (c.calls == 0 && c.rejected_calls == 0 && c.failed_calls == 0) return;
    out += fmt::format(
        "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}\r\n",
        c.full_name, c.calls, c.usec, c.calls ? static_cast<double>(c.usec) / c.calls : 0.0,
        c.rejected_calls, c.failed_calls);
  };
  for (const auto& cmd : ctx.server.commands().all()) {
    line(*cmd);
    for (const auto& sub : cmd->subcommands) line(sub);
  }
  return out;
}

// latency_percentiles_usec_<command>:p50=...,p99=...,p99.9=... for the commands that ran.
std::string InfoLatencystats(CommandContext& ctx) {
  std::string out = "# Latencystats\r\n";
  const auto& percentiles = ctx.server.config().latency_tracking_info_percentiles;
  auto line = [&](const CommandSpec& c) {
    if (c.latency.count() == 0) return;
    out += fmt::format("latency_percentiles_usec_{}:", c.full_name);
    for (size_t i = 0; i < percentiles.size(); ++i) {
      out += fmt::format("{}p{}={:.3f}", i ? "," : "", percentiles[i],
                         c.latency.Percentile(percentiles[i]));
    }
    out += "\r\n";
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
  double write_amp = Ratio(s.bytes_flushed + s.compaction_bytes_written, s.bytes_flushed);
  WriteStall stall = ctx.server.db().GetWriteStall();
  out += fmt::format(
      "sst_files:{}\r\nsst_bytes:{}\r\nflushes:{}\r\nbytes_flushed:{}\r\ncompactions:{}\r\n"
      "trivial_moves:{}\r\ntombstone_compactions:{}\r\ncompaction_bytes_read:{}\r\n"
      "compaction_bytes_written:{}\r\nwrite_amplification:{:.2f}\r\nflush_running:{}\r\n"
      "compaction_running:{}\r\nwrite_stall:{}\r\nstall_micros:{}\r\nblock_cache_usage:{}\r\n"
      "block_cache_hits:{}\r\nblock_cache_misses:{}\r\nblock_cache_hit_rate:{:.4f}\r\n"
      "open_tables:{}\r\npinned_table_bytes:{}\r\nmapped_blocks_evicted:{}\r\n"
      "table_blocks_read:{}\r\n",
      files, bytes, s.flushes, s.bytes_flushed, s.compactions, s.trivial_moves,
      s.tombstone_compactions, s.compaction_bytes_read, s.compaction_bytes_written, write_amp,
      s.flush_running ? 1 : 0, s.compaction_running ? 1 : 0,
      stall == WriteStall::kNone       ? "none"
      : stall == WriteStall::kSlowdown ? "slowdown"
                                       : "stop",
      s.stall_micros, s.block_cache_usage, s.block_cache_hits, s.block_cache_misses,
      Ratio(s.block_cache_hits, lookups), s.open_tables, s.pinned_table_bytes,
      s.mapped_blocks_evicted, s.table_blocks_read);
  return out;
}

std::string InfoKeyspace(CommandContext& ctx) {
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
  // In Redis's order; "engine" is Strata's own.
  using Build = std::string (*)(CommandContext&);
  static constexpr std::pair<std::string_view, Build> kSections[] = {
      {"server", InfoServer},
      {"clients", InfoClients},
      {"memory", InfoMemory},
      {"persistence", InfoPersistence},
      {"stats", InfoStats},
      {"replication", InfoReplication},
      {"cpu", [](CommandContext&) { return InfoCpu(); }},
      {"modules", [](CommandContext&) { return std::string("# Modules\r\n"); }},
      {"engine", InfoEngine},
      {"commandstats", InfoCommandstats},
      {"latencystats", InfoLatencystats},
      {"errorstats", InfoErrorstats},
      {"cluster",
       [](CommandContext&) { return std::string("# Cluster\r\ncluster_enabled:0\r\n"); }},
      {"keyspace", InfoKeyspace},
  };
  std::set<std::string> wanted;
  auto add_default = [&] {
    for (const auto& [name, build] : kSections) {
      if (name != "commandstats" && name != "latencystats") wanted.insert(std::string(name));
    }
  };
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string s = ToLower(ctx.args[i]);
    if (s == "all" || s == "default" || s == "everything") {
      add_default();
      if (s != "default") wanted.insert({"commandstats", "latencystats"});
    } else {
      wanted.insert(std::move(s));
    }
  }
  if (ctx.args.size() == 1) add_default();
  std::string out;
  for (const auto& [name, build] : kSections) {
    if (wanted.count(std::string(name)) == 0) continue;
    if (!out.empty()) out += "\r\n";
    out += build(ctx);
  }
  ctx.reply.Verbatim(out);
}

}  // namespace

std::vector<CommandSpec> InfoCommands() {
  return {{.name = "info",
           .handler = CmdInfo,
           .arity = -1,
           .flags = kCmdLoading | kCmdStale,
           .group = "server"}};
}

}  // namespace strata
