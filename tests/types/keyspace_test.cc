#include "types/keyspace.h"

#include <doctest/doctest.h>

#include "support/keyspace_fixture.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

TEST_SUITE("keyspace") {
  TEST_CASE("a flushed database's keys are dropped by compaction, the live ones kept") {
    Fixture f;
    for (int i = 0; i < 20000; ++i) {
      REQUIRE(f.ks->PutKey(i % 2, "key" + std::to_string(i), Type::kString, 0, "value").ok());
      if (i % 100 == 99) REQUIRE(f.ks->Commit().ok());
    }
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.ks->counts(0).keys == 10000);
    f.ks->FlushDb(1);
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.ks->counts(1).keys == 0);
    CHECK(f.CountTagged(kMetaTag) == 20000);  // still on disk: FLUSHDB wrote one record
    REQUIRE(f.db->CompactAll().ok());
    CHECK(f.CountTagged(kMetaTag) == 10000);
    Meta meta;
    auto found = f.ks->LookupKey(0, "key0", 0, &meta);
    REQUIRE(found.ok());
    CHECK(*found);
  }

  TEST_CASE("the expiry cycle removes due keys through the index and compaction reclaims them") {
    Fixture f;
    for (int i = 0; i < 5000; ++i) {
      REQUIRE(f.ks->PutKey(0, "t" + std::to_string(i), Type::kString, 1000 + i, "v").ok());
    }
    REQUIRE(f.ks->PutKey(0, "kept", Type::kString, 0, "v").ok());
    REQUIRE(f.ks->PutKey(0, "later", Type::kString, 1'000'000, "v").ok());
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.ks->counts(0).keys == 5002);
    CHECK(f.ks->counts(0).expires == 5001);
    // An overwritten expiry leaves no stale index entry behind.
    REQUIRE(f.ks->PutKey(0, "t0", Type::kString, 500'000, "v").ok());
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.CountTagged(kExpireTag) == 5001);
    auto removed = f.ks->ExpireCycle(100'000, INT64_MAX);
    REQUIRE(removed.ok());
    CHECK(*removed == 4999);
    CHECK(f.ks->counts(0).keys == 3);
    CHECK(f.ks->counts(0).expires == 2);
    CHECK(f.ks->counts(0).expire_sum_ms == 1'500'000);
    REQUIRE(f.db->CompactAll().ok());
    CHECK(f.CountTagged(kMetaTag) == 3);
    CHECK(f.CountTagged(kExpireTag) == 2);
  }

  TEST_CASE("Discard drops staged writes and restores the counts") {
    Fixture f;
    REQUIRE(f.ks->PutKey(0, "a", Type::kString, 0, "1").ok());
    REQUIRE(f.ks->Commit().ok());
    REQUIRE(f.ks->PutKey(0, "b", Type::kString, 0, "2").ok());
    auto deleted = f.ks->DeleteKey(0, "a");
    REQUIRE(deleted.ok());
    CHECK(*deleted);
    f.ks->FlushDb(3);
    Namespace before = f.ks->ns(3);
    CHECK(f.ks->counts(0).keys == 1);
    f.ks->Discard();
    CHECK(f.ks->counts(0).keys == 1);
    Meta meta;
    CHECK(*f.ks->LookupKey(0, "a", 0, &meta));
    CHECK_FALSE(*f.ks->LookupKey(0, "b", 0, &meta));
    CHECK(f.ks->ns(3) != before);
    CHECK(f.ks->ns(3) == 3);
  }
}

}  // namespace strata::types
