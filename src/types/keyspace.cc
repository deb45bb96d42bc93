#include "types/keyspace.h"


namespace strata::types {
namespace {

constexpr uint8_t kTypeMask = 0x0f;
constexpr uint8_t kHasExpiry = 0x80;

// Big-endian, so that byte order is numeric order wherever these bytes end up in keys.
void PutBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
uint64_t DecodeBigEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString: return "string";
    case Type::kHash: return "hash";
    case Type::kList: return "list";
    case Type::kSet: return "set";
    case Type::kZSet: return "zset";
  }
  return "none";
}

void EncodeMetaKey(std::string* out, int db, std::string_view key) {
  out->clear();
  out->push_back(kMetaTag);
  out->push_back(static_cast<char>(db));
  out->append(key);
}

std::string MetaPrefix(int db) {
  std::string out;
  EncodeMetaKey(&out, db, {});
  return out;
}

bool DecodeMeta(std::string_view raw, Meta* meta) {
  if (raw.empty()) return false;
  auto flags = static_cast<uint8_t>(raw[0]);
  uint8_t type = flags & kTypeMask;
  if (type > static_cast<uint8_t>(Type::kZSet)) return false;
  meta->type = static_cast<Type>(type);
  raw.remove_prefix(1);
  meta->expire_ms = 0;
  if (flags & kHasExpiry) {
    if (raw.size() < 8) return false;
    meta->expire_ms = static_cast<int64_t>(DecodeBigEndian64(raw.data()));
    raw.remove_prefix(8);
  }
  meta->payload = raw;
  return true;
}

void EncodeStringMeta(std::string* out, std::string_view value, int64_t expire_ms) {
  out->clear();
  uint8_t flags = static_cast<uint8_t>(Type::kString);
  if (expire_ms != 0) flags |= kHasExpiry;
  out->push_back(static_cast<char>(flags));
  if (expire_ms != 0) PutBigEndian64(out, static_cast<uint64_t>(expire_ms));
  out->append(value);
}

Result<bool> Keyspace::Lookup(int db, std::string_view key, int64_t now_ms, Meta* meta) {
  EncodeMetaKey(&key_buf_, db, key);
  auto found = db_->Get(ReadOptions(), key_buf_, &value_buf_);
  if (!found.ok()) return found.status();
  if (!*found) return false;
  if (!DecodeMeta(value_buf_, meta)) {
    return Status::Corruption("undecodable metadata for a key in db " + std::to_string(db));
  }
  return !meta->expired(now_ms);
}

Status Keyspace::SetString(int db, std::string_view key, std::string_view value,
                           int64_t expire_ms) {
  EncodeMetaKey(&key_buf_, db, key);
  EncodeStringMeta(&meta_buf_, value, expire_ms);
  return db_->Put(WriteOptions(), key_buf_, meta_buf_);
}

void Keyspace::BatchDelete(WriteBatch* batch, int db, std::string_view key) {
  EncodeMetaKey(&key_buf_, db, key);
  batch->Delete(key_buf_);
}

void Keyspace::BatchSetString(WriteBatch* batch, int db, std::string_view key,
                              std::string_view value, int64_t expire_ms) {
  EncodeMetaKey(&key_buf_, db, key);
  EncodeStringMeta(&meta_buf_, value, expire_ms);
  batch->Put(key_buf_, meta_buf_);
}

}  // namespace strata::types
