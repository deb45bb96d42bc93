// The key encodings the keyspace lays out in the engine: what must sort in what order, and
// what must decode back to what was encoded.
#include "types/encoding.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "types/collection.h"

namespace strata::types {

TEST_SUITE("key encodings") {
  TEST_CASE("scores sort like doubles, -inf to +inf, and decode exactly") {
    std::vector<double> scores = {-INFINITY, -1e300, -2.5, -0.0, 0.0, 1e-300, 1, 2.5, 1e300,
                                  INFINITY};
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200; ++i) {
      scores.push_back(std::ldexp(static_cast<double>(rng() % 100000) - 50000, int(rng() % 60) - 30));
    }
    std::sort(scores.begin(), scores.end());
    for (size_t i = 0; i < scores.size(); ++i) {
      std::string e = EncodeScore(scores[i]);
      CHECK(e.size() == 8);
      CHECK(DecodeScore(e) == scores[i]);
      if (i > 0 && scores[i - 1] < scores[i]) CHECK(EncodeScore(scores[i - 1]) < e);
    }
    // The score index orders by score, then member.
    CHECK(ScoreIndexSuffix(1, "b") < ScoreIndexSuffix(2, "a"));
    CHECK(ScoreIndexSuffix(1, "a") < ScoreIndexSuffix(1, "b"));
  }

  TEST_CASE("list indexes sort in index order on either side of the origin") {
    std::vector<uint64_t> idx = {kListOrigin - 1000, kListOrigin - 1, kListOrigin, kListOrigin + 1,
                                 kListOrigin + 70000};
    for (size_t i = 0; i < idx.size(); ++i) {
      CHECK(DecodeListIndex(EncodeListIndex(idx[i])) == idx[i]);
      if (i > 0) CHECK(EncodeListIndex(idx[i - 1]) < EncodeListIndex(idx[i]));
    }
  }

  TEST_CASE("metadata keys, element keys and expiry entries decode to what they encode") {
    std::string key;
    EncodeMetaKey(&key, 7, "user:1");
    CHECK(key.starts_with(MetaPrefix(7)));
    CHECK(UserKey(key) == "user:1");
    Namespace ns;
    REQUIRE(KeyNamespace(key, &ns));
    CHECK(ns == 7);
    // Two namespaces never interleave.
    std::string other;
    EncodeMetaKey(&other, 8, "");
    CHECK(key < other);

    std::string element;
    EncodeElementKey(&element, kSubkeyTag, 7, 42, "field");
    CHECK(element.starts_with(ElementPrefix(kSubkeyTag, 7, 42)));
    CHECK(ElementSuffix(element) == "field");
    uint64_t version;
    REQUIRE(ElementOwner(element, &ns, &version));
    CHECK(ns == 7);
    CHECK(version == 42);

    std::string entry;
    EncodeExpireKey(&entry, 1700000000123, 7, "user:1");
    int64_t at;
    std::string_view user;
    REQUIRE(DecodeExpireKey(entry, &at, &ns, &user));
    CHECK(at == 1700000000123);
    CHECK(user == "user:1");
    // Due at or before ms: below ExpireUpperBound(ms), not below the bound of the ms before.
    CHECK(entry < ExpireUpperBound(1700000000123));
    CHECK_FALSE(entry < ExpireUpperBound(1700000000122));
    CHECK_FALSE(DecodeExpireKey(entry.substr(0, 5), &at, &ns, &user));
  }

  TEST_CASE("metadata values and collection payloads round-trip; garbage is refused") {
    CollectionMeta m;
    m.version = 9;
    m.size = 3;
    m.head = kListOrigin - 2;
    m.tail = kListOrigin + 1;
    std::string payload;
    EncodeCollection(&payload, Type::kList, m);
    std::string raw;
    EncodeMeta(&raw, Type::kList, 123, payload, 777);
    Meta meta;
    REQUIRE(DecodeMeta(raw, &meta));
    CHECK(meta.type == Type::kList);
    CHECK(meta.expire_ms == 123);
    CHECK(meta.element_bytes == 777);
    // Written before element bytes were kept: no flag, estimated from the size.
    std::string old = raw.substr(0, 9) + payload;
    old[0] = static_cast<char>(old[0] & ~0x40);
    REQUIRE(DecodeMeta(old, &meta));
    CHECK(meta.element_bytes == 3 * kUnsizedElementBytes);
    CHECK(meta.payload == payload);
    CollectionMeta back;
    REQUIRE(DecodeCollection(meta.payload, Type::kList, &back));
    CHECK(back.version == 9);
    CHECK(back.size == 3);
    CHECK(back.head == m.head);
    CHECK(back.tail == m.tail);
    CHECK(PayloadVersion(meta.payload) == 9);
    CHECK(PayloadSize(meta.payload) == 3);

    CollectionMeta z;
    z.version = 1;
    z.size = 1;
    z.low_hint = ScoreIndexSuffix(1, "a");
    z.high_hint = ScoreIndexSuffix(5, "b");
    EncodeCollection(&payload, Type::kZSet, z);
    REQUIRE(DecodeCollection(payload, Type::kZSet, &back));
    CHECK(back.low_hint == z.low_hint);
    CHECK(back.high_hint == z.high_hint);
    CHECK_FALSE(DecodeCollection(payload.substr(0, 4), Type::kZSet, &back));
    CHECK_FALSE(DecodeMeta("", &meta));
  }
}

}  // namespace strata::types
