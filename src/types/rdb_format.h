// The pieces DUMP payloads (types/rdb.h) are made of, in Redis's RDB serialization: lengths,
// strings, and the packed containers Redis keeps small values in (listpacks, ziplists,
// intsets); and the stream object, which is built of listpacks. Internal to the rdb*.cc files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "types/stream_value.h"

namespace strata::types::rdb {

// Object types (Redis's rdb.h).
enum Type : uint8_t {
  kString = 0,
  kList = 1,
  kSet = 2,
  kZset = 3,
  kHash = 4,
  kZset2 = 5,
  kListZiplist = 10,
  kSetIntset = 11,
  kZsetZiplist = 12,
  kHashZiplist = 13,
  kListQuicklist = 14,
  kStreamListpacks = 15,  // Redis 5 and 6
  kHashListpack = 16,
  kZsetListpack = 17,
  kListQuicklist2 = 18,
  kStreamListpacks2 = 19,  // Redis 7.0: first ID, max deleted ID, entries added, entries read
  kSetListpack = 20,
  kStreamListpacks3 = 21,  // Redis 7.2: consumers' active time
};

// A length: 6 bits, 14 bits, or a marker byte and 32 or 64 bits big-endian.
void PutLength(std::string* out, uint64_t len);
// A string: int-encoded when it is the canonical text of a 32-bit integer, else its length
// and bytes (never LZF-compressed).
void PutString(std::string* out, std::string_view value);
// Redis's rdbSaveMillisecondTime: 8 bytes little-endian.
void PutMillis(std::string* out, int64_t ms);

// Reads a payload front to back; every call is false at the end of the input or on
// anything malformed.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }

  bool Byte(uint8_t* b);
  bool Bytes(size_t n, std::string_view* out);
  // A length, or (special == true) the kind of special string encoding in *len.
  bool Length(uint64_t* len, bool* special);
  // A length that is a length (not a special encoding).
  bool Length(uint64_t* len);
  bool String(std::string* out);
  // ZSET_2 scores: a little-endian IEEE double.
  bool BinaryDouble(double* out);
  // Old ZSET scores: a length byte (253 NaN, 254 +inf, 255 -inf) and the text.
  bool TextDouble(double* out);
  // 8 bytes little-endian (PutMillis).
  bool Millis(int64_t* ms);

 private:
  bool Lzf(std::string* out);

  std::string_view in_;
};

// A score stored as text (old zsets, ziplists and listpacks): the whole text must parse.
bool ParseScore(std::string_view text, double* out);

// The elements of a packed container, integers as their decimal text. False unless the
// whole blob is well formed.
bool ParseListpack(std::string_view lp, std::vector<std::string>* out);
bool ParseZiplist(std::string_view zl, std::vector<std::string>* out);
bool ParseIntset(std::string_view is, std::vector<std::string>* out);

// Builds a listpack: elements that are the canonical text of a 64-bit integer are stored
// as integers, as Redis's lpAppend stores them.
class ListpackWriter {
 public:
  ListpackWriter();
  void Add(std::string_view element);
  void AddInteger(int64_t v);
  size_t bytes() const { return buf_.size() + 1; }
  size_t count() const { return count_; }
  // The finished listpack (the writer is spent).
  std::string Finish();

 private:
  void Entry(std::string_view encoded);

  std::string buf_;
  size_t count_ = 0;
};

// Streams (rdb_stream.cc): the object after its type byte, written as kStreamListpacks2.
void PutStream(std::string* out, const StreamValue& v);
// Reads any of the three stream types. Checks what a stream must be: entry IDs rising and
// within last_id, the length right, each pending entry owned by exactly one consumer.
bool ReadStream(Reader& r, uint8_t rdb_type, StreamValue* v);

}  // namespace strata::types::rdb
