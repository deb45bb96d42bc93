// The table of configuration options: how each is parsed, shown and changed (config.h).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <climits>

#include "server/config.h"
#include "server/pubsub.h"
#include "util/text.h"

namespace strata {
namespace {

std::string ExpectOne(const std::vector<std::string_view>& v) {
  return v.size() == 1 ? "" : "wrong number of arguments";
}

template <int Config::*Field, int Min, int Max>
std::string SetInt(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  int value;
  auto [p, ec] = std::from_chars(v[0].data(), v[0].data() + v[0].size(), value);
  if (ec != std::errc() || p != v[0].data() + v[0].size()) {
    return "argument couldn't be parsed into an integer";
  }
  if (value < Min || value > Max) {
    return fmt::format("argument must be between {} and {} inclusive", Min, Max);
  }
  c.*Field = value;
  return {};
}

template <int Config::*Field>
std::string GetInt(const Config& c) {
  return std::to_string(c.*Field);
}

template <int64_t Config::*Field, int64_t Min>
std::string SetInt64(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  long long n;
  if (!ParseLongLong(v[0], &n)) return "argument couldn't be parsed into an integer";
  if (n < Min) return fmt::format("argument must be between {} and {} inclusive", Min, INT64_MAX);
  c.*Field = n;
  return {};
}

template <int64_t Config::*Field>
std::string GetInt64(const Config& c) {
  return std::to_string(c.*Field);
}

template <int64_t Config::*Field, int64_t Min>
std::string SetMemory(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  int64_t value;
  if (!ParseMemory(v[0], &value)) return "argument must be a memory value";
  if (value < Min) return fmt::format("argument must be a memory value of at least {}", Min);
  c.*Field = value;
  return {};
}

template <int64_t Config::*Field>
std::string GetMemory(const Config& c) {
  return std::to_string(c.*Field);
}

template <std::string Config::*Field>
std::string SetString(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  c.*Field = std::string(v[0]);
  return {};
}

template <std::string Config::*Field>
std::string GetString(const Config& c) {
  return c.*Field;
}

std::string SetBind(Config& c, const std::vector<std::string_view>& v) {
  if (v.empty()) return "wrong number of arguments";
  c.bind.assign(v.begin(), v.end());
  return {};
}
std::string GetBind(const Config& c) {
  std::string out;
  for (const auto& b : c.bind) out += (out.empty() ? "" : " ") + b;
  return out;
}

std::string SetLoglevel(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  if (!ParseLogLevel(v[0], &c.loglevel))
    return "argument(s) must be one of the following: debug, verbose, notice, warning";
  return {};
}
std::string GetLoglevel(const Config& c) { return std::string(LogLevelName(c.loglevel)); }

std::string SetAppendfsync(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  if (EqualsNoCase(v[0], "always")) {
    c.appendfsync = WalSyncMode::kAlways;
  } else if (EqualsNoCase(v[0], "everysec")) {
    c.appendfsync = WalSyncMode::kEverySec;
  } else if (EqualsNoCase(v[0], "no")) {
    c.appendfsync = WalSyncMode::kNo;
  } else {
    return "argument(s) must be one of the following: always, everysec, no";
  }
  return {};
}
std::string GetAppendfsync(const Config& c) {
  switch (c.appendfsync) {
    case WalSyncMode::kAlways:
      return "always";
    case WalSyncMode::kEverySec:
      return "everysec";
    case WalSyncMode::kNo:
      return "no";
  }
  return "everysec";
}

std::string SetYesNo(bool* out, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  if (EqualsNoCase(v[0], "yes")) {
    *out = true;
  } else if (EqualsNoCase(v[0], "no")) {
    *out = false;
  } else {
    return "argument must be 'yes' or 'no'";
  }
  return {};
}

template <bool Config::*Field>
std::string SetBool(Config& c, const std::vector<std::string_view>& v) {
  return SetYesNo(&(c.*Field), v);
}

template <bool Config::*Field>
std::string GetBool(const Config& c) {
  return c.*Field ? "yes" : "no";
}

// One of a fixed list of words, stored lower case.
template <std::string Config::*Field, const char* const* Choices, size_t N>
std::string SetChoice(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  for (size_t i = 0; i < N; ++i) {
    if (EqualsNoCase(v[0], Choices[i])) {
      c.*Field = Choices[i];
      return {};
    }
  }
  std::string list;
  for (size_t i = 0; i < N; ++i) list += fmt::format("{}{}", i ? ", " : "", Choices[i]);
  return "argument(s) must be one of the following: " + list;
}

constexpr const char* kPolicies[] = {"volatile-lru",   "volatile-lfu", "volatile-random",
                                     "volatile-ttl",   "allkeys-lru",  "allkeys-lfu",
                                     "allkeys-random", "noeviction"};

// notify-keyspace-events: Redis's class letters, shown in Redis's order ("KEA" is "AKE").
// Like Redis 7.0, "A" stands for g$lshzxetd; n (new keys) and m (key misses) stand alone.
std::string SetKeyspaceEvents(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  static constexpr std::string_view kClasses = "g$lshzxetd";
  std::string set;
  for (char ch : v[0]) {
    if (ch == 'A') {
      set += kClasses;
    } else if (std::string_view("g$lshzxetdnKEm").find(ch) != std::string_view::npos) {
      set += ch;
    } else {
      return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    }
  }
  auto has = [&](char ch) { return set.find(ch) != std::string::npos; };
  std::string out;
  if (std::all_of(kClasses.begin(), kClasses.end(), has)) {
    out = "A";
  } else {
    for (char ch : std::string_view("g$lshzxetdn")) {
      if (has(ch)) out += ch;
    }
  }
  for (char ch : std::string_view("KEm")) {
    if (has(ch)) out += ch;
  }
  c.notify_keyspace_events = out;
  c.notify_classes = NotifyClassesOf(v[0]);
  return {};
}

// save "<seconds> <changes> ...": pairs of integers, or "" for none.
std::string SetSave(Config& c, const std::vector<std::string_view>& v) {
  std::vector<std::string> words;
  for (std::string_view arg : v) {
    std::vector<std::string> split;
    if (!SplitConfigArgs(arg, &split)) return "Invalid save parameters";
    words.insert(words.end(), split.begin(), split.end());
  }
  if (words.size() % 2 != 0) return "Invalid save parameters";
  std::string out;
  for (const std::string& w : words) {
    long long n;
    if (!ParseLongLong(w, &n) || n < 0) return "Invalid save parameters";
    out += (out.empty() ? "" : " ") + w;
  }
  c.save = out;
  return {};
}

// "50 99 99.9": percentiles between 0 and 100; "" for none.
std::string SetPercentiles(Config& c, const std::vector<std::string_view>& v) {
  std::vector<std::string> words;
  for (std::string_view arg : v) {
    std::vector<std::string> split;
    if (!SplitConfigArgs(arg, &split))
      return "Invalid latency-tracking-info-percentiles parameters";
    words.insert(words.end(), split.begin(), split.end());
  }
  std::vector<double> out;
  for (const std::string& w : words) {
    double d;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), d);
    if (ec != std::errc() || p != w.data() + w.size()) {
      return "Invalid latency-tracking-info-percentiles parameters";
    }
    if (d < 0 || d > 100) {
      return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
    }
    out.push_back(d);
  }
  c.latency_tracking_info_percentiles = std::move(out);
  return {};
}
std::string GetPercentiles(const Config& c) {
  std::string out;
  for (double d : c.latency_tracking_info_percentiles) {
    out += fmt::format("{}{}", out.empty() ? "" : " ", d);
  }
  return out;
}

std::string SetProtectedMode(Config& c, const std::vector<std::string_view>& v) {
  return SetYesNo(&c.protected_mode, v);
}
std::string GetProtectedMode(const Config& c) { return c.protected_mode ? "yes" : "no"; }

std::string SetMmapReads(Config& c, const std::vector<std::string_view>& v) {
  return SetYesNo(&c.mmap_reads, v);
}
std::string GetMmapReads(const Config& c) { return c.mmap_reads ? "yes" : "no"; }

std::string SetUnixSocketPerm(Config& c, const std::vector<std::string_view>& v) {
  if (auto e = ExpectOne(v); !e.empty()) return e;
  int perm;
  auto [p, ec] = std::from_chars(v[0].data(), v[0].data() + v[0].size(), perm, 8);
  if (ec != std::errc() || p != v[0].data() + v[0].size() || perm < 0 || perm > 0777) {
    return "argument must be an octal number between 0 and 777";
  }
  c.unixsocketperm = perm;
  return {};
}
std::string GetUnixSocketPerm(const Config& c) { return fmt::format("{:o}", c.unixsocketperm); }

constexpr const char* kOutputClasses[] = {"normal", "replica", "pubsub"};

// "<class> <hard> <soft> <soft seconds>" repeated; one argument holding them all (CONFIG SET)
// or one word each (the file).
std::string SetOutputLimits(Config& c, const std::vector<std::string_view>& v) {
  std::vector<std::string> words;
  for (std::string_view arg : v) {
    std::vector<std::string> split;
    if (!SplitConfigArgs(arg, &split))
      return "Wrong number of arguments in buffer limit configuration.";
    words.insert(words.end(), split.begin(), split.end());
  }
  if (words.empty() || words.size() % 4 != 0) {
    return "Wrong number of arguments in buffer limit configuration.";
  }
  Config::OutputLimit limits[3];
  std::copy(std::begin(c.output_limits), std::end(c.output_limits), limits);
  for (size_t i = 0; i < words.size(); i += 4) {
    int cls = -1;
    for (int k = 0; k < 3; ++k) {
      if (EqualsNoCase(words[i], kOutputClasses[k])) cls = k;
    }
    if (EqualsNoCase(words[i], "slave")) cls = 1;
    long long seconds;
    Config::OutputLimit l;
    if (cls < 0) return "Invalid client class specified in buffer limit configuration.";
    if (!ParseMemory(words[i + 1], &l.hard) || !ParseMemory(words[i + 2], &l.soft) ||
        !ParseLongLong(words[i + 3], &seconds) || seconds < 0) {
      return "Invalid argument in buffer limit configuration.";
    }
    l.soft_seconds = seconds;
    limits[cls] = l;
  }
  std::copy(std::begin(limits), std::end(limits), c.output_limits);
  return {};
}
std::string GetOutputLimits(const Config& c) {
  std::string out;
  for (int k = 0; k < 3; ++k) {
    const auto& l = c.output_limits[k];
    // Redis shows the replica class under its old name.
    out += fmt::format("{}{} {} {} {}", k ? " " : "", k == 1 ? "slave" : kOutputClasses[k], l.hard,
                       l.soft, l.soft_seconds);
  }
  return out;
}

std::string SetRenameCommand(Config& c, const std::vector<std::string_view>& v) {
  if (v.size() != 2) return "wrong number of arguments";
  c.renamed_commands.emplace_back(ToLower(v[0]), ToLower(v[1]));
  return {};
}
std::string GetRenameCommand(const Config&) { return {}; }  // not shown, as in Redis

const std::vector<ConfigOption> kOptions = {
    {"bind", true, "addresses to listen on, separated by spaces", SetBind, GetBind, true},
    {"port", true, "TCP port", SetInt<&Config::port, 0, 65535>, GetInt<&Config::port>},
    {"tcp-backlog", false, "listen(2) backlog", SetInt<&Config::tcp_backlog, 1, INT_MAX>,
     GetInt<&Config::tcp_backlog>},
    {"unixsocket", false, "path of a unix socket to listen on as well; empty: none",
     SetString<&Config::unixsocket>, GetString<&Config::unixsocket>},
    {"unixsocketperm", false, "permissions of the unix socket, in octal (e.g. 700)",
     SetUnixSocketPerm, GetUnixSocketPerm},
    {"protected-mode", true,
     "yes: with no requirepass, only loopback and unix-socket clients are served", SetProtectedMode,
     GetProtectedMode},
    {"tcp-keepalive", true, "seconds between TCP keepalive probes of clients; 0: none",
     SetInt<&Config::tcp_keepalive, 0, INT_MAX>, GetInt<&Config::tcp_keepalive>},
    {"timeout", true, "close a client after this many idle seconds; 0: never",
     SetInt<&Config::timeout, 0, INT_MAX>, GetInt<&Config::timeout>},
    {"maxclients", true, "maximum number of connected clients",
     SetInt<&Config::maxclients, 1, INT_MAX>, GetInt<&Config::maxclients>},
    {"databases", false, "number of databases (SELECT 0..N-1)", SetInt<&Config::databases, 1, 256>,
     GetInt<&Config::databases>},
    {"dir", false, "data directory (created if missing)", SetString<&Config::dir>,
     GetString<&Config::dir>},
    {"logfile", false, "log file; empty logs to standard output", SetString<&Config::logfile>,
     GetString<&Config::logfile>},
    {"loglevel", true, "debug, verbose, notice or warning", SetLoglevel, GetLoglevel},
    {"appendfsync", true, "always, everysec or no: when the write-ahead log is fsynced",
     SetAppendfsync, GetAppendfsync},
    {"proto-max-bulk-len", true, "largest bulk string a client may send",
     SetMemory<&Config::proto_max_bulk_len, 1024 * 1024>, GetMemory<&Config::proto_max_bulk_len>},
    {"client-query-buffer-limit", true, "largest unparsed input buffered for one client",
     SetMemory<&Config::client_query_buffer_limit, 1024 * 1024>,
     GetMemory<&Config::client_query_buffer_limit>},
    {"memtable-size", false, "bytes of writes buffered in memory before the memtable is sealed",
     SetMemory<&Config::memtable_size, 64 * 1024>, GetMemory<&Config::memtable_size>},
    {"block-cache-size", false, "bytes of SST data blocks cached in memory (LRU)",
     SetMemory<&Config::block_cache_size, 0>, GetMemory<&Config::block_cache_size>},
    {"mmap-reads", false,
     "yes: read SST blocks through a mapping (page cache); no: pread into the block cache",
     SetMmapReads, GetMmapReads},
    {"engine-threads", false, "threads that flush memtables and run compactions",
     SetInt<&Config::engine_threads, 1, 64>, GetInt<&Config::engine_threads>},
    {"read-threads", false, "threads that read cold blocks while their clients are parked",
     SetInt<&Config::read_threads, 1, 256>, GetInt<&Config::read_threads>},
    {"level1-max-bytes", false, "target size of level 1; each deeper level is 10x larger",
     SetMemory<&Config::level1_max_bytes, 1024 * 1024>, GetMemory<&Config::level1_max_bytes>},
    {"target-file-size", false, "size at which compaction output files are split",
     SetMemory<&Config::target_file_size, 64 * 1024>, GetMemory<&Config::target_file_size>},
    {"max-open-files", false, "SST files kept open at once",
     SetInt<&Config::max_open_files, 16, 1000000>, GetInt<&Config::max_open_files>},
    {"requirepass", true, "password of the default user; empty: none",
     SetString<&Config::requirepass>, GetString<&Config::requirepass>},
    {"rename-command", false, "rename-command NAME NEW-NAME (\"\" removes the command)",
     SetRenameCommand, GetRenameCommand},
    {"client-output-buffer-limit", true,
     "<class> <hard> <soft> <seconds>: disconnect clients whose replies pile up", SetOutputLimits,
     GetOutputLimits, true},
    {"slowlog-log-slower-than", true, "log commands slower than this many microseconds",
     SetInt64<&Config::slowlog_log_slower_than, -1>, GetInt64<&Config::slowlog_log_slower_than>},
    {"slowlog-max-len", true, "entries kept in the slow log",
     SetInt<&Config::slowlog_max_len, 0, INT_MAX>, GetInt<&Config::slowlog_max_len>},
    {"latency-monitor-threshold", true, "record events slower than this many ms; 0: off",
     SetInt64<&Config::latency_monitor_threshold, 0>, GetInt64<&Config::latency_monitor_threshold>},
    {"busy-reply-threshold", true,
     "ms a script runs before other clients get -BUSY and SCRIPT KILL works",
     SetInt64<&Config::busy_reply_threshold, 0>, GetInt64<&Config::busy_reply_threshold>, false,
     "lua-time-limit"},
    // Redis's own parameters, for the clients and operators that set them (config.h says
    // which have an effect).
    {"maxmemory", true, "data set limit (the keys' bytes, as MEMORY USAGE counts them)",
     SetMemory<&Config::maxmemory, 0>, GetMemory<&Config::maxmemory>},
    {"maxmemory-policy", true, "what goes past maxmemory; OBJECT FREQ needs an LFU one",
     SetChoice<&Config::maxmemory_policy, kPolicies, std::size(kPolicies)>,
     GetString<&Config::maxmemory_policy>},
    {"maxmemory-samples", true, "keys sampled per eviction (sampled policies)",
     SetInt<&Config::maxmemory_samples, 1, INT_MAX>, GetInt<&Config::maxmemory_samples>},
    {"maxmemory-eviction-tenacity", true, "eviction time per command, 0-100 (100: no limit)",
     SetInt<&Config::maxmemory_eviction_tenacity, 0, 100>,
     GetInt<&Config::maxmemory_eviction_tenacity>},
    {"maxmemory-tracked-keys", true, "keys whose recency and LFU counter are kept (~120 B each)",
     SetInt64<&Config::maxmemory_tracked_keys, 1>, GetInt64<&Config::maxmemory_tracked_keys>},
    {"lfu-log-factor", true, "LFU counter growth", SetInt<&Config::lfu_log_factor, 0, INT_MAX>,
     GetInt<&Config::lfu_log_factor>},
    {"lfu-decay-time", true, "LFU counter decay, minutes",
     SetInt<&Config::lfu_decay_time, 0, INT_MAX>, GetInt<&Config::lfu_decay_time>},
    {"notify-keyspace-events", true,
     "keyspace event classes sent as Pub/Sub messages (K E g $ l s h z x e t m d n A)",
     SetKeyspaceEvents, GetString<&Config::notify_keyspace_events>},
    {"tracking-table-max-keys", true,
     "client-side caching: most keys remembered for invalidation (0: no limit)",
     SetInt64<&Config::tracking_table_max_keys, 0>, GetInt64<&Config::tracking_table_max_keys>},
    {"hll-sparse-max-bytes", true, "a sparse HyperLogLog longer than this becomes dense",
     SetMemory<&Config::hll_sparse_max_bytes, 0>, GetMemory<&Config::hll_sparse_max_bytes>},
    {"hash-max-listpack-entries", true, "OBJECT ENCODING: largest listpack hash, in fields",
     SetInt64<&Config::hash_max_listpack_entries, 0>, GetInt64<&Config::hash_max_listpack_entries>,
     false, "hash-max-ziplist-entries"},
    {"hash-max-listpack-value", true, "OBJECT ENCODING: longest field or value of a listpack hash",
     SetInt64<&Config::hash_max_listpack_value, 0>, GetInt64<&Config::hash_max_listpack_value>,
     false, "hash-max-ziplist-value"},
    {"zset-max-listpack-entries", true, "OBJECT ENCODING: largest listpack sorted set",
     SetInt64<&Config::zset_max_listpack_entries, 0>, GetInt64<&Config::zset_max_listpack_entries>,
     false, "zset-max-ziplist-entries"},
    {"zset-max-listpack-value", true, "OBJECT ENCODING: longest member of a listpack sorted set",
     SetInt64<&Config::zset_max_listpack_value, 0>, GetInt64<&Config::zset_max_listpack_value>,
     false, "zset-max-ziplist-value"},
    {"set-max-intset-entries", true, "OBJECT ENCODING: largest intset",
     SetInt64<&Config::set_max_intset_entries, 0>, GetInt64<&Config::set_max_intset_entries>},
    {"list-max-listpack-size", true, "OBJECT ENCODING: largest listpack list (negative: KiB class)",
     SetInt<&Config::list_max_listpack_size, INT_MIN, INT_MAX>,
     GetInt<&Config::list_max_listpack_size>, false, "list-max-ziplist-size"},
    {"list-compress-depth", true, "quicklist compression depth (kept)",
     SetInt<&Config::list_compress_depth, 0, INT_MAX>, GetInt<&Config::list_compress_depth>},
    {"save", true, "RDB snapshot rules (kept; every write is in the log)", SetSave,
     GetString<&Config::save>, true},
    {"appendonly", true, "kept; the write-ahead log is always on", SetBool<&Config::appendonly>,
     GetBool<&Config::appendonly>},
    {"lazyfree-lazy-eviction", true, "kept; large deletes are always lazy",
     SetBool<&Config::lazyfree_lazy_eviction>, GetBool<&Config::lazyfree_lazy_eviction>},
    {"lazyfree-lazy-expire", true, "kept; large deletes are always lazy",
     SetBool<&Config::lazyfree_lazy_expire>, GetBool<&Config::lazyfree_lazy_expire>},
    {"lazyfree-lazy-server-del", true, "kept; large deletes are always lazy",
     SetBool<&Config::lazyfree_lazy_server_del>, GetBool<&Config::lazyfree_lazy_server_del>},
    {"lazyfree-lazy-user-del", true, "kept; large deletes are always lazy",
     SetBool<&Config::lazyfree_lazy_user_del>, GetBool<&Config::lazyfree_lazy_user_del>},
    {"lazyfree-lazy-user-flush", true, "kept; large deletes are always lazy",
     SetBool<&Config::lazyfree_lazy_user_flush>, GetBool<&Config::lazyfree_lazy_user_flush>},
    {"replica-read-only", true, "kept (no replication yet)", SetBool<&Config::replica_read_only>,
     GetBool<&Config::replica_read_only>, false, "slave-read-only"},
    {"replica-serve-stale-data", true, "kept (no replication yet)",
     SetBool<&Config::replica_serve_stale_data>, GetBool<&Config::replica_serve_stale_data>, false,
     "slave-serve-stale-data"},
    {"replica-lazy-flush", true, "kept (no replication yet)", SetBool<&Config::replica_lazy_flush>,
     GetBool<&Config::replica_lazy_flush>, false, "slave-lazy-flush"},
    {"replica-priority", true, "kept (no replication yet)",
     SetInt<&Config::replica_priority, 0, INT_MAX>, GetInt<&Config::replica_priority>, false,
     "slave-priority"},
    {"min-replicas-to-write", true, "kept (no replication yet)",
     SetInt<&Config::min_replicas_to_write, 0, INT_MAX>, GetInt<&Config::min_replicas_to_write>,
     false, "min-slaves-to-write"},
    {"min-replicas-max-lag", true, "kept (no replication yet)",
     SetInt<&Config::min_replicas_max_lag, 0, INT_MAX>, GetInt<&Config::min_replicas_max_lag>,
     false, "min-slaves-max-lag"},
    {"repl-backlog-size", true, "kept (no replication yet)",
     SetMemory<&Config::repl_backlog_size, 1>, GetMemory<&Config::repl_backlog_size>},
    {"repl-timeout", true, "kept (no replication yet)", SetInt<&Config::repl_timeout, 1, INT_MAX>,
     GetInt<&Config::repl_timeout>},
    {"masterauth", true, "kept (no replication yet)", SetString<&Config::masterauth>,
     GetString<&Config::masterauth>},
    {"masteruser", true, "kept (no replication yet)", SetString<&Config::masteruser>,
     GetString<&Config::masteruser>},
    {"hz", true, "kept; the cron runs every 100 ms", SetInt<&Config::hz, 1, 500>,
     GetInt<&Config::hz>},
    {"latency-tracking", true, "yes: keep per-command latency histograms (INFO latencystats)",
     SetBool<&Config::latency_tracking>, GetBool<&Config::latency_tracking>},
    {"latency-tracking-info-percentiles", true, "the percentiles INFO latencystats shows",
     SetPercentiles, GetPercentiles, true},
};

const std::vector<FixedConfigValue> kFixed = {
    {"daemonize", "no"},
    {"supervised", "no"},
    {"io-threads", "1"},
    {"cluster-enabled", "no"},
    {"pidfile", ""},
    {"appendfilename", "appendonly.aof"},
    {"appenddirname", "appendonlydir"},
};

}  // namespace

const std::vector<ConfigOption>& ConfigOptions() { return kOptions; }
const std::vector<FixedConfigValue>& FixedConfigValues() { return kFixed; }

const ConfigOption* FindConfigOption(std::string_view name) {
  for (const auto& o : kOptions) {
    if (EqualsNoCase(name, o.name) || (o.alias != nullptr && EqualsNoCase(name, o.alias))) {
      return &o;
    }
  }
  return nullptr;
}

}  // namespace strata
