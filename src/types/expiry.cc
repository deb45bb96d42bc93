// Active expiry: the expire index ('E' | at: 8 | ns | key, types/encoding.h) is walked in time
// order from a cursor, and each key whose time has come is deleted (with its elements) and
// committed in slices of 64, until the cycle's deadline.
#include <chrono>

#include "strata/coding.h"
#include "types/keyspace.h"

namespace strata::types {
namespace {

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<size_t> Keyspace::ExpireCycle(int64_t now_ms, int64_t deadline_ns) {
  size_t removed = 0;
  std::string upper = ExpireUpperBound(now_ms);
  while (true) {
    // Collect a slice of due entries, then act on them with the iterator closed.
    std::vector<std::string> due;
    {
      std::string lower(1, kExpireTag);
      PutBigEndian64(&lower, static_cast<uint64_t>(expire_cursor_ms_));
      ReadOptions options;
      options.lower_bound = lower;
      options.upper_bound = upper;
      auto it = db_->NewIterator(options);
      for (it->SeekToFirst(); it->Valid() && due.size() < 64; it->Next()) {
        due.emplace_back(it->key());
      }
      if (!it->status().ok()) return it->status();
    }
    if (due.empty()) return removed;
    for (const std::string& entry : due) {
      int64_t at;
      Namespace ns;
      std::string_view key;
      if (!DecodeExpireKey(entry, &at, &ns, &key)) {
        Stage(entry, std::nullopt);
        continue;
      }
      expire_cursor_ms_ = at;
      int db = DbOfNamespace(ns);
      Meta meta;
      if (db >= 0) {
        auto found = FindKey(db, key, &meta);
        if (!found.ok()) return found.status();
        if (*found && meta.expire_ms == at) {
          // Removes this index entry too.
          auto deleted = RemoveKey(db, key, true, KeyChange::Kind::kExpired);
          if (!deleted.ok()) return deleted.status();
          Notify(kNotifyExpired, "expired", db, key);
          removed++;
          continue;
        }
      }
      Stage(entry, std::nullopt);  // stale: the key changed or its database was flushed
    }
    if (Status s = Commit(); !s.ok()) return s;
    if (SteadyNs() >= deadline_ns) return removed;
  }
}

}  // namespace strata::types
