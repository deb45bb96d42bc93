#include "engine/version_set.h"

#include <algorithm>
#include <cstdio>

#include "strata/coding.h"
#include "engine/crash_point.h"
#include "engine/wal_reader.h"

namespace strata {
namespace {

std::string ManifestName(uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "MANIFEST-%06llu", static_cast<unsigned long long>(number));
  return name;
}

bool Overlaps(const FileMeta& f, std::string_view smallest, std::string_view largest) {
  return CompareUserKey(f.largest, smallest) >= 0 && CompareUserKey(f.smallest, largest) <= 0;
}

// Iterates the files of one level >= 1 in key order, opening each table when reached.
class LevelIterator final : public InternalIterator {
 public:
  LevelIterator(TableCache* cache, Version::Files files, bool fill_cache)
      : cache_(cache), files_(std::move(files)), fill_cache_(fill_cache) {}

  bool Valid() const override { return table_ != nullptr && table_->Valid(); }
  std::string_view user_key() const override { return table_->user_key(); }
  uint64_t trailer() const override { return table_->trailer(); }
  std::string_view value() const override { return table_->value(); }
  Status status() const override {
    if (!status_.ok()) return status_;
    return table_ != nullptr ? table_->status() : Status::OK();
  }

  void SeekToFirst() override {
    if (Open(0)) table_->SeekToFirst();
    SkipForward();
  }
  void SeekToLast() override {
    if (Open(files_.size() - 1)) table_->SeekToLast();
    SkipBackward();
  }
  void Seek(std::string_view key, uint64_t trailer) override {
    if (Open(FirstFileEndingAtOrAfter(key))) table_->Seek(key, trailer);
    SkipForward();
  }
  void SeekForPrev(std::string_view key, uint64_t trailer) override {
    size_t i = FirstFileEndingAtOrAfter(key);
    if (i == files_.size()) return SeekToLast();
    if (Open(i)) table_->SeekForPrev(key, trailer);
    SkipBackward();
  }
  void Next() override {
    table_->Next();
    SkipForward();
  }
  void Prev() override {
    table_->Prev();
    SkipBackward();
  }

 private:
  size_t FirstFileEndingAtOrAfter(std::string_view key) const {
    auto it = std::lower_bound(files_.begin(), files_.end(), key, [](const auto& f, auto k) {
      return CompareUserKey(f->largest, k) < 0;
    });
    return static_cast<size_t>(it - files_.begin());
  }

  bool Open(size_t i) {
    table_.reset();
    index_ = i;
    if (i >= files_.size()) return false;
    auto t = cache_->Get(files_[i]->number);
    if (!t.ok()) {
      status_ = t.status();
      return false;
    }
    table_ = Table::NewIterator(std::move(*t), fill_cache_);
    return true;
  }

  bool Stuck() const { return !status_.ok() || (table_ != nullptr && !table_->status().ok()); }

  void SkipForward() {
    while (table_ != nullptr && !table_->Valid() && !Stuck()) {
      if (!Open(index_ + 1)) return;
      table_->SeekToFirst();
    }
  }
  void SkipBackward() {
    while (table_ != nullptr && !table_->Valid() && !Stuck()) {
      if (index_ == 0) {
        table_.reset();
        return;
      }
      if (!Open(index_ - 1)) return;
      table_->SeekToLast();
    }
  }

  TableCache* cache_;
  Version::Files files_;
  const bool fill_cache_;
  size_t index_ = 0;
  std::unique_ptr<InternalIterator> table_;
  Status status_;
};

}  // namespace

std::unique_ptr<InternalIterator> NewFilesIterator(TableCache* cache, Version::Files files,
                                                   bool fill_cache) {
  return std::make_unique<LevelIterator>(cache, std::move(files), fill_cache);
}

uint64_t Version::LevelBytes(int level) const {
  uint64_t sum = 0;
  for (const auto& f : files_[level]) sum += f->size;
  return sum;
}

size_t Version::NumFiles() const {
  size_t n = 0;
  for (const auto& level : files_) n += level.size();
  return n;
}

Version::Files Version::Overlapping(int level, std::string_view smallest,
                                    std::string_view largest) const {
  Files out;
  for (const auto& f : files_[level]) {
    if (Overlaps(*f, smallest, largest)) out.push_back(f);
  }
  return out;
}

Result<Version::LookupResult> Version::Get(TableCache* cache, std::string_view key,
                                           SequenceNumber seq, std::string* value,
                                           CacheOnly cache_only) const {
  auto probe = [&](const FileMeta& f) -> Result<LookupResult> {
    auto table = cache->Get(f.number, cache_only != CacheOnly::kNo);
    if (!table.ok()) return table.status();
    auto r = (*table)->Get(key, seq, value, cache_only);
    if (!r.ok()) return r.status();
    switch (*r) {
      case Table::LookupResult::kFound: return LookupResult::kFound;
      case Table::LookupResult::kDeleted: return LookupResult::kDeleted;
      case Table::LookupResult::kNotFound: return LookupResult::kNotFound;
    }
    return LookupResult::kNotFound;
  };
  for (const auto& f : files_[0]) {  // newest first
    if (!Overlaps(*f, key, key)) continue;
    auto r = probe(*f);
    if (!r.ok() || *r != LookupResult::kNotFound) return r;
  }
  for (int level = 1; level < kNumLevels; ++level) {
    const Files& files = files_[level];
    auto it = std::lower_bound(files.begin(), files.end(), key, [](const auto& f, auto k) {
      return CompareUserKey(f->largest, k) < 0;
    });
    if (it == files.end() || CompareUserKey((*it)->smallest, key) > 0) continue;
    auto r = probe(**it);
    if (!r.ok() || *r != LookupResult::kNotFound) return r;
  }
  return LookupResult::kNotFound;
}

void Version::AddIterators(TableCache* cache,
                           std::vector<std::unique_ptr<InternalIterator>>* out) const {
  for (const auto& f : files_[0]) {
    out->push_back(NewFilesIterator(cache, Files{f}));
  }
  for (int level = 1; level < kNumLevels; ++level) {
    if (!files_[level].empty()) out->push_back(NewFilesIterator(cache, files_[level]));
  }
}

std::shared_ptr<Version> VersionSet::Apply(const Version& base, const VersionEdit& edit) const {
  auto v = std::make_shared<Version>(base);
  for (const auto& [level, number] : edit.deleted_files) {
    auto& files = v->files_[level];
    files.erase(std::remove_if(files.begin(), files.end(),
                               [n = number](const auto& f) { return f->number == n; }),
                files.end());
  }
  for (const auto& [level, meta] : edit.new_files) {
    v->files_[level].push_back(std::make_shared<const FileMeta>(meta));
  }
  // L0 newest (highest number) first; deeper levels by key.
  std::sort(v->files_[0].begin(), v->files_[0].end(),
            [](const auto& a, const auto& b) { return a->number > b->number; });
  for (int level = 1; level < kNumLevels; ++level) {
    std::sort(v->files_[level].begin(), v->files_[level].end(), [](const auto& a, const auto& b) {
      return CompareUserKey(a->smallest, b->smallest) < 0;
    });
  }
  return v;
}

Status VersionSet::Recover(bool* existed) {
  *existed = false;
  std::string current;
  Status s = env_->ReadFile(dir_ + "/CURRENT", &current);
  if (s.ok()) {
    *existed = true;
    if (current.empty() || current.back() != '\n') {
      return Status::Corruption(dir_ + "/CURRENT: not terminated by a newline");
    }
    current.pop_back();
    std::string manifest_path = dir_ + "/" + current;
    std::string contents;
    s = env_->ReadFile(manifest_path, &contents);
    if (!s.ok()) return s;
    WalReader reader(contents);
    std::string_view record;
    std::shared_ptr<Version> v = std::make_shared<Version>();
    while (reader.ReadRecord(&record)) {
      VersionEdit edit;
      s = edit.DecodeFrom(record);
      if (!s.ok()) {
        return Status::Corruption(manifest_path + " at offset " +
                                  std::to_string(reader.good_offset()) + ": " +
                                  std::string(s.message()));
      }
      v = Apply(*v, edit);
      if (edit.log_number) log_number_ = *edit.log_number;
      if (edit.next_file_number) MarkFileNumberUsed(*edit.next_file_number - 1);
      if (edit.last_sequence) last_sequence_ = *edit.last_sequence;
    }
    // A torn last record is an edit that never completed: its files are unreferenced and
    // get deleted. A damaged record with more data after it is corruption.
    if (!reader.error().empty()) {
      uint64_t at = reader.good_offset();
      uint64_t declared_end = contents.size();
      if (contents.size() - at >= 8) {
        declared_end = at + 8 + DecodeFixed32(contents.data() + at + 4);
      }
      if (declared_end < contents.size()) {
        return Status::Corruption(manifest_path + " at offset " + std::to_string(at) + ": " +
                                  reader.error());
      }
    }
    current_ = v;
    versions_.push_back(current_);
    unsigned long long number = 0;
    std::sscanf(current.c_str(), "MANIFEST-%llu", &number);
    manifest_number_ = number;
    MarkFileNumberUsed(manifest_number_);
  } else if (!s.IsIOError()) {
    return s;
  }
  return WriteSnapshotManifest();
}

Status VersionSet::WriteSnapshotManifest() {
  uint64_t number = NewFileNumber();
  std::string path = dir_ + "/" + ManifestName(number);
  (void)env_->RemoveFile(path);  // a leftover of a crash during a previous open
  auto file = env_->NewAppendableFile(path);
  if (!file.ok()) return file.status();
  auto writer = std::make_unique<WalWriter>(std::shared_ptr<WritableFile>(std::move(*file)),
                                            number, 0);
  VersionEdit snapshot;
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : current_->files_[level]) snapshot.new_files.emplace_back(level, *f);
  }
  snapshot.log_number = log_number_;
  snapshot.next_file_number = next_file_number_;
  snapshot.last_sequence = last_sequence_;
  writer->AddRecord(snapshot.Encode());
  Status s = writer->Flush();
  if (s.ok()) s = writer->file()->Sync();
  if (s.ok()) s = SetCurrentFile(number);
  if (!s.ok()) return s;
  manifest_ = std::move(writer);
  manifest_number_ = number;
  durable_ = current_;
  durable_log_number_ = log_number_;
  return Status::OK();
}

Status VersionSet::SetCurrentFile(uint64_t manifest_number) {
  return env_->WriteFileAtomically(dir_ + "/CURRENT", ManifestName(manifest_number) + "\n");
}

Status VersionSet::LogAndApply(VersionEdit* edit) {
  if (!edit->log_number) edit->log_number = log_number_;
  edit->next_file_number = next_file_number_;
  edit->last_sequence = last_sequence_;
  manifest_->AddRecord(edit->Encode());
  if (CrashPointArmed("mid-manifest-record")) {
    (void)manifest_->TEST_FlushPrefix(manifest_->buffered_bytes() / 2);
    CrashPoint("mid-manifest-record");
  }
  Status s = manifest_->Flush();
  if (!s.ok()) return s;
  log_number_ = *edit->log_number;
  current_ = Apply(*current_, *edit);
  versions_.push_back(current_);
  unsynced_.push_back(Unsynced{++records_written_, current_, log_number_});
  return Status::OK();
}

void VersionSet::MarkSynced(uint64_t records) {
  while (!unsynced_.empty() && unsynced_.front().record <= records) {
    durable_ = std::move(unsynced_.front().version);
    durable_log_number_ = unsynced_.front().log_number;
    unsynced_.pop_front();
  }
}

std::string VersionSet::manifest_name() const { return ManifestName(manifest_number_); }

std::vector<uint64_t> VersionSet::LiveFiles() {
  std::vector<uint64_t> live;
  versions_.erase(std::remove_if(versions_.begin(), versions_.end(),
                                 [](const auto& w) { return w.expired(); }),
                  versions_.end());
  for (const auto& w : versions_) {
    if (auto v = w.lock()) {
      for (const auto& level : v->files_) {
        for (const auto& f : level) live.push_back(f->number);
      }
    }
  }
  std::sort(live.begin(), live.end());
  live.erase(std::unique(live.begin(), live.end()), live.end());
  return live;
}

}  // namespace strata
