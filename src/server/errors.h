// Every error text the server sends, word for word Redis 7's. Texts carry their code
// ("ERR", "WRONGTYPE", ...); ReplyBuilder::Error adds the leading '-'.
#pragma once

#include <string>
#include <string_view>

#include "strata/status.h"

namespace strata::errors {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kDecrementOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kNanOrInfinity = "ERR increment would produce NaN or Infinity";
// Bitmaps (commands/bitmaps.cc).
inline constexpr std::string_view kBitOffset = "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kBitValue = "ERR bit is not an integer or out of range";
inline constexpr std::string_view kBitposBit = "ERR The bit argument must be 1 or 0.";
inline constexpr std::string_view kBitopNot =
    "ERR BITOP NOT must be called with a single source key.";
inline constexpr std::string_view kBitfieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
inline constexpr std::string_view kBitfieldOverflow = "ERR Invalid OVERFLOW type specified";
inline constexpr std::string_view kBitfieldReadOnly =
    "ERR BITFIELD_RO only supports the GET subcommand";
inline constexpr std::string_view kSortNotDouble =
    "ERR One or more scores can't be converted into double";
// Geo (commands/geo.cc).
inline constexpr std::string_view kGeoUnit =
    "ERR unsupported unit provided. please use M, KM, FT, MI";
inline constexpr std::string_view kGeoMember = "ERR could not decode requested zset member";
inline constexpr std::string_view kGeoRadiusNotNumber = "ERR need numeric radius";
inline constexpr std::string_view kGeoRadiusNegative = "ERR radius cannot be negative";
inline constexpr std::string_view kGeoWidthNotNumber = "ERR need numeric width";
inline constexpr std::string_view kGeoHeightNotNumber = "ERR need numeric height";
inline constexpr std::string_view kGeoBoxNegative = "ERR height or width cannot be negative";
inline constexpr std::string_view kGeoCount = "ERR COUNT must be > 0";
inline constexpr std::string_view kGeoAnyWithoutCount =
    "ERR the ANY argument requires COUNT argument";
std::string GeoInvalidLonLat(double lon, double lat);
inline std::string GeoStoreWith(bool searchstore) {
  return std::string("ERR ") + (searchstore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS") +
         " is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
}
inline std::string GeoNoFrom(std::string_view command) {
  return "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + std::string(command);
}
inline std::string GeoNoBy(std::string_view command) {
  return "ERR exactly one of BYRADIUS and BYBOX can be specified for " + std::string(command);
}
// HyperLogLog (commands/hyperloglog.cc).
inline constexpr std::string_view kNotHll =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr std::string_view kHllCorrupt = "INVALIDOBJ Corrupted HLL object detected";
inline constexpr std::string_view kPfdebugNoKey = "ERR The specified key does not exist";
inline constexpr std::string_view kPfdebugNotSparse = "ERR HLL encoding is not sparse";
inline std::string PfdebugUnknown(std::string_view sub) {
  return "ERR Unknown PFDEBUG subcommand '" + std::string(sub) + "'";
}
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kLcsNotStrings =
    "ERR The specified keys must contain string values";
inline constexpr std::string_view kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kLcsTooMuchMemory =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kBusyKey = "BUSYKEY Target key name already exists.";
inline constexpr std::string_view kBadDumpPayload =
    "ERR DUMP payload version or checksum are wrong";
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
inline constexpr std::string_view kHelloNoAuth =
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
    "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
    "RESP protocol version at the same time";
inline constexpr std::string_view kAuthNotConfigured =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kProtectedMode =
    "DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from "
    "the loopback interface. If you want to connect from external computers to Redis you may "
    "adopt one of the following solutions: 1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from "
    "the same host the server is running, however MAKE SURE Redis is not publicly accessible "
    "from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
    "Alternatively you can just disable the protected mode by editing the Redis configuration "
    "file, and setting the protected mode option to 'no', and then restarting the server. 3) "
    "If you started the server manually just for testing, restart it with the "
    "'--protected-mode no' option. 4) Set up an authentication password for the default user. "
    "NOTE: You only need to do one of the above things in order for the server to start "
    "accepting connections from the outside.";
inline constexpr std::string_view kSlowlogCount = "ERR count should be greater than or equal to -1";
inline constexpr std::string_view kNoSuchClient = "ERR No such client";
inline constexpr std::string_view kClientIdPositive = "ERR client-id should be greater than 0";
inline constexpr std::string_view kGetkeysUnknown = "ERR Invalid command specified";
inline constexpr std::string_view kGetkeysArity =
    "ERR Invalid number of arguments specified for command";
inline constexpr std::string_view kGetkeysNoKeys = "ERR The command has no key arguments";
inline constexpr std::string_view kGetkeysInvalid = "ERR Invalid arguments specified for command";
inline constexpr std::string_view kClusterDisabled =
    "ERR This instance has cluster support disabled";
inline constexpr std::string_view kInvalidClientId = "ERR Invalid client ID";
inline constexpr std::string_view kUnblockReason =
    "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
// What a blocked client gets from CLIENT UNBLOCK id ERROR.
inline constexpr std::string_view kUnblocked = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
inline constexpr std::string_view kTimeoutNotInteger = "ERR timeout is not an integer or out of range";
inline std::string UnknownClientType(std::string_view t) {
  return "ERR Unknown client type '" + std::string(t) + "'";
}
inline std::string NoSuchUser(std::string_view u) {
  return "ERR No such user '" + std::string(u) + "'";
}
inline constexpr std::string_view kBgsaveInProgress = "ERR Background save already in progress";
inline constexpr std::string_view kNoShutdown = "ERR No shutdown in progress.";
inline std::string RewriteConfigFailed(std::string_view reason) {
  return "ERR Rewriting config file: " + std::string(reason);
}
inline constexpr std::string_view kNoConfigFile = "ERR The server is running without a config file";
inline constexpr std::string_view kBadDataFormat = "ERR Bad data format";
inline constexpr std::string_view kInvalidTtl = "ERR Invalid TTL value, must be >= 0";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kInvalidFirstDb = "ERR invalid first DB index";
inline constexpr std::string_view kInvalidSecondDb = "ERR invalid second DB index";
inline constexpr std::string_view kInvalidIdletime = "ERR Invalid IDLETIME value, must be >= 0";
inline constexpr std::string_view kInvalidFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255";
inline constexpr std::string_view kNoLruPolicy =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";
inline constexpr std::string_view kNoLfuPolicy =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
inline constexpr std::string_view kExpireNxAnd =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kExpireGtAndLt =
    "ERR GT and LT options at the same time are not compatible";
inline constexpr std::string_view kHashNotInteger = "ERR hash value is not an integer";
inline constexpr std::string_view kHashNotFloat = "ERR hash value is not a float";
inline constexpr std::string_view kValueOutOfRange = "ERR value is out of range";
inline constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";
inline constexpr std::string_view kIndexOutOfRange = "ERR index out of range";
inline constexpr std::string_view kLposRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
inline constexpr std::string_view kLposRankRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
inline constexpr std::string_view kLposCountNegative = "ERR COUNT can't be negative";
inline constexpr std::string_view kLposMaxlenNegative = "ERR MAXLEN can't be negative";
inline constexpr std::string_view kNumkeysPositive = "ERR numkeys should be greater than 0";
inline constexpr std::string_view kNumkeysTooMany =
    "ERR Number of keys can't be greater than number of args";
inline constexpr std::string_view kCountPositive = "ERR count should be greater than 0";
inline constexpr std::string_view kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr std::string_view kTimeoutNegative = "ERR timeout is negative";
inline constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";
inline constexpr std::string_view kZaddIncrPair =
    "ERR INCR option supports a single increment-element pair";
inline constexpr std::string_view kZaddNxXx =
    "ERR XX and NX options at the same time are not compatible";
inline constexpr std::string_view kZaddGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
inline constexpr std::string_view kZaddNan = "ERR resulting score is not a number (NaN)";
inline constexpr std::string_view kMinMaxNotFloat = "ERR min or max is not a float";
inline constexpr std::string_view kMinMaxNotLex = "ERR min or max not valid string range item";
inline constexpr std::string_view kLimitNeedsBy =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
inline constexpr std::string_view kWeightNotFloat = "ERR weight value is not a float";
inline constexpr std::string_view kWithscoresBylex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
inline constexpr std::string_view kValueNanOrInfinity = "ERR value is NaN or Infinity";
inline constexpr std::string_view kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
inline constexpr std::string_view kNotAllowedInMulti =
    "ERR Command not allowed inside a transaction";
inline constexpr std::string_view kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kWatchInMulti = "ERR WATCH inside MULTI is not allowed";
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
// Client-side caching (CLIENT TRACKING / CACHING).
inline constexpr std::string_view kTrackingNoRedirect =
    "ERR The client ID you want redirect to does not exist";
inline constexpr std::string_view kTrackingPrefixNeedsBcast =
    "ERR PREFIX option requires BCAST mode to be enabled";
inline constexpr std::string_view kTrackingOptBcast =
    "ERR OPTIN and OPTOUT are not compatible with BCAST";
inline constexpr std::string_view kTrackingOptinOptout =
    "ERR You can't specify both OPTIN mode and OPTOUT mode";
inline constexpr std::string_view kTrackingSwitchBcast =
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";
inline constexpr std::string_view kTrackingSwitchOpt =
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
    "re-enabling it with a different mode.";
inline constexpr std::string_view kCachingNotOptMode =
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
    "OPTOUT mode enabled";
inline constexpr std::string_view kCachingYesNotOptin =
    "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
inline constexpr std::string_view kCachingNoNotOptout =
    "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";
// existing: b is one of the client's prefixes already, not one given with a.
std::string TrackingPrefixOverlap(std::string_view a, std::string_view b, bool existing);
inline constexpr std::string_view kQueryBufferLimit =
    "ERR Protocol error: client query buffer exceeds client-query-buffer-limit";
std::string ProtoExpectedDollar(char got);

std::string WrongArity(std::string_view command);  // 'get', or 'client|setname'
// A RESP2 client in subscribed mode ran anything but (P|S)(UN)SUBSCRIBE, PING, QUIT, RESET.
std::string SubscribedContext(std::string_view command);
std::string UnknownCommand(std::string_view name, const std::string_view* args, size_t n);
std::string UnknownSubcommand(std::string_view sub, std::string_view command);
// command upper case, as Redis words it for a subcommand's wrong arguments (FUNCTION RESTORE).
std::string UnknownSubcommandOrArity(std::string_view sub, std::string_view command);
std::string InvalidExpireTime(std::string_view command);
std::string UnsupportedOption(std::string_view option);  // EXPIRE's flags
// ZUNIONSTORE and friends with numkeys < 1.
std::string ZsetNumkeys(std::string_view command);
// A refused write while the log cannot be written (Redis's -MISCONF for the AOF).
std::string WalWriteFailed(std::string_view why);
// An engine error as a client sees it: a failed log write is -MISCONF (WalWriteFailed),
// anything else (corruption) "ERR <status>".
std::string EngineError(const Status& s);
std::string ConfigSetFailed(std::string_view option, std::string_view why);
std::string ConfigSetUnknown(std::string_view option);
std::string HelloSyntax(std::string_view option);
std::string UnrecognizedOption(std::string_view option);

// ---- Streams.
inline constexpr std::string_view kStreamInvalidId =
    "ERR Invalid stream ID specified as stream command argument";
inline constexpr std::string_view kStreamIdTooSmall =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
inline constexpr std::string_view kStreamIdZero =
    "ERR The ID specified in XADD must be greater than 0-0";
inline constexpr std::string_view kStreamExhausted =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
inline constexpr std::string_view kStreamSeqExhausted = "ERR Elements are too large to be stored";
inline constexpr std::string_view kStreamMaxlenNegative = "ERR The MAXLEN argument must be >= 0.";
inline constexpr std::string_view kStreamLimitNegative = "ERR The LIMIT argument must be >= 0.";
inline constexpr std::string_view kStreamLimitWithoutTilde =
    "ERR syntax error, LIMIT cannot be used without the special ~ option";
inline constexpr std::string_view kStreamLimitWithoutStrategy =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
inline constexpr std::string_view kStreamInvalidStart = "ERR invalid start ID for the interval";
inline constexpr std::string_view kStreamInvalidEnd = "ERR invalid end ID for the interval";
inline constexpr std::string_view kXreadUnbalanced =
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
inline constexpr std::string_view kXsetidSmaller =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
inline constexpr std::string_view kXsetidEntriesAdded =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
inline constexpr std::string_view kXgroupNoKey =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";
inline constexpr std::string_view kBusyGroup = "BUSYGROUP Consumer Group name already exists";
inline constexpr std::string_view kEntriesReadNegative =
    "ERR value for ENTRIESREAD must be positive or -1";
inline constexpr std::string_view kXreadgroupDollar =
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
    "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
    "would just return an empty result set.";
inline constexpr std::string_view kStreamKeyGone = "UNBLOCKED the stream key no longer exists";
inline constexpr std::string_view kStreamGroupGone =
    "NOGROUP the consumer group this client was blocked on no longer exists";
inline constexpr std::string_view kXreadgroupMissingGroup =
    "ERR Missing GROUP option for XREADGROUP";
inline constexpr std::string_view kXreadGreater =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option.";
inline constexpr std::string_view kXclaimMinIdle = "ERR Invalid min-idle-time argument for XCLAIM";
inline constexpr std::string_view kXclaimIdle = "ERR Invalid IDLE option argument for XCLAIM";
inline constexpr std::string_view kXclaimTime = "ERR Invalid TIME option argument for XCLAIM";
inline constexpr std::string_view kXautoclaimCount = "ERR COUNT must be > 0";
inline std::string XclaimOption(std::string_view o) {
  return "ERR Unrecognized XCLAIM option '" + std::string(o) + "'";
}
inline std::string NoGroupForKey(std::string_view group, std::string_view key) {
  return "NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
         std::string(key) + "'";
}
inline std::string NoKeyOrGroup(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'";
}
inline std::string BlockFromScript(std::string_view command) {
  return "ERR " + std::string(command) + " command is not allowed with BLOCK option from scripts";
}
inline constexpr std::string_view kXsetidEntriesAddedNegative =
    "ERR entries_added must be positive";
inline constexpr std::string_view kXsetidMaxDeleted =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";

// ---- Scripting (EVAL, SCRIPT, FUNCTION, FCALL).
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr std::string_view kBusyScript =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kNoScript = "NOSCRIPT No matching script. Please use EVAL.";
inline constexpr std::string_view kNotBusy = "NOTBUSY No scripts in execution right now.";
inline constexpr std::string_view kUnkillable =
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command.";
// (FUNCTION KILL's victim gets these words too, as in Redis.)
inline constexpr std::string_view kScriptKilled = "Script killed by user with SCRIPT KILL...";
inline constexpr std::string_view kShutdownKilled = "Script killed by SHUTDOWN NOSAVE";
inline constexpr std::string_view kNumkeysTooBig =
    "ERR Number of keys can't be greater than number of args";
inline constexpr std::string_view kNumkeysNegative = "ERR Number of keys can't be negative";
inline constexpr std::string_view kScriptFlushOption =
    "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
inline constexpr std::string_view kFunctionFlushOption =
    "ERR FUNCTION FLUSH only supports SYNC|ASYNC option";
inline constexpr std::string_view kScriptUnknownCommand =
    "ERR Unknown Redis command called from script";
inline constexpr std::string_view kScriptWrongArity =
    "ERR Wrong number of args calling Redis command from script";
inline constexpr std::string_view kScriptArgType =
    "ERR Lua redis lib command arguments must be strings or integers";
inline constexpr std::string_view kScriptNoArgs =
    "ERR Please specify at least one argument for this redis lib call";
inline constexpr std::string_view kScriptNotAllowed =
    "ERR This Redis command is not allowed from script";
inline constexpr std::string_view kScriptReadOnly =
    "ERR Write commands are not allowed from read-only scripts.";
inline constexpr std::string_view kScriptWriteFlagRo =
    "ERR Can not execute a script with write flag using *_ro command.";
// Lua-side errors (raised in the script; the engine adds "ERR " and where it happened).
inline constexpr std::string_view kLuaReadonlyTable = "Attempt to modify a readonly table";
inline constexpr std::string_view kLuaLogArgs = "redis.log() requires two arguments or more.";
inline constexpr std::string_view kLuaLogLevelType = "First argument must be a number (log level).";
inline constexpr std::string_view kLuaLogLevel = "Invalid debug level.";
inline constexpr std::string_view kLuaSetrespArgs = "redis.setresp() requires one argument.";
inline constexpr std::string_view kLuaSetrespVersion = "RESP version must be 2 or 3.";
inline constexpr std::string_view kLuaSetReplArgs = "redis.set_repl() requires one argument.";
inline constexpr std::string_view kLuaSetReplFlags =
    "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.";
inline constexpr std::string_view kLuaSha1hexArgs = "wrong number of arguments";
inline constexpr std::string_view kLuaReplyArgs = "wrong number or type of arguments";
inline constexpr std::string_view kLuaReplyTooDeep = "ERR reached lua stack limit";
inline constexpr std::string_view kAclCheckCmdInvalid =
    "Invalid command passed to redis.acl_check_cmd()";
inline constexpr std::string_view kScriptCallOutsideRun =
    "redis.call and redis.pcall can only be called inside a script";
inline constexpr std::string_view kScriptColdRead = "cold read: the script runs again";
inline std::string LuaNoGlobal(std::string_view name) {
  return "Script attempted to access nonexistent global variable '" + std::string(name) + "'";
}
inline std::string ScriptCompile(std::string_view what, std::string_view lua_error) {
  return "ERR Error compiling script (" + std::string(what) + "): " + std::string(lua_error);
}
inline std::string ScriptError(std::string_view msg, std::string_view where,
                               std::string_view source, std::string_view line) {
  return std::string(msg) + " script: " + std::string(where) + ", on " + std::string(source) + ":" +
         std::string(line) + ".";
}
inline std::string ShebangUnknownEngine(std::string_view e) {
  return "ERR Unexpected engine in script shebang: " + std::string(e);
}
inline std::string ShebangUnexpectedFlag(std::string_view f) {
  return "ERR Unexpected flag in script shebang: " + std::string(f);
}
inline std::string ShebangUnknownOption(std::string_view o) {
  return "ERR Unknown lua shebang option: " + std::string(o);
}
// FUNCTION and FCALL.
inline constexpr std::string_view kFunctionNotFound = "ERR Function not found";
inline constexpr std::string_view kLibraryNotFound = "ERR Library not found";
inline constexpr std::string_view kLibraryMetadataMissing = "ERR Missing library metadata";
inline constexpr std::string_view kLibraryNameMissing = "ERR Library name was not given";
inline constexpr std::string_view kLibraryNameInvalid =
    "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least "
    "one character long";
// (Redis words a bad function name as a bad library name.)
inline constexpr std::string_view kFunctionNameInvalid =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least "
    "one character long";
inline constexpr std::string_view kNoFunctionsRegistered = "ERR No functions registered";
inline constexpr std::string_view kFunctionRestorePolicy =
    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.";
inline constexpr std::string_view kFunctionListLibraryMissing =
    "ERR library name argument was not given";
inline constexpr std::string_view kRegisterFunctionOutsideLoad =
    "redis.register_function can only be called on FUNCTION LOAD command";
inline constexpr std::string_view kRegisterFunctionArgs =
    "wrong number of arguments to redis.register_function";
inline constexpr std::string_view kRegisterFunctionTable =
    "calling redis.register_function with a single argument is only applicable to Lua table "
    "(representing named arguments).";
inline constexpr std::string_view kRegisterFunctionUnknownArg =
    "unknown argument given to redis.register_function";
inline constexpr std::string_view kRegisterFunctionName =
    "redis.register_function must get a function name argument";
inline constexpr std::string_view kRegisterFunctionCallback =
    "redis.register_function must get a callback argument";
inline std::string LibraryExists(std::string_view lib) {
  return "ERR Library '" + std::string(lib) + "' already exists";
}
// (FUNCTION RESTORE words it without the quotes.)
inline std::string LibraryExistsOnRestore(std::string_view lib) {
  return "ERR Library " + std::string(lib) + " already exists";
}
inline std::string FunctionExists(std::string_view f) {
  return "Function " + std::string(f) + " already exists";
}
inline std::string LibraryMetadataInvalid(std::string_view v) {
  return "ERR Invalid metadata value given: " + std::string(v);
}
inline std::string EngineNotFound(std::string_view e) {
  return "ERR Engine '" + std::string(e) + "' not found";
}
inline std::string UnknownOptionGiven(std::string_view o) {
  return "ERR Unknown option given: " + std::string(o);
}
inline std::string UnknownArgument(std::string_view a) {
  return "ERR Unknown argument " + std::string(a);
}
inline constexpr std::string_view kRegisterFunctionFlag = "unknown flag given";
inline constexpr std::string_view kFunctionInLibrary = "Function already exists in the library";
inline constexpr std::string_view kScriptUnknownError = "ERR unknown error";
inline std::string FunctionCompile(std::string_view lua_error) {
  return "ERR Error compiling function: " + std::string(lua_error);
}
inline std::string FunctionLoadError(std::string_view lua_error) {
  return "ERR Error registering functions: " + std::string(lua_error);
}

}  // namespace strata::errors
