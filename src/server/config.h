// Server configuration: the redis.conf-style file, `--name value` overrides on the command
// line, and CONFIG GET/SET at run time. Option names follow redis.conf where Redis has the
// option; the engine's own options have names of their own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/log.h"
#include "strata/options.h"

namespace strata {

struct Config {
  std::vector<std::string> bind = {"127.0.0.1"};
  int port = 6379;
  int tcp_backlog = 511;
  std::string unixsocket;  // path of a unix socket to listen on too; empty: none
  int unixsocketperm = 0;  // its permissions (octal in the file); 0: left as created
  int maxclients = 10000;
  int databases = 16;
  std::string dir = "./data";
  std::string logfile;  // empty: standard output
  LogLevel loglevel = LogLevel::kNotice;
  WalSyncMode appendfsync = WalSyncMode::kEverySec;
  int64_t proto_max_bulk_len = 512ll << 20;
  int64_t client_query_buffer_limit = 1ll << 30;
  int64_t memtable_size = 64ll << 20;
  int64_t block_cache_size = 256ll << 20;
  bool mmap_reads = true;
  int engine_threads = 2;
  int read_threads = 8;
  int64_t level1_max_bytes = 256ll << 20;
  int64_t target_file_size = 64ll << 20;
  int max_open_files = 1000;
  bool protected_mode = true;
  std::string requirepass;                  // empty: the default user needs no password
  int timeout = 0;                          // seconds a client may stay idle; 0: forever
  int tcp_keepalive = 300;                  // seconds; 0: no keepalive probes
  int64_t slowlog_log_slower_than = 10000;  // microseconds; negative: off, 0: every command
  int slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;  // milliseconds; 0: the latency monitor is off
  int64_t busy_reply_threshold = 5000;    // ms a script runs before the server answers -BUSY
  // client-output-buffer-limit per class (normal, replica, pubsub): a client whose pending
  // replies pass `hard` bytes, or stay above `soft` for `soft_seconds`, is disconnected.
  struct OutputLimit {
    int64_t hard = 0, soft = 0, soft_seconds = 0;
  };
  OutputLimit output_limits[3] = {{}, {256ll << 20, 64ll << 20, 60}, {32ll << 20, 8ll << 20, 60}};
  // Redis's memory and eviction settings (types/eviction.h). maxmemory bounds the data set
  // as the keys count it (Keyspace::dataset_bytes); access tracking keeps at most
  // maxmemory_tracked_keys keys' recency and frequency (types/key_access.h).
  int64_t maxmemory = 0;
  int64_t maxmemory_tracked_keys = 2'000'000;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  // The keyspace event classes, as Redis shows them ("AKE"); empty: none.
  std::string notify_keyspace_events;  // as CONFIG GET shows it
  uint32_t notify_classes = 0;
  int64_t tracking_table_max_keys =
      1'000'000;  // 0: no limit         // what it enables (NotifyClassesOf, server/pubsub.h)
  // A sparse HyperLogLog longer than this becomes dense (types/hyperloglog.h).
  int64_t hll_sparse_max_bytes = 3000;
  // The size thresholds by which OBJECT ENCODING names a value's encoding as Redis would.
  int64_t hash_max_listpack_entries = 512, hash_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128, zset_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int list_max_listpack_size = -2, list_compress_depth = 0;
  // Accepted, shown, and of no effect in Strata (README, "Known differences"): every write is
  // in the log whatever `save` and `appendonly` say, deletes of large values are already lazy,
  // and there are no replicas yet.
  std::string save;
  bool appendonly = true;
  bool lazyfree_lazy_eviction = false, lazyfree_lazy_expire = false,
       lazyfree_lazy_server_del = false, lazyfree_lazy_user_del = false,
       lazyfree_lazy_user_flush = false;
  bool replica_read_only = true, replica_serve_stale_data = true, replica_lazy_flush = false;
  int replica_priority = 100;
  int min_replicas_to_write = 0, min_replicas_max_lag = 10;
  int64_t repl_backlog_size = 1ll << 20;
  int repl_timeout = 60;
  std::string masterauth, masteruser;
  int hz = 10;
  // INFO latencystats: per-command latency histograms, reported at these percentiles.
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50, 99, 99.9};
  // rename-command old new: read at start-up; an empty new name removes the command.
  std::vector<std::pair<std::string, std::string>> renamed_commands;

  std::string config_file;  // absolute path of the file read at start-up, if any
};

// One option: how to read, show and change it.
struct ConfigOption {
  const char* name;
  bool mutable_at_runtime;
  const char* help;
  // Parses and stores the value; returns an error text (Redis's wording), empty on success.
  std::string (*set)(Config&, const std::vector<std::string_view>& values);
  std::string (*get)(const Config&);
  bool list = false;  // the value is several words (bind, client-output-buffer-limit)
  const char* alias = nullptr;  // Redis's older name (slave-read-only, *-ziplist-*)
};

// Every option, in the order of conf/strata.conf.
const std::vector<ConfigOption>& ConfigOptions();
// Case-insensitive lookup, by name or alias; nullptr when unknown.
const ConfigOption* FindConfigOption(std::string_view name);

// Redis parameters that cannot change at run time and that Strata answers with a fixed
// value (daemonize, io-threads, cluster-enabled ...): CONFIG SET refuses them as immutable,
// and a config file may name them (ignored).
struct FixedConfigValue {
  const char* name;
  const char* value;
};
const std::vector<FixedConfigValue>& FixedConfigValues();

// Loads `strata-server [file] [--name value...]`. On a bad file, option or value returns
// false with *error set to one line naming it. Sets *help_or_version when --help or
// --version was asked (the text to print).
bool LoadConfig(int argc, char** argv, Config* config, std::string* error,
                std::string* help_or_version);

// Splits a config line like Redis's sdssplitargs: spaces separate, "double" quotes take
// \n \r \t \b \a \\ \" \xHH escapes, 'single' quotes take \'. False on unbalanced quotes.
bool SplitConfigArgs(std::string_view line, std::vector<std::string>* out);

// CONFIG REWRITE: the config file's text with every option set to its current value, in
// place (comments and order kept); options not in the file and not at their default are
// appended.
std::string RewriteConfigText(const std::string& original, const Config& config);

// "1gb" -> 1073741824, as redis.conf reads sizes (k/m/g = 1000s, kb/mb/gb = 1024s).
bool ParseMemory(std::string_view text, int64_t* out);

}  // namespace strata
