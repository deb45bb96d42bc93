#include "server/config.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/text.h"
#include "server/version.h"

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
    {"bind", false, "addresses to listen on, separated by spaces", SetBind, GetBind, true},
    {"port", false, "TCP port", SetInt<&Config::port, 0, 65535>, GetInt<&Config::port>},
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
};

const std::vector<FixedConfigValue> kFixed = {{"save", ""}, {"appendonly", "yes"}};

std::string HelpText() {
  std::string out = fmt::format(
      "Usage: strata-server [/path/to/strata.conf] [--option value ...]\n"
      "       strata-server --version\n\n"
      "Options (in the file as `name value`, on the command line as `--name value`):\n");
  for (const auto& o : kOptions) out += fmt::format("  {:<28}{}\n", o.name, o.help);
  return out;
}

// Applies one `name values...` setting; returns an error text, empty on success.
std::string ApplySetting(Config* config, std::string_view name,
                         const std::vector<std::string_view>& values) {
  const ConfigOption* option = FindConfigOption(name);
  if (option == nullptr) {
    for (const auto& f : kFixed) {
      if (EqualsNoCase(name, f.name)) return {};  // accepted and ignored, as documented
    }
    return "Bad directive or wrong number of arguments";
  }
  return option->set(*config, values);
}

}  // namespace

const std::vector<ConfigOption>& ConfigOptions() { return kOptions; }
const std::vector<FixedConfigValue>& FixedConfigValues() { return kFixed; }

const ConfigOption* FindConfigOption(std::string_view name) {
  for (const auto& o : kOptions) {
    if (EqualsNoCase(name, o.name)) return &o;
  }
  return nullptr;
}

bool ParseMemory(std::string_view text, int64_t* out) {
  size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) ||
                                  (digits == 0 && text[0] == '-'))) {
    ++digits;
  }
  int64_t n;
  auto [p, ec] = std::from_chars(text.data(), text.data() + digits, n);
  if (ec != std::errc() || p != text.data() + digits || digits == 0) return false;
  std::string unit(text.substr(digits));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int64_t mul;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k") {
    mul = 1000;
  } else if (unit == "kb") {
    mul = 1024;
  } else if (unit == "m") {
    mul = 1000 * 1000;
  } else if (unit == "mb") {
    mul = 1024 * 1024;
  } else if (unit == "g") {
    mul = 1000ll * 1000 * 1000;
  } else if (unit == "gb") {
    mul = 1024ll * 1024 * 1024;
  } else {
    return false;
  }
  if (n < 0 || n > INT64_MAX / mul) return false;
  *out = n * mul;
  return true;
}

bool SplitConfigArgs(std::string_view line, std::vector<std::string>* out) {
  out->clear();
  size_t i = 0;
  auto hex = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
  };
  while (true) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i == line.size()) return true;
    std::string cur;
    bool in_double = false, in_single = false;
    while (true) {
      if (in_double) {
        if (i == line.size()) return false;
        char c = line[i];
        if (c == '\\' && i + 3 < line.size() && line[i + 1] == 'x' &&
            std::isxdigit(static_cast<unsigned char>(line[i + 2])) &&
            std::isxdigit(static_cast<unsigned char>(line[i + 3]))) {
          cur.push_back(static_cast<char>(hex(line[i + 2]) * 16 + hex(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < line.size()) {
          char e = line[++i];
          cur.push_back(e == 'n'   ? '\n'
                        : e == 'r' ? '\r'
                        : e == 't' ? '\t'
                        : e == 'b' ? '\b'
                        : e == 'a' ? '\a'
                                   : e);
        } else if (c == '"') {
          // A closing quote must be followed by a space or the end.
          if (i + 1 < line.size() && !std::isspace(static_cast<unsigned char>(line[i + 1]))) {
            return false;
          }
          in_double = false;
        } else {
          cur.push_back(c);
        }
      } else if (in_single) {
        if (i == line.size()) return false;
        char c = line[i];
        if (c == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
          cur.push_back('\'');
          ++i;
        } else if (c == '\'') {
          if (i + 1 < line.size() && !std::isspace(static_cast<unsigned char>(line[i + 1]))) {
            return false;
          }
          in_single = false;
        } else {
          cur.push_back(c);
        }
      } else {
        if (i == line.size() || std::isspace(static_cast<unsigned char>(line[i]))) break;
        if (line[i] == '"') {
          in_double = true;
        } else if (line[i] == '\'') {
          in_single = true;
        } else {
          cur.push_back(line[i]);
        }
      }
      ++i;
    }
    out->push_back(std::move(cur));
  }
}

bool LoadConfig(int argc, char** argv, Config* config, std::string* error,
                std::string* help_or_version) {
  int i = 1;
  if (i < argc && (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h")) {
    *help_or_version = HelpText();
    return true;
  }
  if (i < argc && (std::string_view(argv[i]) == "--version" || std::string_view(argv[i]) == "-v")) {
    *help_or_version =
        fmt::format("Strata server v={} (redis_version={})\n", kStrataVersion, kRedisCompatVersion);
    return true;
  }
  if (i < argc && std::string_view(argv[i]).substr(0, 2) != "--") {
    std::string path = argv[i++];
    std::ifstream in(path);
    if (!in) {
      *error =
          fmt::format("Fatal error, can't open config file '{}': {}", path, std::strerror(errno));
      return false;
    }
    std::error_code ec;
    config->config_file = std::filesystem::absolute(path, ec).string();
    std::string line;
    for (int lineno = 1; std::getline(in, line); ++lineno) {
      std::vector<std::string> args;
      std::string_view trimmed = line;
      while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
        trimmed.remove_prefix(1);
      }
      if (trimmed.empty() || trimmed[0] == '#') continue;
      std::string why;
      if (!SplitConfigArgs(trimmed, &args)) {
        why = "Unbalanced quotes in configuration line";
      } else if (!args.empty()) {
        std::vector<std::string_view> values(args.begin() + 1, args.end());
        why = ApplySetting(config, args[0], values);
      }
      if (!why.empty()) {
        *error = fmt::format("*** FATAL CONFIG FILE ERROR *** {}:{}: '{}': {}", path, lineno,
                             trimmed, why);
        return false;
      }
    }
  }
  // Command-line overrides: --name value [value ...] up to the next --name.
  while (i < argc) {
    std::string_view flag = argv[i];
    if (flag.substr(0, 2) != "--" || flag.size() == 2) {
      *error = fmt::format("*** FATAL CONFIG ERROR *** unexpected argument '{}'", flag);
      return false;
    }
    std::vector<std::string_view> values;
    for (++i; i < argc && std::string_view(argv[i]).substr(0, 2) != "--"; ++i) {
      values.emplace_back(argv[i]);
    }
    std::string why = ApplySetting(config, flag.substr(2), values);
    if (!why.empty()) {
      std::string shown;
      for (auto v : values) shown += fmt::format(" {}", v);
      *error = fmt::format("*** FATAL CONFIG ERROR *** '{}{}': {}", flag, shown, why);
      return false;
    }
  }
  return true;
}

namespace {

// A value as a config file line shows it: bare when it is one plain word, else quoted.
std::string QuoteValue(std::string_view v) {
  bool plain = !v.empty();
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '\\' ||
        !std::isprint(static_cast<unsigned char>(c))) {
      plain = false;
    }
  }
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (std::isprint(static_cast<unsigned char>(c))) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out + "\"";
}

// The option a config line sets, or nullptr (comments, blank lines, unknown names).
const ConfigOption* OptionOfLine(const std::string& line) {
  std::vector<std::string> args;
  if (!SplitConfigArgs(line, &args) || args.empty() || args[0][0] == '#') return nullptr;
  return FindConfigOption(args[0]);
}

}  // namespace

std::string RewriteConfigText(const std::string& original, const Config& config) {
  std::vector<std::string> lines;
  std::istringstream in(original);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const Config defaults;
  std::vector<std::string> appended;
  for (const auto& o : kOptions) {
    if (o.get == GetRenameCommand) continue;  // start-up only: the file's lines stay
    std::string value = o.get(config);
    std::string line = fmt::format("{} {}", o.name, o.list ? value : QuoteValue(value));
    bool placed = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (OptionOfLine(lines[i]) != &o) continue;
      if (!placed) {
        lines[i] = line;
        placed = true;
      } else {
        lines.erase(lines.begin() + static_cast<long>(i--));  // a later duplicate
      }
    }
    if (!placed && value != o.get(defaults)) appended.push_back(line);
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  if (!appended.empty()) {
    out += "# Generated by CONFIG REWRITE\n";
    for (const auto& l : appended) out += l + "\n";
  }
  return out;
}

}  // namespace strata
