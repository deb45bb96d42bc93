// Every error text the server sends, word for word Redis 7's. Texts carry their code
// ("ERR", "WRONGTYPE", ...); ReplyBuilder::Error adds the leading '-'.
#pragma once

#include <string>
#include <string_view>

namespace strata::errors {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kDecrementOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kProtoNotInteger =
    "ERR Protocol version is not an integer or out of range";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kMaxClients = "ERR max number of clients reached";
inline constexpr std::string_view kClientNameChars =
    "ERR Client names cannot contain spaces, newlines or special characters.";

// Protocol errors: the connection is closed after the reply.
inline constexpr std::string_view kProtoInvalidMultibulk =
    "ERR Protocol error: invalid multibulk length";
inline constexpr std::string_view kProtoInvalidBulk = "ERR Protocol error: invalid bulk length";
inline constexpr std::string_view kProtoBigMultibulk =
    "ERR Protocol error: too big mbulk count string";
inline constexpr std::string_view kProtoBigBulk = "ERR Protocol error: too big bulk count string";
inline constexpr std::string_view kProtoBigInline = "ERR Protocol error: too big inline request";
inline constexpr std::string_view kProtoUnbalancedQuotes =
    "ERR Protocol error: unbalanced quotes in request";
inline constexpr std::string_view kQueryBufferLimit =
    "ERR Protocol error: client query buffer exceeds client-query-buffer-limit";
std::string ProtoExpectedDollar(char got);

std::string WrongArity(std::string_view command);  // 'get', or 'client|setname'
std::string UnknownCommand(std::string_view name, const std::string_view* args, size_t n);
std::string UnknownSubcommand(std::string_view sub, std::string_view command);
std::string InvalidExpireTime(std::string_view command);
// A refused write while the log cannot be written (Redis's -MISCONF for the AOF).
std::string WalWriteFailed(std::string_view why);
std::string ConfigSetFailed(std::string_view option, std::string_view why);
std::string ConfigSetUnknown(std::string_view option);
std::string HelloSyntax(std::string_view option);
std::string UnrecognizedOption(std::string_view option);

}  // namespace strata::errors
