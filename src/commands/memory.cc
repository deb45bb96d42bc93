// MEMORY: USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
//
// USAGE counts a key as the engine stores it (types/object_info.h: the metadata key and
// value, and a collection's elements, sampled), not as Redis's in-memory objects: a key may
// live on disk, and what it costs in memory then is the block cache's business.
#include <fmt/format.h>
#include <mimalloc.h>
#include <unistd.h>

#include "commands/registry.h"
#include "commands/memory_figures.h"
#include "commands/util.h"
#include "server/client_registry.h"

namespace strata {
namespace {

void CmdMemoryUsage(CommandContext& ctx) {
  long long samples = 5;  // Redis's default
  if (ctx.args.size() == 5 && EqualsNoCase(ctx.args[3], "samples")) {
    if (!IntegerOrReply(ctx, ctx.args[4], &samples)) return;
    if (samples < 0) return ErrorReply(ctx, errors::kSyntax);
  } else if (ctx.args.size() != 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  types::Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[2], &meta, &found)) return;
  if (!found) return ctx.reply.Null();
  // Exact whatever SAMPLES says: the keyspace keeps every key's bytes (types/encoding.h).
  ctx.reply.Integer(static_cast<long long>(types::KeyCharge(ctx.args[2], meta)));
}

uint64_t KeyCount(CommandContext& ctx) {
  const types::Keyspace& ks = ctx.server.keyspace();
  uint64_t keys = 0;
  for (int db = 0; db < ks.databases(); ++db) keys += ks.counts(db).keys;
  return keys;
}

void CmdMemoryStats(CommandContext& ctx) {
  MemoryFigures f = MeasureMemory(ctx);
  const uint64_t keys = KeyCount(ctx);
  uint64_t overhead = f.allocated > f.dataset ? f.allocated - f.dataset : 0;
  ReplyBuilder& r = ctx.reply;
  const types::Keyspace& ks = ctx.server.keyspace();
  int dbs = 0;
  for (int db = 0; db < ks.databases(); ++db) dbs += ks.counts(db).keys > 0;
  r.MapHeader(27 + static_cast<size_t>(dbs));
  auto integer = [&](std::string_view name, uint64_t v) {
    r.Bulk(name);
    r.Integer(static_cast<long long>(v));
  };
  auto real = [&](std::string_view name, double v) {
    r.Bulk(name);
    r.Double(v);
  };
  integer("peak.allocated", f.peak);
  integer("total.allocated", f.allocated);
  integer("startup.allocated", 0);
  integer("replication.backlog", 0);
  integer("clients.slaves", 0);
  integer("clients.normal", f.clients);
  integer("cluster.links", 0);
  integer("aof.buffer", 0);
  integer("lua.caches", 0);
  integer("functions.caches", 0);
  for (int db = 0; db < ks.databases(); ++db) {
    if (ks.counts(db).keys == 0) continue;
    // Strata keeps no per-key structures in memory: the keys are the engine's.
    r.Bulk(fmt::format("db.{}", db));
    r.MapHeader(3);
    integer("overhead.hashtable.main", 0);
    integer("overhead.hashtable.expires", 0);
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", overhead);
  integer("keys.count", keys);
  integer("keys.bytes-per-key", keys ? f.allocated / keys : 0);
  integer("dataset.bytes", f.dataset);
  real("dataset.percentage", Ratio(f.dataset, f.allocated) * 100);
  real("peak.percentage", Ratio(f.allocated, f.peak) * 100);
  integer("allocator.allocated", f.allocated);
  integer("allocator.active", f.allocated);
  integer("allocator.resident", f.rss);
  real("allocator-fragmentation.ratio", 1.0);
  integer("allocator-fragmentation.bytes", 0);
  real("allocator-rss.ratio", Ratio(f.rss, f.allocated));
  r.Bulk("allocator-rss.bytes");
  r.Integer(static_cast<long long>(f.rss) - static_cast<long long>(f.allocated));
  real("rss-overhead.ratio", 1.0);
  integer("rss-overhead.bytes", 0);
  real("fragmentation", Ratio(f.rss, f.allocated));
  r.Bulk("fragmentation.bytes");
  r.Integer(static_cast<long long>(f.rss) - static_cast<long long>(f.allocated));
}

// A short report: what looks wrong with memory, or that nothing does.
void CmdMemoryDoctor(CommandContext& ctx) {
  MemoryFigures f = MeasureMemory(ctx);
  const Config& config = ctx.server.config();
  std::string report;
  if (f.peak > f.allocated * 3 / 2 && f.peak > (64u << 20)) {
    report += fmt::format(
        " * Peak memory: at some point {:.1f} MB were allocated, {:.0f}% more than now. A burst "
        "of writes (memtables waiting to flush) or of large replies is the usual cause.\n",
        f.peak / 1048576.0, (Ratio(f.peak, f.allocated) - 1) * 100);
  }
  if (f.rss > f.allocated * 3 / 2 && f.rss > (64u << 20)) {
    report += fmt::format(
        " * High RSS: the process holds {:.1f} MB for {:.1f} MB allocated. MEMORY PURGE asks "
        "the allocator to return free pages.\n",
        f.rss / 1048576.0, f.allocated / 1048576.0);
  }
  if (f.clients > (32u << 20)) {
    report += fmt::format(
        " * Client buffers: connected clients hold {:.1f} MB of input and replies (CLIENT LIST "
        "shows which; client-output-buffer-limit bounds them).\n",
        f.clients / 1048576.0);
  }
  DbStats s = ctx.server.db().GetStats();
  if (s.sealed_memtables > 1) {
    report += fmt::format(
        " * Memtables: {} sealed memtables ({:.1f} MB) wait to be flushed; the disk is behind "
        "the write rate.\n",
        s.sealed_memtables, s.sealed_memtable_bytes / 1048576.0);
  }
  if (report.empty()) {
    report = fmt::format(
        "No memory problems found: {:.1f} MB allocated ({:.1f} MB resident), of which the "
        "memtables and the block cache (at most {} bytes) hold {:.1f} MB.\n",
        f.allocated / 1048576.0, f.rss / 1048576.0, config.block_cache_size, f.dataset / 1048576.0);
  } else {
    report = "Memory report:\n\n" + report;
  }
  ctx.reply.Verbatim(report);
}

void CmdMemoryMallocStats(CommandContext& ctx) {
  std::string out;
  mi_stats_print_out(
      [](const char* msg, void* arg) { static_cast<std::string*>(arg)->append(msg); }, &out);
  ctx.reply.Verbatim(out);
}

void CmdMemoryPurge(CommandContext& ctx) {
  mi_collect(true);
  ctx.reply.Ok();
}

void CmdMemoryHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

MemoryFigures MeasureMemory(CommandContext& ctx) {
  size_t elapsed, user, sys, mi_rss, peak_rss, commit, peak_commit, faults;
  mi_process_info(&elapsed, &user, &sys, &mi_rss, &peak_rss, &commit, &peak_commit, &faults);
  MemoryFigures f;
  f.allocated = commit;
  f.peak = std::max(peak_commit, commit);
  size_t pages = 0, resident = 0;
  if (FILE* file = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(file, "%zu %zu", &pages, &resident) != 2) resident = 0;
    std::fclose(file);
  }
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  f.rss = resident * page;
  f.system = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * page;
  DbStats s = ctx.server.db().GetStats();
  f.memtables = s.memtable_bytes + s.sealed_memtable_bytes;
  f.block_cache = s.block_cache_usage;
  f.dataset = ctx.server.keyspace().dataset_bytes();
  ctx.server.clients().ForEach([&](const ClientState&, const ClientBuffers& b) {
    f.clients += b.tot_mem;
    f.max_input = std::max<uint64_t>(f.max_input, b.qbuf + b.qbuf_free);
    f.max_output = std::max<uint64_t>(f.max_output, b.obl + b.omem);
  });
  return f;
}

std::vector<CommandSpec> MemoryCommands() {
  CommandSpec memory{.name = "memory", .arity = -2, .group = "server"};
  memory.subcommands = {
      {.name = "usage",
       .handler = CmdMemoryUsage,
       .arity = -3,
       .flags = kCmdReadOnly | kCmdNoTouch,
       .first_key = 2,
       .last_key = 2,
       .step = 1},
      {.name = "stats", .handler = CmdMemoryStats, .arity = 2, .flags = 0},
      {.name = "doctor", .handler = CmdMemoryDoctor, .arity = 2, .flags = 0},
      {.name = "malloc-stats", .handler = CmdMemoryMallocStats, .arity = 2, .flags = 0},
      {.name = "purge", .handler = CmdMemoryPurge, .arity = 2, .flags = 0},
      {.name = "help", .handler = CmdMemoryHelp, .arity = 2, .flags = kCmdLoading | kCmdStale},
  };
  std::vector<CommandSpec> out;
  out.push_back(std::move(memory));
  return out;
}

}  // namespace strata
