// The first byte of every engine key Strata writes: each byte means one thing. The layouts
// behind each tag are drawn in types/encoding.h (keys, expiry, counts, databases) and
// types/collection.h (elements, versions).
//
// An unscoped enum over char on purpose: a tag is the first byte of a key string, and is
// appended to and compared with key bytes everywhere.
#pragma once

namespace strata::types {

enum KeyTag : char {
  kMetaTag = 'M',         // a user key's metadata (and a string's value)
  kExpireTag = 'E',       // the expiry index, ordered by time
  kCountTag = 'C',        // key counts of one namespace
  kCountStampTag = 'T',   // the sequence number the saved counts are exact at
  kDbTableTag = 'D',      // database index -> namespace, and the next namespace id
  kSubkeyTag = 'S',       // a collection's element (field, member, list item)
  kScoreTag = 'Z',        // a sorted set's score index
  kDeadVersionTag = 'G',  // a collection version that is garbage
  kVersionTag = 'V',      // the ceiling of handed-out collection versions
  kFunctionTag = 'F',     // a function library's code, by library name (FUNCTION LOAD)
};

}  // namespace strata::types
