#include "server/errors.h"

#include <fmt/format.h>

#include "util/text.h"

namespace strata::errors {
namespace {

// Redis truncates names and arguments echoed in errors ("%.128s").
std::string_view Clip(std::string_view s) { return s.substr(0, 128); }

}  // namespace

std::string ProtoExpectedDollar(char got) {
  return fmt::format("ERR Protocol error: expected '$', got '{}'", got);
}

std::string GeoInvalidLonLat(double lon, double lat) {
  return fmt::format("ERR invalid longitude,latitude pair {:f},{:f}", lon, lat);
}

std::string WrongArity(std::string_view command) {
  return fmt::format("ERR wrong number of arguments for '{}' command", command);
}

std::string TrackingPrefixOverlap(std::string_view a, std::string_view b, bool existing) {
  return fmt::format(
      "ERR Prefix '{}' overlaps with {} prefix '{}'. Prefixes for a single client must not "
      "overlap.",
      a, existing ? "an existing" : "another provided", b);
}

std::string SubscribedContext(std::string_view command) {
  return fmt::format(
      "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
      "allowed in this context",
      command);
}

std::string UnknownCommand(std::string_view name, const std::string_view* args, size_t n) {
  std::string quoted;
  for (size_t i = 0; i < n && quoted.size() < 128; ++i) {
    quoted += fmt::format("'{}' ", args[i].substr(0, 128 - quoted.size()));
  }
  return fmt::format("ERR unknown command '{}', with args beginning with: {}", Clip(name), quoted);
}

std::string UnknownSubcommand(std::string_view sub, std::string_view command) {
  std::string upper(command);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", Clip(sub), upper);
}

std::string UnknownSubcommandOrArity(std::string_view sub, std::string_view command) {
  return fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                     Clip(sub), command);
}

std::string InvalidExpireTime(std::string_view command) {
  return fmt::format("ERR invalid expire time in '{}' command", command);
}

std::string WalWriteFailed(std::string_view why) {
  return fmt::format(
      "MISCONF Errors writing to the write-ahead log: {}. Commands that may modify the data set "
      "are disabled until the log can be written again.",
      why);
}

std::string EngineError(const Status& s) {
  return s.IsIOError() ? WalWriteFailed(s.ToString()) : "ERR " + s.ToString();
}

std::string ConfigSetFailed(std::string_view option, std::string_view why) {
  return fmt::format("ERR CONFIG SET failed (possibly related to argument '{}') - {}", option,
                     why);
}

std::string ConfigSetUnknown(std::string_view option) {
  return fmt::format("ERR Unknown option or number of arguments for CONFIG SET - '{}'", option);
}

std::string HelloSyntax(std::string_view option) {
  return fmt::format("ERR Syntax error in HELLO option '{}'", Clip(option));
}

std::string UnrecognizedOption(std::string_view option) {
  return fmt::format("ERR Unrecognized option '{}'", Clip(option));
}

std::string UnsupportedOption(std::string_view option) {
  return fmt::format("ERR Unsupported option {}", option);
}

std::string ZsetNumkeys(std::string_view command) {
  return fmt::format("ERR at least 1 input key is needed for '{}' command", ToLower(command));
}

}  // namespace strata::errors
