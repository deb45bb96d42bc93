#include "types/encoding.h"

#include <cstring>

#include "strata/coding.h"
#include "types/collection.h"

namespace strata::types {
namespace {

constexpr uint8_t kTypeMask = 0x0f;
constexpr uint8_t kHasExpiry = 0x80;
constexpr uint8_t kHasElementBytes = 0x40;

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString: return "string";
    case Type::kHash: return "hash";
    case Type::kList: return "list";
    case Type::kSet: return "set";
    case Type::kZSet: return "zset";
    case Type::kStream: return "stream";
  }
  return "none";
}

void PutBigEndian32(std::string* out, uint32_t v) {
  char buf[4];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (24 - 8 * i));
  out->append(buf, 4);
}

void PutBigEndian64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (56 - 8 * i));
  out->append(buf, 8);
}

uint32_t DecodeBigEndian32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t DecodeBigEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void EncodeMetaKey(std::string* out, Namespace ns, std::string_view key) {
  out->resize(kMetaKeyPrefixSize + key.size());
  char* p = out->data();
  p[0] = kMetaTag;
  for (int i = 0; i < 4; ++i) p[1 + i] = static_cast<char>(ns >> (24 - 8 * i));
  if (!key.empty()) std::memcpy(p + kMetaKeyPrefixSize, key.data(), key.size());
}

std::string MetaPrefix(Namespace ns) {
  std::string out;
  EncodeMetaKey(&out, ns, {});
  return out;
}

void EncodeExpireKey(std::string* out, int64_t expire_ms, Namespace ns, std::string_view key) {
  out->clear();
  out->push_back(kExpireTag);
  PutBigEndian64(out, static_cast<uint64_t>(expire_ms));
  PutBigEndian32(out, ns);
  out->append(key);
}

std::string ExpireUpperBound(int64_t ms) {
  std::string out(1, kExpireTag);
  PutBigEndian64(&out, static_cast<uint64_t>(ms) + 1);
  return out;
}

bool DecodeExpireKey(std::string_view raw, int64_t* expire_ms, Namespace* ns,
                     std::string_view* key) {
  if (raw.size() < 13 || raw[0] != kExpireTag) return false;
  *expire_ms = static_cast<int64_t>(DecodeBigEndian64(raw.data() + 1));
  *ns = DecodeBigEndian32(raw.data() + 9);
  *key = raw.substr(13);
  return true;
}

std::string CountKey(Namespace ns) {
  std::string out(1, kCountTag);
  PutBigEndian32(&out, ns);
  return out;
}

bool KeyNamespace(std::string_view raw, Namespace* ns) {
  if (raw.size() >= 5 && (raw[0] == kMetaTag || raw[0] == kCountTag)) {
    *ns = DecodeBigEndian32(raw.data() + 1);
    return true;
  }
  if (raw.size() >= 13 && raw[0] == kExpireTag) {
    *ns = DecodeBigEndian32(raw.data() + 9);
    return true;
  }
  return false;
}

bool DecodeMeta(std::string_view raw, Meta* meta) {
  if (raw.empty()) return false;
  auto flags = static_cast<uint8_t>(raw[0]);
  uint8_t type = flags & kTypeMask;
  if (type > static_cast<uint8_t>(Type::kStream)) return false;
  meta->type = static_cast<Type>(type);
  raw.remove_prefix(1);
  meta->expire_ms = 0;
  if (flags & kHasExpiry) {
    if (raw.size() < 8) return false;
    meta->expire_ms = static_cast<int64_t>(DecodeBigEndian64(raw.data()));
    raw.remove_prefix(8);
  }
  meta->element_bytes = 0;
  if (flags & kHasElementBytes) {
    if (!GetVarint64(&raw, &meta->element_bytes)) return false;
  } else if (meta->type != Type::kString) {
    meta->element_bytes = kUnsizedElementBytes * PayloadSize(raw);
  }
  meta->payload = raw;
  return true;
}

void EncodeMeta(std::string* out, Type type, int64_t expire_ms, std::string_view payload,
                uint64_t element_bytes) {
  out->clear();
  uint8_t flags = static_cast<uint8_t>(type);
  if (expire_ms != 0) flags |= kHasExpiry;
  if (type != Type::kString) flags |= kHasElementBytes;
  out->push_back(static_cast<char>(flags));
  if (expire_ms != 0) PutBigEndian64(out, static_cast<uint64_t>(expire_ms));
  if (type != Type::kString) PutVarint64(out, element_bytes);
  out->append(payload);
}

}  // namespace strata::types
