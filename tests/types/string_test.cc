#include "types/string.h"

#include <doctest/doctest.h>

#include "support/keyspace_fixture.h"
#include "types/hash.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;
using When = String::SetOptions::When;

namespace {

std::optional<std::string> Value(Fixture& f, std::string_view key, int64_t now_ms = 1) {
  auto v = String::Get(f.Op(0, now_ms), key);
  REQUIRE(v.ok());
  return *v ? std::optional<std::string>(**v) : std::nullopt;
}

int64_t ExpireOf(Fixture& f, std::string_view key) {
  Meta meta;
  REQUIRE(*f.ks->LookupKey(0, key, 1, &meta));
  return meta.expire_ms;
}

}  // namespace

TEST_SUITE("string") {
  TEST_CASE("SET's conditions, GET option and KEEPTTL") {
    Fixture f;
    auto r = String::Set(f.Op(), "k", "1", {.when = When::kIfExists});
    REQUIRE(r.ok());
    CHECK_FALSE(r->applied);
    CHECK_FALSE(Value(f, "k"));
    r = String::Set(f.Op(), "k", "1", {.when = When::kIfMissing, .expire_ms = 5000});
    CHECK(r->applied);
    r = String::Set(f.Op(), "k", "2", {.when = When::kIfMissing});
    CHECK_FALSE(r->applied);
    r = String::Set(f.Op(), "k", "3", {.keep_ttl = true, .get = true});
    CHECK(r->applied);
    CHECK(r->old == "1");
    CHECK(ExpireOf(f, "k") == 5000);
    REQUIRE(String::Set(f.Op(), "k", "4", {}).ok());
    CHECK(ExpireOf(f, "k") == 0);  // a plain SET drops the time to live
    // An expiry already past deletes the key.
    REQUIRE(String::Set(f.Op(0, 100), "k", "5", {.expire_ms = 50}).ok());
    CHECK_FALSE(Value(f, "k"));
  }

  TEST_CASE("APPEND, SETRANGE and INCR keep the time to live; GETRANGE clamps as Redis") {
    Fixture f;
    REQUIRE(String::Put(f.Op(), "s", "hello", 9000).ok());
    CHECK(*String::Append(f.Op(), "s", " world") == 11);
    CHECK(*String::SetRange(f.Op(), "s", 13, "!") == 14);
    CHECK(*Value(f, "s") == std::string("hello world\0\0!", 14));
    CHECK(ExpireOf(f, "s") == 9000);
    CHECK(*String::Range(f.Op(), "s", -3, -1) == std::string("\0\0!", 3));
    CHECK(*String::Range(f.Op(), "s", 0, 4) == "hello");
    CHECK(String::Range(f.Op(), "s", 5, 2)->empty());
    CHECK(String::Range(f.Op(), "s", -1, -5)->empty());
    CHECK(*String::SetRange(f.Op(), "missing", 3, "") == 0);
    CHECK_FALSE(Value(f, "missing"));
    CHECK(TypeErrorOf(String::SetRange(f.Op(), "s", kMaxStringSize, "x").status()) ==
          TypeError::kStringTooLong);

    REQUIRE(String::Put(f.Op(), "n", "41", 7000).ok());
    CHECK(*String::IncrBy(f.Op(), "n", 1) == 42);
    CHECK(ExpireOf(f, "n") == 7000);
    CHECK(TypeErrorOf(String::IncrBy(f.Op(), "s", 1).status()) == TypeError::kNotInteger);
    REQUIRE(String::Put(f.Op(), "big", "9223372036854775807").ok());
    CHECK(TypeErrorOf(String::IncrBy(f.Op(), "big", 1).status()) == TypeError::kOverflow);
    CHECK(*String::IncrByFloat(f.Op(), "n", 0.5L) == "42.5");
    CHECK(*Value(f, "n") == "42.5");
    CHECK(TypeErrorOf(String::IncrByFloat(f.Op(), "s", 1).status()) == TypeError::kNotFloat);
  }

  TEST_CASE("GETDEL, GETEX, MSETNX; another type is kWrongType") {
    Fixture f;
    REQUIRE(String::Put(f.Op(), "a", "1").ok());
    CHECK(**String::GetAndExpire(f.Op(), "a", 8000) == "1");
    CHECK(ExpireOf(f, "a") == 8000);
    CHECK(**String::GetAndExpire(f.Op(), "a", 0) == "1");  // PERSIST
    CHECK(ExpireOf(f, "a") == 0);
    CHECK(**String::Take(f.Op(), "a") == "1");
    CHECK_FALSE(Value(f, "a"));
    std::string_view pairs[] = {"x", "1", "y", "2"};
    CHECK(*String::PutAllIfNoneExists(f.Op(), pairs));
    std::string_view again[] = {"z", "3", "y", "4"};
    CHECK_FALSE(*String::PutAllIfNoneExists(f.Op(), again));
    CHECK_FALSE(Value(f, "z"));
    CHECK(*Value(f, "y") == "2");
    std::string_view field[] = {"f", "v"};
    REQUIRE(Hash::Set(f.Op(), "h", field, false).ok());
    CHECK(TypeErrorOf(String::Get(f.Op(), "h").status()) == TypeError::kWrongType);
    CHECK(TypeErrorOf(String::Append(f.Op(), "h", "x").status()) == TypeError::kWrongType);
    CHECK(TypeErrorOf(String::Set(f.Op(), "h", "x", {.get = true}).status()) ==
          TypeError::kWrongType);
    // SET NX looks at any type; plain SET replaces it.
    CHECK_FALSE(String::Set(f.Op(), "h", "x", {.when = When::kIfMissing})->applied);
    CHECK(String::Set(f.Op(), "h", "x", {})->applied);
    REQUIRE(f.ks->Commit().ok());
    f.Reopen();
    CHECK(*Value(f, "h") == "x");
  }
}

}  // namespace strata::types
