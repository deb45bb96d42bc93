#include "engine/compaction.h"

#include <algorithm>

#include "engine/crash_point.h"
#include "engine/merging_iterator.h"

namespace strata {
namespace {

// Builds output tables one after another, split at target_size but never inside the
// versions of one user key (so a user key lives in one file of a level).
class OutputWriter {
 public:
  OutputWriter(Env* env, const std::string& dir, const TableOptions& options,
               uint64_t first_number, uint64_t max_files, uint64_t target_size, JobResult* result,
               bool compaction)
      : env_(env), dir_(dir), options_(options), next_number_(first_number),
        last_number_(first_number + max_files), target_size_(target_size), result_(result),
        compaction_(compaction) {}

  Status Add(std::string_view key, uint64_t trailer, std::string_view value, bool new_user_key) {
    if (builder_ != nullptr && new_user_key && builder_->FileSize() >= target_size_ &&
        next_number_ < last_number_) {
      if (Status s = Finish(); !s.ok()) return s;
    }
    if (builder_ == nullptr) {
      meta_ = FileMeta();
      meta_.number = next_number_++;
      auto file = env_->NewAppendableFile(TableCache::TableFileName(dir_, meta_.number));
      if (!file.ok()) return file.status();
      file_ = std::move(*file);
      builder_ = std::make_unique<TableBuilder>(options_, file_.get());
    }
    builder_->Add(key, trailer, value);
    return Status::OK();
  }

  // Finishes the table being built (if any): written, synced, described in the result.
  Status Finish() {
    if (builder_ == nullptr) return Status::OK();
    Status s = builder_->Finish();
    if (s.ok()) s = file_->Sync();
    if (s.ok()) {
      const auto& p = builder_->properties();
      meta_.size = builder_->FileSize();
      meta_.smallest = p.smallest_key;
      meta_.largest = p.largest_key;
      meta_.smallest_seq = p.smallest_seq;
      meta_.largest_seq = p.largest_seq;
      meta_.entries = p.entries;
      meta_.deletions = p.deletions;
      result_->bytes_written += meta_.size;
      result_->outputs.push_back(meta_);
      if (compaction_) CrashPoint("mid-compaction");
    }
    builder_.reset();
    file_.reset();
    return s;
  }

 private:
  Env* env_;
  const std::string& dir_;
  const TableOptions& options_;
  uint64_t next_number_, last_number_, target_size_;
  JobResult* result_;
  const bool compaction_;
  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<TableBuilder> builder_;
  FileMeta meta_;
};

}  // namespace

uint64_t CompactionSpec::InputBytes() const {
  uint64_t sum = 0;
  for (const auto& [level, files] : inputs) {
    for (const auto& f : files) sum += f->size;
  }
  return sum;
}

size_t CompactionSpec::InputFiles() const {
  size_t n = 0;
  for (const auto& [level, files] : inputs) n += files.size();
  return n;
}

JobResult RunFlush(const MemTable& mem, uint64_t file_number, Env* env, const std::string& dir,
                   const TableOptions& options) {
  JobResult result;
  OutputWriter out(env, dir, options, file_number, 1, UINT64_MAX, &result, false);
  for (const SkipList::Node* n = mem.list().First(); n != nullptr; n = n->next[0]) {
    result.status = out.Add(n->user_key(), n->trailer, n->value(), true);
    if (!result.status.ok()) return result;
  }
  result.status = out.Finish();
  return result;
}

JobResult RunCompaction(const CompactionSpec& spec, TableCache* cache, Env* env,
                        const std::string& dir, const TableOptions& options,
                        const CompactionFilter& filter) {
  JobResult result;
  result.bytes_read = spec.InputBytes();
  std::vector<std::unique_ptr<InternalIterator>> children;
  // Level-0 inputs may overlap: one iterator each. A deeper level's files are sorted.
  for (const auto& [level, files] : spec.inputs) {
    if (files.empty()) continue;
    if (level == 0) {
      for (const auto& f : files) children.push_back(NewFilesIterator(cache, {f}, false));
    } else {
      children.push_back(NewFilesIterator(cache, files, false));
    }
  }
  auto it = NewMergingIterator(std::move(children));
  OutputWriter out(env, dir, options, spec.first_file_number, spec.max_outputs,
                   spec.target_file_size, &result, true);

  // Snapshot stripes: entry seq s belongs to stripe i = the first snapshot >= s (or the
  // latest state past the last snapshot). Within one user key, only the newest entry of each
  // stripe can be seen by anyone; the rest are dropped.
  auto stripe_of = [&](SequenceNumber seq) {
    return static_cast<size_t>(
        std::lower_bound(spec.snapshots.begin(), spec.snapshots.end(), seq) -
        spec.snapshots.begin());
  };
  std::string current_key;
  bool have_key = false;
  size_t last_stripe = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key = it->user_key();
    uint64_t trailer = it->trailer();
    bool new_user_key = !have_key || key != current_key;
    size_t stripe = stripe_of(TrailerSequence(trailer));
    if (new_user_key) {
      current_key.assign(key);
      have_key = true;
    } else if (stripe == last_stripe) {
      ++result.dropped;  // shadowed by a newer entry that every reader of this stripe sees
      continue;
    }
    last_stripe = stripe;
    bool oldest_stripe = stripe == 0;  // visible to every snapshot: nothing older matters
    bool tombstone = TrailerType(trailer) == ValueType::kDeletion;
    if (!tombstone && filter && stripe == spec.snapshots.size() && filter(key, it->value())) {
      // Filtered out. Above the bottom an older version may exist deeper: hide it.
      ++result.dropped;
      if (spec.bottommost) continue;
      tombstone = true;
      trailer = PackTrailer(TrailerSequence(trailer), ValueType::kDeletion);
    }
    if (tombstone && spec.bottommost && oldest_stripe) {
      ++result.dropped;  // nothing below it to hide, nobody to see it
      continue;
    }
    result.status = out.Add(key, trailer, tombstone ? std::string_view() : it->value(),
                            new_user_key);
    if (!result.status.ok()) return result;
  }
  result.status = it->status();
  if (result.status.ok()) result.status = out.Finish();
  return result;
}

}  // namespace strata
