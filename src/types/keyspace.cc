#include "types/keyspace.h"

#include <algorithm>
#include <chrono>

#include "strata/coding.h"

namespace strata::types {
namespace {

const std::string kDbTableKey(1, kDbTableTag);
const std::string kVersionKey(1, kVersionTag);
constexpr uint64_t kVersionBlock = 1 << 20;

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// ---- Keyspace ------------------------------------------------------------------------------

Keyspace::Keyspace(DB* db, int databases, std::shared_ptr<LiveNamespaces> live)
    : db_(db), databases_(databases), access_(WallClockMs()), live_(std::move(live)) {}

Status Keyspace::Open() {
  std::string raw;
  auto found = db_->Get(ReadOptions(), kDbTableKey, &raw);
  if (!found.ok()) return found.status();
  dbs_.clear();
  if (*found) {
    if (raw.size() < 4 || raw.size() % 4 != 0) {
      return Status::Corruption("undecodable database table");
    }
    next_ns_ = DecodeFixed32(raw.data());
    for (size_t off = 4; off < raw.size(); off += 4) {
      dbs_.push_back(DbState{.ns = DecodeFixed32(raw.data() + off)});
    }
  }
  // A new database, or more databases configured than last time: fresh namespaces.
  while (dbs_.size() < static_cast<size_t>(databases_)) {
    dbs_.push_back(DbState{.ns = next_ns_++});
    table_dirty_ = true;
  }
  auto ceiling = db_->Get(ReadOptions(), kVersionKey, &raw);
  if (!ceiling.ok()) return ceiling.status();
  if (*ceiling && raw.size() == 8) next_version_ = DecodeFixed64(raw.data());
  version_ceiling_ = committed_ceiling_ = next_version_;
  {
    std::vector<uint64_t> dead;
    std::string lower(1, kDeadVersionTag), upper(1, kDeadVersionTag + 1);
    ReadOptions options;
    options.lower_bound = lower;
    options.upper_bound = upper;
    auto it = db_->NewIterator(options);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != 9) continue;
      uint64_t version = DecodeBigEndian64(it->key().data() + 1);
      std::string_view range = it->value(), begin, end;
      if (range.empty()) {
        dead.push_back(version);
      } else if (GetLengthPrefixed(&range, &begin) && GetLengthPrefixed(&range, &end)) {
        dead_ranges_[version] = {std::string(begin), std::string(end)};
        live_->SetDeadRange(version, std::string(begin), std::string(end));
      } else {
        return Status::Corruption("dead element range does not decode");
      }
    }
    if (!it->status().ok()) return it->status();
    live_->AddDeadVersions(dead);
  }
  if (Status s = LoadCounts(); !s.ok()) return s;
  committed_next_ns_ = next_ns_;
  if (table_dirty_) {
    if (Status s = Commit(); !s.ok()) return s;
  }
  PublishNamespaces();
  return SaveCounts();
}

void Keyspace::PublishNamespaces() {
  std::vector<Namespace> live;
  for (const DbState& d : dbs_) live.push_back(d.ns);
  live_->Set(std::move(live), next_ns_);
}

int Keyspace::DbOfNamespace(Namespace ns) const {
  for (size_t i = 0; i < dbs_.size(); ++i) {
    if (dbs_[i].ns == ns) return static_cast<int>(i);
  }
  return -1;
}

Result<bool> Keyspace::GetRaw(const std::string& key, std::string_view* value) {
  if (!overlay_.empty()) {
    auto it = overlay_.find(key);
    if (it != overlay_.end()) {
      if (!it->second) return false;
      *value = *it->second;
      return true;
    }
  }
  ReadOptions options;
  options.cache_only = cache_only_;
  options.check_resident = check_resident_;
  auto found = db_->Get(options, key, &value_buf_);
  if (!found.ok()) {
    if (found.status().IsIncomplete()) missed_.push_back(key);
    return found.status();
  }
  *value = value_buf_;
  return *found;
}

Result<bool> Keyspace::FindKey(int db, std::string_view key, Meta* meta) {
  EncodeMetaKey(&key_buf_, dbs_[db].ns, key);
  std::string_view raw;
  auto found = GetRaw(key_buf_, &raw);
  if (!found.ok()) return found.status();
  if (*found && !DecodeMeta(raw, meta)) {
    return Status::Corruption("undecodable metadata for a key in db " + std::to_string(db));
  }
  probe_key_ = key_buf_;
  probe_ = Probe{};
  if (*found) {
    bool collection = IsCollection(meta->type);
    probe_ = Probe{.present = true,
                   .expire_ms = meta->expire_ms,
                   .type = meta->type,
                   .version = collection ? PayloadVersion(meta->payload) : 0,
                   .size = collection ? PayloadSize(meta->payload) : 0,
                   .charge = KeyCharge(key, *meta)};
  }
  probe_valid_ = true;
  return *found;
}

Result<bool> Keyspace::LookupKey(int db, std::string_view key, int64_t now_ms, Meta* meta) {
  auto found = FindKey(db, key, meta);
  if (found.ok() && *found && meta->expired(now_ms)) {
    found = false;
    if (lazy_expire_) {
      auto removed = RemoveKey(db, key, true, KeyChange::Kind::kExpired);
      if (!removed.ok()) return removed.status();
      lazy_staged_++;
      Notify(kNotifyExpired, "expired", db, key);
    }
  }
  if (!found.ok()) return found;
  if (!*found) {
    if (read_command_) Notify(kNotifyKeyMiss, "keymiss", db, key);
    return false;
  }
  if (touch_) access_.Touch(dbs_[db].ns, key, touch_now_ms_, meta->expire_ms != 0);
  return true;
}

std::unique_ptr<Iterator> Keyspace::NewIterator(std::string lower, std::string upper) {
  return NewStagedIterator(db_, &overlay_, std::move(lower), std::move(upper));
}

Result<Keyspace::Probe> Keyspace::ProbeKey(int db, std::string_view key) {
  EncodeMetaKey(&key_buf_, dbs_[db].ns, key);
  if (probe_valid_ && probe_key_ == key_buf_) return probe_;
  Meta meta;
  auto found = FindKey(db, key, &meta);
  if (!found.ok()) return found.status();
  return probe_;
}

Keyspace::DbState& Keyspace::Modify(int db) {
  bool saved = false;
  for (const auto& [i, state] : undo_) saved |= i == db;
  if (!saved) undo_.emplace_back(db, dbs_[db]);
  return dbs_[db];
}

void Keyspace::Stage(std::string key, std::optional<std::string> value) {
  overlay_.insert_or_assign(std::move(key), std::move(value));
}

void Keyspace::MarkDead(const Probe& probe, Namespace ns) {
  if (!IsCollection(probe.type) || probe.version == 0) return;
  dead_versions_.push_back(probe.version);
  Stage(DeadVersionKey(probe.version), std::string());
  // A big collection's space should come back without waiting for new writes to push
  // compactions through its range.
  constexpr uint64_t kReclaimSize = 4096;
  if (probe.size >= kReclaimSize) {
    Reclaim(kSubkeyTag, ns, probe.version, false);
    if (probe.type == Type::kZSet) Reclaim(kScoreTag, ns, probe.version, false);
  }
}

void Keyspace::DropElementRange(int db, uint64_t version, std::string begin, std::string end,
                                uint64_t count) {
  if (count > 0) ElementBytesOf(version).unknown += count;
  std::string record;
  PutLengthPrefixed(&record, begin);
  PutLengthPrefixed(&record, end);
  Stage(DeadVersionKey(version), std::move(record));
  std::string prefix = ElementPrefix(kSubkeyTag, dbs_[db].ns, version);
  reclaim_.emplace_back(prefix + begin, prefix + end);
  staged_ranges_.emplace_back(version, ElementRange(std::move(begin), std::move(end)));
}

const std::pair<std::string, std::string>* Keyspace::DeadRange(uint64_t version) const {
  for (auto it = staged_ranges_.rbegin(); it != staged_ranges_.rend(); ++it) {
    if (it->first == version) return &it->second;
  }
  if (dead_ranges_.empty()) return nullptr;
  auto it = dead_ranges_.find(version);
  return it == dead_ranges_.end() ? nullptr : &it->second;
}

void Keyspace::Reclaim(char tag, Namespace ns, uint64_t version, bool whole_namespace) {
  std::string begin(1, tag);
  PutBigEndian32(&begin, ns);
  if (!whole_namespace) PutBigEndian64(&begin, version);
  reclaim_.emplace_back(begin, PrefixSuccessor(begin));
}

uint64_t Keyspace::NewVersion() {
  if (next_version_ >= version_ceiling_) {
    version_ceiling_ = next_version_ + kVersionBlock;
    std::string raw;
    PutFixed64(&raw, version_ceiling_);
    Stage(kVersionKey, raw);  // saved with the first write that uses the block
  }
  return next_version_++;
}

Result<bool> Keyspace::GetElement(const std::string& key, std::string* value) {
  std::string_view raw;
  auto found = GetRaw(key, &raw);
  if (!found.ok() || !*found) return found;
  value->assign(raw);
  return true;
}

namespace {

uint64_t VersionOf(const std::string& element_key) {
  Namespace ns;
  uint64_t version = 0;
  ElementOwner(element_key, &ns, &version);
  return version;
}

}  // namespace

ElementBytesChange& Keyspace::ElementBytesOf(uint64_t version) {
  for (auto& [v, change] : element_bytes_) {
    if (v == version) return change;
  }
  return element_bytes_.emplace_back(version, ElementBytesChange{}).second;
}

void Keyspace::PutElement(const std::string& key, std::string_view value, int64_t replaces) {
  if (replaces != kUncounted) {
    ElementBytesChange& change = ElementBytesOf(VersionOf(key));
    change.delta += static_cast<int64_t>(key.size() + value.size());
    if (replaces >= 0) change.delta -= static_cast<int64_t>(key.size()) + replaces;
    if (replaces == kUnknownElement) change.unknown++;
  }
  Stage(key, std::string(value));
}

void Keyspace::DeleteElement(const std::string& key, int64_t removes) {
  if (removes != kUncounted && removes != kNewElement) {
    ElementBytesChange& change = ElementBytesOf(VersionOf(key));
    if (removes >= 0) change.delta -= static_cast<int64_t>(key.size()) + removes;
    if (removes == kUnknownElement) change.unknown++;
  }
  Stage(key, std::nullopt);
}

ElementBytesChange Keyspace::TakeElementBytes(uint64_t version) {
  for (auto it = element_bytes_.begin(); it != element_bytes_.end(); ++it) {
    if (it->first == version) {
      ElementBytesChange change = it->second;
      element_bytes_.erase(it);
      return change;
    }
  }
  return {};
}

Status Keyspace::PutKey(int db, std::string_view key, Type type, int64_t expire_ms,
                        std::string_view payload, uint64_t element_bytes) {
  auto probe = ProbeKey(db, key);
  if (!probe.ok()) return probe.status();
  if (touch_) {
    access_.Touch(dbs_[db].ns, key, touch_now_ms_, expire_ms != 0);
  } else {
    access_.Written(dbs_[db].ns, key, touch_now_ms_ != 0 ? touch_now_ms_ : WallClockMs(),
                    expire_ms != 0);
  }
  DbState& d = Modify(db);
  KeyCounts& c = d.counts;
  if (!probe->present) {
    c.keys++;
    if (notify_classes_ & kNotifyNew) created_.push_back(DbKey{db, std::string(key)});
  }
  if (probe->expire_ms != expire_ms) {
    if (probe->expire_ms != 0) {
      c.expires--;
      c.expire_sum_ms -= probe->expire_ms;
      EncodeExpireKey(&meta_buf_, probe->expire_ms, d.ns, key);
      Stage(meta_buf_, std::nullopt);
    }
    if (expire_ms != 0) {
      c.expires++;
      c.expire_sum_ms += expire_ms;
      EncodeExpireKey(&meta_buf_, expire_ms, d.ns, key);
      Stage(meta_buf_, std::string());
      expire_cursor_ms_ = std::min(expire_cursor_ms_, expire_ms);
    }
  }
  Meta stored{.type = type,
              .expire_ms = expire_ms,
              .payload = payload,
              .element_bytes = IsCollection(type) ? element_bytes : 0};
  uint64_t charge = KeyCharge(key, stored);
  c.bytes +=
      static_cast<int64_t>(charge) - static_cast<int64_t>(probe->present ? probe->charge : 0);
  d.counts_dirty = counts_dirty_ = true;
  uint64_t version = IsCollection(type) ? PayloadVersion(payload) : 0;
  if (probe->present && (probe->type != type || probe->version != version)) {
    MarkDead(*probe, d.ns);
  }
  EncodeMetaKey(&key_buf_, d.ns, key);
  EncodeMeta(&meta_buf_, type, expire_ms, payload, stored.element_bytes);
  Stage(key_buf_, meta_buf_);
  probe_key_ = key_buf_;
  probe_ = Probe{.present = true,
                 .expire_ms = expire_ms,
                 .type = type,
                 .version = version,
                 .size = IsCollection(type) ? PayloadSize(payload) : 0,
                 .charge = charge};
  probe_valid_ = true;
  if (changes_.active()) changes_.Record(db, key, KeyChange::Kind::kWritten, type);
  return Status::OK();
}

uint64_t Keyspace::dataset_bytes() const {
  int64_t sum = 0;
  for (const DbState& d : dbs_) sum += d.counts.bytes;
  return static_cast<uint64_t>(std::max<int64_t>(sum, 0));
}

Result<bool> Keyspace::DeleteKey(int db, std::string_view key, bool drop_elements) {
  return RemoveKey(db, key, drop_elements, KeyChange::Kind::kDeleted);
}

Result<bool> Keyspace::EvictKey(int db, std::string_view key) {
  return RemoveKey(db, key, true, KeyChange::Kind::kEvicted);
}

Result<bool> Keyspace::RemoveKey(int db, std::string_view key, bool drop_elements,
                                 KeyChange::Kind kind) {
  auto probe = ProbeKey(db, key);
  if (!probe.ok()) return probe.status();
  if (!probe->present) return false;
  DbState& d = Modify(db);
  access_.Forget(d.ns, key);
  if (drop_elements) MarkDead(*probe, d.ns);
  d.counts.keys--;
  d.counts.bytes -= static_cast<int64_t>(probe->charge);
  if (probe->expire_ms != 0) {
    d.counts.expires--;
    d.counts.expire_sum_ms -= probe->expire_ms;
    EncodeExpireKey(&meta_buf_, probe->expire_ms, d.ns, key);
    Stage(meta_buf_, std::nullopt);
  }
  d.counts_dirty = counts_dirty_ = true;
  EncodeMetaKey(&key_buf_, d.ns, key);
  Stage(key_buf_, std::nullopt);
  probe_key_ = key_buf_;
  probe_ = Probe{};
  probe_valid_ = true;
  if (changes_.active()) changes_.Record(db, key, kind);
  return true;
}

void Keyspace::FlushDb(int db) {
  // The keys of interest that exist are deleted by the flush (Redis touches only those).
  if (changes_.active()) {
    for (const std::string& key : changes_.KeysOfInterest(db)) {
      Meta meta;
      auto found = FindKey(db, key, &meta);
      if (!found.ok() || *found) changes_.Record(db, key, KeyChange::Kind::kDeleted);
    }
  }
  if (dbs_[db].counts.keys > 0) {
    for (char tag : {kMetaTag, kSubkeyTag, kScoreTag}) Reclaim(tag, dbs_[db].ns, 0, true);
  }
  Modify(db) = DbState{.ns = next_ns_++};
  table_dirty_ = true;
  probe_valid_ = false;
}

void Keyspace::SwapDb(int a, int b) {
  std::swap(Modify(a), Modify(b));
  table_dirty_ = true;
  probe_valid_ = false;
  // Every key of interest in either database now holds what the other one held.
  if (!changes_.active()) return;
  for (int db : {a, b}) {
    for (const std::string& key : changes_.KeysOfInterest(db)) {
      Meta meta;
      auto found = FindKey(db, key, &meta);
      if (found.ok() && *found) {
        changes_.Record(db, key, KeyChange::Kind::kWritten, meta.type);
      } else {
        changes_.Record(db, key, KeyChange::Kind::kDeleted);
      }
    }
  }
}

namespace {

// Removes key from keys; true when it was there.
bool TakeKey(std::vector<DbKey>* keys, int db, std::string_view key) {
  for (auto it = keys->begin(); it != keys->end(); ++it) {
    if (it->db == db && it->key == key) {
      keys->erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace

void Keyspace::Notify(uint32_t cls, std::string_view event, int db, std::string_view key) {
  auto stage = [&](std::string_view name) {
    changes_.Stage(Notice{Notice::Kind::kKeyEvent, db, std::string(name), std::string(key)});
  };
  if (!created_.empty() && TakeKey(&created_, db, key)) stage("new");
  if (notify_classes_ & cls) stage(event);
  if (!emptied_.empty() && TakeKey(&emptied_, db, key)) stage("del");
}

Status Keyspace::Commit() {
  for (const DbKey& k : std::exchange(created_, {})) Notify(kNotifyNew, "new", k.db, k.key);
  for (const DbKey& k : std::exchange(emptied_, {})) Notify(kNotifyGeneric, "del", k.db, k.key);
  if (overlay_.empty() && !table_dirty_) {  // nothing to write: notices only
    changes_.Publish();
    return Status::OK();
  }
  WriteBatch& batch = batch_;  // reused: keeps its buffer
  batch.Clear();
  for (const auto& [key, value] : overlay_) {
    if (value) {
      batch.Put(key, *value);
    } else {
      batch.Delete(key);
    }
  }
  if (table_dirty_) {
    std::string table;
    PutFixed32(&table, next_ns_);
    for (const DbState& d : dbs_) PutFixed32(&table, d.ns);
    batch.Put(kDbTableKey, table);
  }
  Status s = db_->Write(WriteOptions(), &batch);
  if (!s.ok()) {
    Discard();
    return s;
  }
  overlay_.clear();
  undo_.clear();
  committed_next_ns_ = next_ns_;
  committed_ceiling_ = version_ceiling_;
  for (auto& [version, range] : staged_ranges_) {
    live_->SetDeadRange(version, range.first, range.second);
    dead_ranges_[version] = std::move(range);
  }
  staged_ranges_.clear();
  if (!dead_versions_.empty()) {
    live_->AddDeadVersions(dead_versions_);  // a dead version's range goes with it
    for (uint64_t v : dead_versions_) dead_ranges_.erase(v);
    dead_versions_.clear();
  }
  if (table_dirty_) {
    table_dirty_ = false;
    PublishNamespaces();
  }
  // After the filter knows what is dead.
  for (const auto& [begin, end] : reclaim_) db_->CompactRangeInBackground(begin, end);
  reclaim_.clear();
  element_bytes_.clear();
  lazy_expired_ += std::exchange(lazy_staged_, 0);
  changes_.Publish();
  return Status::OK();
}

void Keyspace::Discard() {
  lazy_staged_ = 0;
  overlay_.clear();
  created_.clear();
  emptied_.clear();
  changes_.Drop();
  missed_.clear();
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) dbs_[it->first] = it->second;
  undo_.clear();
  next_ns_ = committed_next_ns_;
  version_ceiling_ = committed_ceiling_;
  if (next_version_ > version_ceiling_) next_version_ = version_ceiling_;  // never saved
  dead_versions_.clear();
  staged_ranges_.clear();
  reclaim_.clear();
  element_bytes_.clear();
  table_dirty_ = false;
  counts_dirty_ = false;
  for (const DbState& d : dbs_) counts_dirty_ |= d.counts_dirty;
  probe_valid_ = false;
  pop_gaps_.Clear();
}

}  // namespace strata::types
