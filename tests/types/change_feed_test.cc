#include "types/change_feed.h"

#include <doctest/doctest.h>

#include "support/keyspace_fixture.h"
#include "types/list.h"
#include "types/string.h"
#include "types/watched_keys.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

namespace {

// Records what each commit publishes; interested in `keys` of db 0 when a whole database
// changes.
struct Recorder : ChangeFeed::Subscriber {
  bool on = true;
  std::vector<std::string> keys;
  std::vector<std::vector<KeyChange>> commits;

  bool active() const override { return on; }
  void KeysOfInterest(int db, std::vector<std::string>* out) const override {
    if (db == 0) out->insert(out->end(), keys.begin(), keys.end());
  }
  void OnCommit(std::span<const KeyChange> changes) override {
    commits.emplace_back(changes.begin(), changes.end());
  }
  std::vector<std::string> notices;  // "event key"
  void OnNotices(std::span<const Notice> ns) override {
    for (const Notice& n : ns) notices.push_back(n.name + " " + n.value);
  }
};

}  // namespace

TEST_SUITE("change feed") {
  TEST_CASE("a lookup of an expired key deletes it and sends expired; a discard sends nothing") {
    Fixture f;
    Recorder r;
    f.ks->changes().Subscribe(&r);
    f.ks->set_notify_classes(kNotifyKeyevent | kNotifyExpired | kNotifyGeneric | kNotifyNew);
    REQUIRE(String::Put(f.Op(), "k", "v", /*expire_ms=*/100).ok());
    REQUIRE(f.ks->Commit().ok());
    CHECK(r.notices == std::vector<std::string>{"new k"});
    CHECK(f.ks->counts(0).keys == 1);
    Meta meta;
    auto found = f.ks->LookupKey(0, "k", /*now_ms=*/200, &meta);
    REQUIRE(found.ok());
    CHECK(!*found);
    f.ks->Discard();  // undone (a cold read): no event, the key still stored
    CHECK(f.ks->counts(0).keys == 1);
    found = f.ks->LookupKey(0, "k", 200, &meta);
    REQUIRE(f.ks->Commit().ok());
    CHECK(r.notices == std::vector<std::string>{"new k", "expired k"});
    CHECK(f.ks->counts(0).keys == 0);
    CHECK(f.ks->TakeLazyExpired() == 1);
    CHECK(r.commits.back().back().kind == KeyChange::Kind::kExpired);
    f.ks->set_lazy_expire(false);  // while writes are refused: reads stage nothing
    REQUIRE(String::Put(f.Op(), "k2", "v", 100).ok());
    REQUIRE(f.ks->Commit().ok());
    found = f.ks->LookupKey(0, "k2", 200, &meta);
    CHECK(!f.ks->has_staged());
  }

  TEST_CASE("a commit publishes its changes in order; a discarded one publishes nothing") {
    Fixture f;
    Recorder r;
    f.ks->changes().Subscribe(&r);
    REQUIRE(String::Put(f.Op(), "a", "1").ok());
    std::string_view items[] = {"x"};
    REQUIRE(List::Push(f.Op(), "l", true, items, false).ok());
    REQUIRE(f.ks->DeleteKey(0, "a").ok());
    CHECK(r.commits.empty());  // nothing before the commit is durable
    REQUIRE(f.ks->Commit().ok());
    REQUIRE(r.commits.size() == 1);
    const auto& c = r.commits[0];
    REQUIRE(c.size() == 3);
    CHECK(c[0].key == DbKey{0, "a"});
    CHECK(c[0].kind == KeyChange::Kind::kWritten);
    CHECK(c[1].key == DbKey{0, "l"});
    CHECK(c[1].type == Type::kList);
    CHECK(c[2].kind == KeyChange::Kind::kDeleted);

    REQUIRE(String::Put(f.Op(), "b", "1").ok());
    f.ks->Discard();
    REQUIRE(f.ks->Commit().ok());
    CHECK(r.commits.size() == 1);

    r.on = false;  // nobody listening: nothing recorded
    REQUIRE(String::Put(f.Op(), "c", "1").ok());
    REQUIRE(f.ks->Commit().ok());
    CHECK(r.commits.size() == 1);
    f.ks->changes().Unsubscribe(&r);
  }

  TEST_CASE("FLUSHDB and SWAPDB report the keys of interest they change") {
    Fixture f;
    Recorder r;
    r.keys = {"here", "absent"};
    f.ks->changes().Subscribe(&r);
    REQUIRE(String::Put(f.Op(), "here", "1").ok());
    REQUIRE(String::Put(f.Op(1), "absent", "in db 1").ok());
    REQUIRE(f.ks->Commit().ok());
    r.commits.clear();
    f.ks->SwapDb(0, 1);
    REQUIRE(f.ks->Commit().ok());
    REQUIRE(r.commits.size() == 1);
    REQUIRE(r.commits[0].size() == 2);
    CHECK(r.commits[0][0].key == DbKey{0, "here"});
    CHECK(r.commits[0][0].kind == KeyChange::Kind::kDeleted);  // db 0 is db 1 now
    CHECK(r.commits[0][1].key == DbKey{0, "absent"});
    CHECK(r.commits[0][1].kind == KeyChange::Kind::kWritten);
    r.commits.clear();
    f.ks->FlushDb(0);  // only "absent" exists in db 0 now
    REQUIRE(f.ks->Commit().ok());
    REQUIRE(r.commits.size() == 1);
    REQUIRE(r.commits[0].size() == 1);
    CHECK(r.commits[0][0].key == DbKey{0, "absent"});
    f.ks->changes().Unsubscribe(&r);
  }

  TEST_CASE("WATCH: a watched key is dirty once a commit changes it, per client") {
    Fixture f;
    WatchedKeys w;
    f.ks->changes().Subscribe(&w);
    CHECK(w.Watch(1, 0, "k", false));
    CHECK_FALSE(w.Watch(1, 0, "k", false));
    CHECK(w.Watch(2, 0, "other", false));
    CHECK(w.Watch(3, 1, "k", false));  // another database
    REQUIRE(String::Put(f.Op(), "k", "v").ok());
    CHECK_FALSE(w.Dirty(1));  // staged only
    REQUIRE(f.ks->Commit().ok());
    CHECK(w.Dirty(1));
    CHECK_FALSE(w.Dirty(2));
    CHECK_FALSE(w.Dirty(3));
    w.UnwatchAll(1);
    CHECK_FALSE(w.Dirty(1));
    CHECK(w.KeysOf(1).empty());
    f.ks->FlushDb(0);  // "other" does not exist: not touched, as Redis
    REQUIRE(f.ks->Commit().ok());
    CHECK_FALSE(w.Dirty(2));
    f.ks->changes().Unsubscribe(&w);
  }
}

}  // namespace strata::types
