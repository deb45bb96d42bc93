#include "types/collection.h"

#include <bit>
#include <cstring>

#include "strata/coding.h"

namespace strata::types {

void EncodeCollection(std::string* out, Type type, const CollectionMeta& meta) {
  out->clear();
  PutBigEndian64(out, meta.version);
  PutVarint64(out, meta.size);
  if (type == Type::kList) {
    PutBigEndian64(out, meta.head);
    PutBigEndian64(out, meta.tail);
  } else if (type == Type::kZSet) {
    PutLengthPrefixed(out, meta.low_hint);
    out->append(meta.high_hint);
  } else if (type == Type::kStream) {
    for (const StreamId* id : {&meta.last_id, &meta.max_deleted, &meta.first_id}) {
      PutBigEndian64(out, id->ms);
      PutBigEndian64(out, id->seq);
    }
    PutVarint64(out, meta.entries_added);
    PutVarint64(out, meta.groups);
  }
}

std::string StreamId::ToString() const { return std::to_string(ms) + "-" + std::to_string(seq); }

bool DecodeCollection(std::string_view payload, Type type, CollectionMeta* meta) {
  if (payload.size() < 8) return false;
  meta->version = DecodeBigEndian64(payload.data());
  payload.remove_prefix(8);
  if (!GetVarint64(&payload, &meta->size)) return false;
  if (type == Type::kList) {
    if (payload.size() != 16) return false;
    meta->head = DecodeBigEndian64(payload.data());
    meta->tail = DecodeBigEndian64(payload.data() + 8);
    return meta->tail - meta->head == meta->size;
  }
  if (type == Type::kStream) {
    if (payload.size() < 48) return false;
    for (StreamId* id : {&meta->last_id, &meta->max_deleted, &meta->first_id}) {
      id->ms = DecodeBigEndian64(payload.data());
      id->seq = DecodeBigEndian64(payload.data() + 8);
      payload.remove_prefix(16);
    }
    return GetVarint64(&payload, &meta->entries_added) && GetVarint64(&payload, &meta->groups) &&
           payload.empty();
  }
  if (type == Type::kZSet) {
    std::string_view low;
    if (!GetLengthPrefixed(&payload, &low)) return false;
    meta->low_hint.assign(low);
    meta->high_hint.assign(payload);
    return true;
  }
  return payload.empty();
}

uint64_t PayloadVersion(std::string_view payload) {
  return payload.size() >= 8 ? DecodeBigEndian64(payload.data()) : 0;
}

uint64_t PayloadSize(std::string_view payload) {
  uint64_t size = 0;
  if (payload.size() > 8) {
    payload.remove_prefix(8);
    GetVarint64(&payload, &size);
  }
  return size;
}

std::string ElementPrefix(char tag, Namespace ns, uint64_t version) {
  std::string out;
  EncodeElementKey(&out, tag, ns, version, {});
  return out;
}

void EncodeElementKey(std::string* out, char tag, Namespace ns, uint64_t version,
                      std::string_view rest) {
  out->clear();
  out->push_back(tag);
  PutBigEndian32(out, ns);
  PutBigEndian64(out, version);
  out->append(rest);
}

bool ElementOwner(std::string_view key, Namespace* ns, uint64_t* version) {
  if (key.size() < kSubkeyPrefixSize || (key[0] != kSubkeyTag && key[0] != kScoreTag)) {
    return false;
  }
  *ns = DecodeBigEndian32(key.data() + 1);
  *version = DecodeBigEndian64(key.data() + 5);
  return true;
}

std::string EncodeListIndex(uint64_t index) {
  std::string out;
  PutBigEndian64(&out, index);
  return out;
}

uint64_t DecodeListIndex(std::string_view suffix) {
  return suffix.size() >= 8 ? DecodeBigEndian64(suffix.data()) : 0;
}

std::string EncodeScore(double score) {
  if (score == 0) score = 0;  // -0 sorts with 0
  auto bits = std::bit_cast<uint64_t>(score);
  bits = (bits >> 63) ? ~bits : bits | (1ull << 63);
  std::string out;
  PutBigEndian64(&out, bits);
  return out;
}

double DecodeScore(std::string_view bytes) {
  uint64_t bits = DecodeBigEndian64(bytes.data());
  bits = (bits >> 63) ? bits & ~(1ull << 63) : ~bits;
  return std::bit_cast<double>(bits);
}

std::string ScoreIndexSuffix(double score, std::string_view member) {
  std::string out = EncodeScore(score);
  out.append(member);
  return out;
}

std::string DeadVersionKey(uint64_t version) {
  std::string out(1, kDeadVersionTag);
  PutBigEndian64(&out, version);
  return out;
}

}  // namespace strata::types
