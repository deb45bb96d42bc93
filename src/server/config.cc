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
std::string HelpText() {
  std::string out = fmt::format(
      "Usage: strata-server [/path/to/strata.conf] [--option value ...]\n"
      "       strata-server --version\n\n"
      "Options (in the file as `name value`, on the command line as `--name value`):\n");
  for (const auto& o : ConfigOptions()) out += fmt::format("  {:<28}{}\n", o.name, o.help);
  return out;
}

// Applies one `name values...` setting; returns an error text, empty on success.
std::string ApplySetting(Config* config, std::string_view name,
                         const std::vector<std::string_view>& values) {
  const ConfigOption* option = FindConfigOption(name);
  if (option == nullptr) {
    for (const auto& f : FixedConfigValues()) {
      if (EqualsNoCase(name, f.name)) return {};  // accepted and ignored, as documented
    }
    return "Bad directive or wrong number of arguments";
  }
  return option->set(*config, values);
}

}  // namespace

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
  for (const auto& o : ConfigOptions()) {
    if (EqualsNoCase(o.name, "rename-command")) continue;  // start-up only: the lines stay
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
