// The ways a type operation refuses a request, beyond the engine's own errors.
//
// Type operations (types/hash.h, types/zset.h, ...) return Status / Result<T>. An engine
// failure comes back as it is; a refusal that Redis answers with its own error (a key of
// another type, a field that is not a number) is a Status of code kInvalidArgument whose
// detail is a TypeError. The command layer turns each into Redis's words (server/errors.h), in
// one place (commands/util.h, OkOrReply).
#pragma once

#include <cstdint>

#include "strata/status.h"

namespace strata::types {

enum class TypeError : uint8_t {
  kNone = 0,
  kWrongType,           // the key holds another type
  kHashNotInteger,      // HINCRBY on a field that is not an integer
  kHashNotFloat,        // HINCRBYFLOAT on a field that is not a float
  kOverflow,            // an increment would overflow
  kNanOrInfinity,       // an increment would produce NaN or Infinity
  kScoreNan,            // ZADD INCR / ZINCRBY: the resulting score is NaN
  kNoSuchKey,           // LSET on a missing key
  kIndexOutOfRange,     // LSET past either end
  kNotInteger,          // INCR and friends on a string that is not an integer
  kNotFloat,            // INCRBYFLOAT on a string that is not a float
  kStringTooLong,       // APPEND, SETRANGE past proto-max-bulk-len (512 MB)
  kStreamIdSmaller,     // XSETID below the stream's last entry
  kStreamEntriesAdded,  // XSETID ENTRIESADDED below the stream's length
  kStreamMaxDeleted,    // XSETID below its own MAXDELETEDID
};

inline Status Rejected(TypeError e) {
  return Status(Status::Code::kInvalidArgument, static_cast<uint8_t>(e));
}

// The TypeError a Status carries; kNone for OK and for engine errors.
inline TypeError TypeErrorOf(const Status& s) {
  return s.IsInvalidArgument() ? static_cast<TypeError>(s.detail()) : TypeError::kNone;
}

}  // namespace strata::types
