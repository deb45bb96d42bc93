// How Redis keys become engine keys. One engine key space holds every database.
//
// Metadata key (one per Redis key):
//
//   +-----+--------+-----------------+
//   | 'M' | db: 1  | user key bytes  |
//   +-----+--------+-----------------+
//
// Metadata value:
//
//   +----------+---------------------------+---------------------------------+
//   | flags: 1 | expire_ms: 8 (big-endian, | payload: the string's value     |
//   |          | only if flags & 0x80)     | (composite types: later issues) |
//   +----------+---------------------------+---------------------------------+
//   flags: low 4 bits = Type, bit 7 = has expiry.
//
// A string is one engine key, so GET is one lookup. An expired key reads as missing at once
// (lazy expiry); nothing is deleted on read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "strata/db.h"

namespace strata::types {

enum class Type : uint8_t { kString = 0, kHash = 1, kList = 2, kSet = 3, kZSet = 4 };

std::string_view TypeName(Type type);

constexpr char kMetaTag = 'M';
// The largest value a string may hold (Redis's 512 MB).
constexpr size_t kMaxStringSize = 512u << 20;

// Replaces *out with the metadata key of key in db.
void EncodeMetaKey(std::string* out, int db, std::string_view key);
// The metadata-key prefix of db; all of db's keys start with it.
std::string MetaPrefix(int db);
// The user key of a metadata key. REQUIRES: meta_key starts with a MetaPrefix.
inline std::string_view UserKey(std::string_view meta_key) { return meta_key.substr(2); }

struct Meta {
  Type type = Type::kString;
  int64_t expire_ms = 0;  // absolute Unix time in ms; 0 = no expiry
  std::string_view payload;

  bool expired(int64_t now_ms) const { return expire_ms != 0 && expire_ms <= now_ms; }
};

// Parses a metadata value; false when the bytes are not a metadata value (corruption).
bool DecodeMeta(std::string_view raw, Meta* meta);
void EncodeStringMeta(std::string* out, std::string_view value, int64_t expire_ms);

// Reads and writes Redis keys through the engine. Loop thread only; reuses its buffers, so
// what a lookup returns is valid until the next call.
class Keyspace {
 public:
  explicit Keyspace(DB* db) : db_(db) {}

  DB& db() { return *db_; }

  // Finds key in db. Returns false when absent or expired; Corruption when the stored bytes
  // do not decode. meta->payload is valid until the next call.
  Result<bool> Lookup(int db, std::string_view key, int64_t now_ms, Meta* meta);

  // Stores a string value (replacing whatever the key held).
  Status SetString(int db, std::string_view key, std::string_view value, int64_t expire_ms);

  // Adds the deletion / string write of key to batch (for multi-key commands).
  void BatchDelete(WriteBatch* batch, int db, std::string_view key);
  void BatchSetString(WriteBatch* batch, int db, std::string_view key, std::string_view value,
                      int64_t expire_ms);

  // Calls fn(user_key, meta) for every live key of db, in key order; stops early when fn
  // returns false.
  template <typename Fn>
  Status ForEachKey(int db, int64_t now_ms, Fn&& fn);

  Status Write(WriteBatch* batch) { return db_->Write(WriteOptions(), batch); }

 private:
  DB* db_;
  std::string key_buf_, value_buf_, meta_buf_;
};

template <typename Fn>
Status Keyspace::ForEachKey(int db, int64_t now_ms, Fn&& fn) {
  std::string prefix = MetaPrefix(db);
  std::string upper = PrefixSuccessor(prefix);
  ReadOptions options;
  options.lower_bound = prefix;
  options.upper_bound = upper;
  auto it = db_->NewIterator(options);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Meta meta;
    if (!DecodeMeta(it->value(), &meta)) {
      return Status::Corruption("undecodable metadata for key in db " + std::to_string(db));
    }
    if (meta.expired(now_ms)) continue;
    if (!fn(UserKey(it->key()), meta)) break;
  }
  return it->status();
}

}  // namespace strata::types
