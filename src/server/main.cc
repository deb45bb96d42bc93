// strata-server [/path/to/strata.conf] [--option value ...]
#include <csignal>
#include <cstdio>

#include "commands/registry.h"
#include "scripting/engine.h"
#include "server/command.h"
#include "server/config.h"
#include "server/log.h"
#include "server/server.h"
#include "server/version.h"

int main(int argc, char** argv) {
  using namespace strata;
  std::signal(SIGPIPE, SIG_IGN);

  if (argc == 2 && std::string_view(argv[1]) == "--commands") {  // README's command list
    CommandTable commands;
    RegisterAllCommands(&commands);
    std::fputs(CommandListMarkdown(commands).c_str(), stdout);
    return 0;
  }

  Config config;
  std::string error, text;
  if (!LoadConfig(argc, argv, &config, &error, &text)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (!text.empty()) {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  if (std::string e = SetLogFile(config.logfile); !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  SetLogLevel(config.loglevel);
  Log(LogLevel::kNotice, "Strata {} (redis_version {}) starting, pid={}", kStrataVersion,
      kRedisCompatVersion, getpid());
  Log(LogLevel::kNotice, "Configuration loaded{}",
      config.config_file.empty() ? " (no config file: defaults)" : " from " + config.config_file);

  CommandTable commands;
  RegisterAllCommands(&commands);
  for (const auto& [from, to] : config.renamed_commands) {
    if (!commands.Rename(from, to)) {
      Log(LogLevel::kWarning, "*** FATAL CONFIG ERROR *** No such command in rename-command: '{}'",
          from);
      return 1;
    }
  }

  Options options;
  options.memtable_size = static_cast<size_t>(config.memtable_size);
  options.wal_sync = config.appendfsync;
  options.block_cache_size = static_cast<size_t>(config.block_cache_size);
  options.mmap_reads = config.mmap_reads;
  options.background_threads = config.engine_threads;
  options.read_threads = config.read_threads;
  options.level1_max_bytes = static_cast<uint64_t>(config.level1_max_bytes);
  options.target_file_size = static_cast<uint64_t>(config.target_file_size);
  options.max_open_files = config.max_open_files;
  options.wait_on_stall = false;  // the loop must not block: Server holds clients back instead
  auto live_namespaces = std::make_shared<types::LiveNamespaces>();
  options.compaction_filter = types::LiveNamespaces::Filter(live_namespaces);
  options.info_log = [](const std::string& line) { Log(LogLevel::kWarning, "{}", line); };
  auto db = DB::Open(options, config.dir);
  if (!db.ok()) {
    Log(LogLevel::kWarning, "Fatal: can't open the database in '{}': {}", config.dir,
        db.status().ToString());
    return 1;
  }
  DbStats stats = (*db)->GetStats();
  Log(LogLevel::kNotice, "Database opened in '{}': {} log records replayed, last seqno {}",
      config.dir, stats.recovered_records, stats.last_sequence);

  int rc;
  {
    Server server(std::move(config), std::move(*db), std::move(commands),
                  std::move(live_namespaces));
    server.set_script_host(std::make_unique<scripting::Engine>(&server));
    rc = server.Run();
  }
  Log(LogLevel::kWarning, "Strata is now ready to exit, bye bye...");
  return rc;
}
