#include "engine/table.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "engine/bloom.h"
#include "strata/coding.h"
#include "engine/crc32c.h"

namespace strata {
namespace {

// Iterates a table: the index picks data blocks, each read when the scan reaches it.
class TableIterator final : public InternalIterator {
 public:
  TableIterator(std::shared_ptr<const Table> table, bool fill_cache)
      : table_(std::move(table)), fill_cache_(fill_cache) {}

  bool Valid() const override { return loaded_ && cursor_.Valid(); }
  std::string_view user_key() const override { return cursor_.user_key(); }
  uint64_t trailer() const override { return cursor_.trailer(); }
  std::string_view value() const override { return cursor_.value(); }
  Status status() const override {
    if (!status_.ok()) return status_;
    if (loaded_ && !cursor_.status().ok()) {
      return Status::Corruption(table_->path() + ": " + std::string(cursor_.status().message()));
    }
    return Status::OK();
  }

  void SeekToFirst() override {
    if (Load(0)) cursor_.SeekToFirst();
    SkipEmptyForward();
  }
  void SeekToLast() override {
    if (Load(table_->index().size() - 1)) cursor_.SeekToLast();
    SkipEmptyBackward();
  }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    // The first block whose last key is >= target holds the first entry >= target.
    if (Load(table_->index().Find(user_key, trailer))) cursor_.Seek(user_key, trailer);
    SkipEmptyForward();
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    size_t block = table_->index().Find(user_key, trailer);
    if (block == table_->index().size()) return SeekToLast();  // target is past every block
    if (Load(block)) cursor_.SeekForPrev(user_key, trailer);
    SkipEmptyBackward();
  }
  void Next() override {
    cursor_.Next();
    SkipEmptyForward();
  }
  void Prev() override {
    cursor_.Prev();
    SkipEmptyBackward();
  }

 private:
  // Reads block i; false (iterator invalid) past either end or on error.
  bool Load(size_t i) {
    bool forward = loaded_ && i == block_ + 1;
    loaded_ = false;
    if (i >= table_->index().size()) return false;  // also i = -1 wrapped around
    block_ = i;
    status_ = table_->ReadBlock(i, fill_cache_, &holder_);
    if (!status_.ok()) return false;
    // A client's forward scan asks for the blocks ahead before it reaches them, so that only
    // its first block waits for the device: the kernel's own read-ahead is off for mapped
    // tables (MADV_RANDOM) and defeated for pread by point reads on the same descriptor.
    // (Compactions, fill_cache false, read through pread's read-ahead.)
    if (forward && fill_cache_ && i + 1 >= ahead_end_) {
      ahead_end_ = table_->WillNeed(i + 1, kReadAheadBlocks);
    }
    cursor_.Reset(holder_.get());
    loaded_ = true;
    return true;
  }

  // Moves past blocks with no entry left in the scan's direction.
  void SkipEmptyForward() {
    while (loaded_ && !cursor_.Valid() && cursor_.status().ok()) {
      if (!Load(block_ + 1)) return;
      cursor_.SeekToFirst();
    }
  }
  void SkipEmptyBackward() {
    while (loaded_ && !cursor_.Valid() && cursor_.status().ok()) {
      if (!Load(block_ - 1)) return;
      cursor_.SeekToLast();
    }
  }

  static constexpr size_t kReadAheadBlocks = 16;

  std::shared_ptr<const Table> table_;
  const bool fill_cache_;
  size_t block_ = 0;
  size_t ahead_end_ = 0;  // the block after the last one asked for ahead
  bool loaded_ = false;
  BlockHolder holder_;
  BlockCursor cursor_;
  Status status_;
};

}  // namespace

Status Table::CheckTrailer(const table::BlockHandle& handle, const char* block) const {
  const char* trailer = block + handle.size;
  uint32_t expected = crc32c::Unmask(DecodeFixed32(trailer + 1));
  uint32_t actual = crc32c::Extend(crc32c::Value(block, handle.size), trailer, 1);
  if (actual != expected || trailer[0] != 0) {
    return Status::Corruption(file_->path() + ": block checksum mismatch at offset " +
                              std::to_string(handle.offset));
  }
  return Status::OK();
}

Status Table::ReadRaw(const table::BlockHandle& handle, std::string* contents) const {
  uint64_t end = handle.offset + handle.size + table::kBlockTrailerSize;
  if (end < handle.offset || end > file_->size()) {
    return Status::Corruption(file_->path() + ": block at offset " +
                              std::to_string(handle.offset) + " runs past the end of the file");
  }
  size_t n = handle.size + table::kBlockTrailerSize;
  Status s = file_->Read(handle.offset, n, contents);
  if (!s.ok()) return s;
  s = CheckTrailer(handle, contents->data());
  if (!s.ok()) return s;
  contents->resize(handle.size);
  return Status::OK();
}

bool Table::Resident(const char* p, size_t n) {
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start = reinterpret_cast<uintptr_t>(p) & ~(page - 1);
  size_t pages = (reinterpret_cast<uintptr_t>(p) + n - start + page - 1) / page;
  unsigned char small[16];
  std::vector<unsigned char> large;
  unsigned char* vec = small;
  if (pages > sizeof(small)) vec = (large.resize(pages), large.data());
  if (::mincore(reinterpret_cast<void*>(start), pages * page, vec) != 0) return false;
  for (size_t i = 0; i < pages; ++i) {
    if ((vec[i] & 1) == 0) return false;
  }
  return true;
}

size_t Table::WillNeed(size_t from, size_t count) const {
  size_t to = std::min(index_.size(), from + count);
  if (from >= to) return to;
  uint64_t begin = index_.handle(from).offset;
  table::BlockHandle last = index_.handle(to - 1);
  file_->WillNeed(begin, last.offset + last.size + table::kBlockTrailerSize - begin);
  return to;
}

Status Table::ReadBlock(size_t i, bool fill_cache, BlockHolder* out, CacheOnly cache_only) const {
  table::BlockHandle handle = index_.handle(i);  // in bounds: checked by TableIndex::Init
  out->view_.reset();
  out->shared_.reset();
  std::string_view mapped = file_->mapped();
  if (fill_cache && !mapped.empty()) {
    const char* block = mapped.data() + handle.offset;
    // A seek reads the restart array (at the end), restart entries spread over the block,
    // then up to 16 entries in a row: ask for every line at once, so the misses overlap
    // instead of queueing (random gets at 5M keys: 535k -> 733k/s).
    __builtin_prefetch(block + handle.size - 1);
    size_t span = std::min<size_t>(handle.size, 8192);
    for (size_t at = 0; at < span; at += 64) __builtin_prefetch(block + at);
    std::atomic<uint64_t>& word = verified_[i / 64];
    uint64_t bit = uint64_t{1} << (i % 64);
    if ((word.load(std::memory_order_relaxed) & bit) == 0) {
      // Never read since the table was opened: likely not resident.
      if (cache_only != CacheOnly::kNo) return Status::Incomplete();
      if (Status s = CheckTrailer(handle, block); !s.ok()) return s;
      word.fetch_or(bit, std::memory_order_relaxed);
    } else if (cache_only == CacheOnly::kCheckMapped &&
               !Resident(block, handle.size + table::kBlockTrailerSize)) {
      // Read before, evicted since: memory is short (kTrustMapped would fault here).
      Count(&TableReadCounters::evicted);
      return Status::Incomplete();
    }
    Count(&TableReadCounters::blocks_read);
    out->view_.emplace(std::string_view(block, handle.size), nullptr);
    return Status::OK();
  }
  if (cache_ != nullptr && fill_cache) {
    if ((out->shared_ = cache_->Lookup(number_, handle.offset))) return Status::OK();
  }
  // Not probing the page cache: from the loop, a probe that misses starts the device read
  // there and, under a memory limit, reclaims pages on the loop's time (a third of the loop
  // at 12.6M keys in 512 MiB). The read threads read it instead.
  if (cache_only != CacheOnly::kNo) return Status::Incomplete();
  std::string contents;
  if (Status s = ReadRaw(handle, &contents); !s.ok()) return s;
  auto block = std::make_shared<const Block>(std::move(contents));
  if (fill_cache) Count(&TableReadCounters::blocks_read);
  if (cache_ != nullptr && fill_cache) cache_->Insert(number_, handle.offset, block);
  out->shared_ = std::move(block);
  return Status::OK();
}

Result<std::shared_ptr<const Table>> Table::Open(std::unique_ptr<RandomAccessFile> file,
                                                 uint64_t file_number, BlockCache* cache,
                                                 TableReadCounters* counters) {
  std::shared_ptr<Table> t(new Table(std::move(file), file_number, cache, counters));
  const std::string& path = t->file_->path();
  if (t->file_->size() < table::kFooterSize) {
    return Status::Corruption(path + ": file too short to be an SST");
  }
  std::string footer_bytes;
  Status s = t->file_->Read(t->file_->size() - table::kFooterSize, table::kFooterSize,
                            &footer_bytes);
  if (!s.ok()) return s;
  table::Footer footer;
  s = footer.DecodeFrom(footer_bytes);
  if (!s.ok()) return Status::Corruption(path + ": " + std::string(s.message()));
  if (s = t->ReadRaw(footer.filter, &t->filter_); !s.ok()) return s;
  std::string contents;
  if (s = t->ReadRaw(footer.properties, &contents); !s.ok()) return s;
  s = t->props_.DecodeFrom(contents);
  if (!s.ok()) return Status::Corruption(path + ": " + std::string(s.message()));
  if (s = t->ReadRaw(footer.index, &contents); !s.ok()) return s;
  s = t->index_.Init(std::move(contents), t->props_.smallest_key, t->props_.largest_key,
                     footer.filter.offset);
  if (!s.ok()) return Status::Corruption(path + ": " + std::string(s.message()));
  t->verified_ = std::make_unique<std::atomic<uint64_t>[]>(t->index_.size() / 64 + 1);
  return std::shared_ptr<const Table>(std::move(t));
}

Result<Table::LookupResult> Table::Get(std::string_view user_key, SequenceNumber seq,
                                       std::string* value, CacheOnly cache_only) const {
  // The filter's line and the index search miss the caches independently: overlap them.
  BloomPrefetch(filter_, user_key);
  uint64_t target = SeekTrailer(seq);
  size_t i = index_.Find(user_key, target);
  if (!BloomMayContain(filter_, user_key)) return LookupResult::kNotFound;
  if (i == index_.size()) return LookupResult::kNotFound;
  BlockHolder holder;
  if (Status s = ReadBlock(i, /*fill_cache=*/true, &holder, cache_only); !s.ok()) return s;
  BlockCursor data(holder.get());
  // The block's last key is >= target, so the seek lands inside it unless it is damaged.
  data.Seek(user_key, target);
  if (!data.Valid()) {
    std::string why = data.status().ok() ? "block ends before its index key"
                                         : std::string(data.status().message());
    return Status::Corruption(path() + ": " + why);
  }
  if (data.user_key() != user_key) return LookupResult::kNotFound;
  if (TrailerType(data.trailer()) == ValueType::kDeletion) return LookupResult::kDeleted;
  value->assign(data.value());
  return LookupResult::kFound;
}

std::unique_ptr<InternalIterator> Table::NewIterator(std::shared_ptr<const Table> table,
                                                     bool fill_cache) {
  return std::make_unique<TableIterator>(std::move(table), fill_cache);
}

}  // namespace strata
