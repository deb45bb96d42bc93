// Keyspace: Redis keys on the engine (layout in types/encoding.h). Loop thread only.
//
// Writes are staged: commands call Put/Delete/FlushDb/SwapDb, reads see what is staged, and
// Commit turns everything staged into one engine write batch (one WAL record). The server
// commits after each command, and once for a whole MULTI/EXEC, so a transaction is all or
// nothing after a crash.
//
// Key counts per database (DBSIZE, INFO keyspace) and the bytes the keys take (KeyCharge:
// used_memory_dataset, maxmemory) are kept exact: every write knows whether
// the key was there (the lookup that preceded it is remembered). A key counts until it is
// removed, expired or not — as in Redis, where an expired key counts until lazy or active
// expiry removes it. The counts are saved once per loop turn (SaveCounts, just before the
// turn's log bytes are written), stamped with the sequence number they are exact at; when
// the database opens at a later sequence (a crash cut the turn short), the keys are counted
// again by scanning the live namespaces.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "strata/db.h"
#include "types/change_feed.h"
#include "types/collection.h"
#include "types/encoding.h"
#include "types/key_access.h"
#include "types/live_namespaces.h"
#include "types/pop_gaps.h"
#include "types/staged_iterator.h"

namespace strata::types {

struct KeyCounts {
  int64_t keys = 0;
  int64_t expires = 0;
  __int128 expire_sum_ms = 0;  // sum of the absolute expiry times, for avg_ttl
  int64_t bytes = 0;           // sum of the keys' KeyCharge (types/encoding.h)
};

// What an element write replaces (PutElement) or a delete removes (DeleteElement), for the
// collection's element bytes: the size of that element's value when the caller read it,
// kNewElement when there was none, kUnknownElement when the caller did not read it (it is
// taken to be the collection's average element), kUncounted for records that are not
// elements (a stream's consumer groups, function libraries).
constexpr int64_t kNewElement = -1, kUnknownElement = -2, kUncounted = -3;

// The change staged to one collection's element bytes: delta, then `unknown` elements of
// average size gone.
struct ElementBytesChange {
  int64_t delta = 0;
  uint64_t unknown = 0;
};

class Keyspace {
 public:
  Keyspace(DB* db, int databases, std::shared_ptr<LiveNamespaces> live);

  // Loads (or creates) the database table and the key counts.
  Status Open();

  DB& db() { return *db_; }
  int databases() const { return databases_; }
  // True when Open had to count the keys again (the saved counts were not current).
  bool recounted() const { return recounted_; }
  Namespace ns(int db) const { return dbs_[db].ns; }
  // The database ns belongs to; -1 when none does (a flushed namespace).
  int DbOfNamespace(Namespace ns) const;
  const KeyCounts& counts(int db) const { return dbs_[db].counts; }
  // What every key counts toward maxmemory, summed (KeyCounts::bytes), staged writes included.
  uint64_t dataset_bytes() const;

  // ---- Reads: see every write staged since the last Commit.

  // Finds a live key. false when absent or expired; Corruption when the stored bytes do not
  // decode. meta->payload is valid until the next call on the keyspace.
  Result<bool> LookupKey(int db, std::string_view key, int64_t now_ms, Meta* meta);
  // Like LookupKey, but finds a key that is stored even if it has expired.
  Result<bool> FindKey(int db, std::string_view key, Meta* meta);
  // Iterates engine keys in [lower, upper) including staged writes. Staged writes made while
  // it is open are not guaranteed to be seen.
  std::unique_ptr<Iterator> NewIterator(std::string lower, std::string upper);

  // ---- Access times and frequencies (types/key_access.h). While touching is on, a live key
  // that LookupKey finds or PutKey writes is touched at now_ms; the dispatcher turns it off
  // for the commands that must not touch (TYPE, EXISTS, TTL, OBJECT ...). A key written is
  // tracked either way; a key removed is forgotten.
  void set_touch(bool on, int64_t now_ms) {
    touch_ = on;
    touch_now_ms_ = now_ms;
  }
  KeyAccess& access() { return access_; }
  const KeyAccess& access() const { return access_; }

  // ---- Writes, staged until Commit.

  // Replaces whatever key held. element_bytes: a collection's (Meta::element_bytes).
  Status PutKey(int db, std::string_view key, Type type, int64_t expire_ms,
                std::string_view payload, uint64_t element_bytes = 0);
  // Removes key; true when it was stored (expired or not). A collection's elements become
  // garbage, unless drop_elements is false: the command deleted them all already, or they
  // now belong to another key (RENAME).
  Result<bool> DeleteKey(int db, std::string_view key, bool drop_elements = true);
  Result<bool> EvictKey(int db, std::string_view key);  // DeleteKey, seen as an eviction

  // A fresh collection version (never handed out before, even across restarts).
  uint64_t NewVersion();
  // Element keys (types/collection.h: a collection's fields, members, items, score index),
  // read and written as they are: the type's file keeps its metadata in step.
  // Each write stages the change to its collection's element bytes (see kNewElement), which
  // SaveCollection takes (TakeElementBytes) into the metadata it writes.
  Result<bool> GetElement(const std::string& key, std::string* value);
  void PutElement(const std::string& key, std::string_view value, int64_t replaces);
  void DeleteElement(const std::string& key, int64_t removes);
  ElementBytesChange TakeElementBytes(uint64_t version);
  // Makes the elements of db's collection `version` whose suffixes are in [begin, end)
  // garbage at once, however many there are (a stream's trimmed entries): the type never
  // reads there again, compaction drops them, and the range is compacted in the background.
  // A later range of the version replaces this one, so it must cover it. count: how many
  // live elements that drops (for the element bytes).
  void DropElementRange(int db, uint64_t version, std::string begin, std::string end,
                        uint64_t count);
  // The range of version's elements that is garbage (staged or committed); nullptr: none.
  const std::pair<std::string, std::string>* DeadRange(uint64_t version) const;
  // Empties db in O(1): it gets a fresh namespace.
  void FlushDb(int db);
  void SwapDb(int a, int b);

  // Writes, or notices (below), staged.
  bool has_staged() const { return !overlay_.empty() || table_dirty_ || changes_.has_notices(); }
  // Writes everything staged as one batch. On failure nothing staged is applied.
  Status Commit();
  // Drops everything staged.
  void Discard();
  // Writes the counts changed since the last call (a no-op when none did).
  Status SaveCounts();

  // ---- What each commit changed, for WATCH, blocked clients and the like
  // (types/change_feed.h): published when the commit is durable, dropped when discarded.
  ChangeFeed& changes() { return changes_; }

  // ---- Keyspace events (notify-keyspace-events): the classes enabled (NotifyClass bits, 0:
  // none), set by the server. Notify stages the event when its class is on; the keyspace
  // itself sends "new" (a key created: just before the command's own event for it, as Redis
  // sends "new" then "lpush"), "expired" (a key deleted because its time came) and "keymiss"
  // (a read lookup that found nothing, while set_read_command is on).
  void set_notify_classes(uint32_t classes) { notify_classes_ = classes; }
  uint32_t notify_classes() const { return notify_classes_; }
  // A collection a command emptied is deleted: its "del" follows the command's own event for
  // the key (as Redis sends "lpop" then "del"). Both wait at most until the commit.
  void Notify(uint32_t cls, std::string_view event, int db, std::string_view key);
  void NoteEmptied(int db, std::string_view key) {
    if (notify_classes_ & kNotifyGeneric) emptied_.push_back(DbKey{db, std::string(key)});
  }
  void set_read_command(bool on) { read_command_ = on; }

  // ---- Lazy expiry: while on, a lookup that finds an expired key deletes it (as Redis's
  // lookups do), so it is sent as "expired" and counted; the server turns it off while the
  // engine refuses writes, when a read must not stage any.
  void set_lazy_expire(bool on) { lazy_expire_ = on; }
  // Keys expired by lookups since the last call (INFO's expired_keys adds them).
  uint64_t TakeLazyExpired() { return std::exchange(lazy_expired_, 0); }

  // ---- Cold reads (server/cold_reads.h): while cache_only is on, a point read (a key's
  // metadata, an element) whose blocks are not in memory fails with Incomplete instead of
  // waiting for the device, and its engine key is remembered: the server then drops the
  // command's work (Discard), reads the keys off the loop thread and runs the command again.
  void set_cache_only(bool on) { cache_only_ = on; }
  // Mapped tables: check that blocks read before are still resident (ReadOptions).
  void set_check_resident(bool on) { check_resident_ = on; }
  bool missed() const { return !missed_.empty(); }
  std::vector<std::string> TakeMissed() { return std::exchange(missed_, {}); }

  // ---- SPOP's memory of emptied member ranges (types/pop_gaps.h); Discard drops it.
  PopGaps& pop_gaps() { return pop_gaps_; }

  // ---- Active expiry: removes keys whose time has come, oldest first, until deadline_ns
  // (steady clock). Returns how many keys were removed.
  Result<size_t> ExpireCycle(int64_t now_ms, int64_t deadline_ns);

 private:
  struct DbState {
    Namespace ns = 0;
    KeyCounts counts;
    bool counts_dirty = false;  // changed since the last SaveCounts
  };
  // What is stored under a metadata key, remembered from the last read or write of it.
  struct Probe {
    bool present = false;
    int64_t expire_ms = 0;
    Type type = Type::kString;
    uint64_t version = 0, size = 0;  // collections
    uint64_t charge = 0;             // KeyCharge
  };

  // Reads an engine key (staged writes first). value_buf_ or the overlay holds the bytes.
  Result<bool> GetRaw(const std::string& key, std::string_view* value);
  Result<Probe> ProbeKey(int db, std::string_view key);
  void Stage(std::string key, std::optional<std::string> value);
  // dbs_[db], its committed state saved for Discard first.
  DbState& Modify(int db);
  void MarkDead(const Probe& probe, Namespace ns);
  // Asks the engine to compact a range that just became garbage (after the commit).
  void Reclaim(char tag, Namespace ns, uint64_t version, bool whole_namespace);
  Result<bool> RemoveKey(int db, std::string_view key, bool drop_elements, KeyChange::Kind kind);
  void PublishNamespaces();
  // key_counts.cc
  Status LoadCounts();
  Status Recount();

  DB* db_;
  int databases_;
  KeyAccess access_;
  bool touch_ = false;
  int64_t touch_now_ms_ = 0;
  std::shared_ptr<LiveNamespaces> live_;
  std::vector<DbState> dbs_;
  // The state of each database changed by staged writes, from before the change.
  std::vector<std::pair<int, DbState>> undo_;
  Namespace next_ns_ = 0, committed_next_ns_ = 0;
  bool table_dirty_ = false;
  bool counts_dirty_ = false;  // some committed counts are not saved yet
  uint64_t saved_at_seq_ = 0;  // the stamp of the last saved counts
  bool recounted_ = false;

  Overlay overlay_;
  WriteBatch batch_;
  ChangeFeed changes_;
  bool cache_only_ = false;
  bool check_resident_ = false;
  std::vector<std::string> missed_;  // engine keys a cache-only read could not find in memory

  // The last probed metadata key and its state (valid while probe_valid_).
  std::string probe_key_;
  Probe probe_;
  bool probe_valid_ = false;

  // Versions: next_version_ < version_ceiling_, which is saved before it is reached.
  uint64_t next_version_ = 1, version_ceiling_ = 0, committed_ceiling_ = 0;
  std::vector<uint64_t> dead_versions_;  // staged: collections deleted or overwritten
  using ElementRange = std::pair<std::string, std::string>;
  std::vector<std::pair<uint64_t, ElementRange>> staged_ranges_;  // DropElementRange
  std::unordered_map<uint64_t, ElementRange> dead_ranges_;        // committed
  std::vector<std::pair<std::string, std::string>> reclaim_;  // staged: ranges to compact
  std::vector<std::pair<uint64_t, ElementBytesChange>> element_bytes_;  // staged, by version
  ElementBytesChange& ElementBytesOf(uint64_t version);

  uint32_t notify_classes_ = 0;
  std::vector<DbKey> created_, emptied_;  // until their "new" and "del" are staged
  bool read_command_ = false;
  bool lazy_expire_ = true;
  uint64_t lazy_expired_ = 0, lazy_staged_ = 0;  // committed, and staged

  PopGaps pop_gaps_;
  int64_t expire_cursor_ms_ = 0;  // every index entry due before this was processed
  std::string key_buf_, value_buf_, meta_buf_;
};

}  // namespace strata::types
