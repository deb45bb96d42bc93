#include "engine/table.h"

#include "engine/bloom.h"
#include "engine/coding.h"
#include "engine/crc32c.h"

namespace strata {
namespace {

// Iterates a table: the index block picks data blocks, each read when the scan reaches it.
class TableIterator final : public InternalIterator {
 public:
  TableIterator(std::shared_ptr<const Table> table, std::unique_ptr<InternalIterator> index,
                bool fill_cache)
      : table_(std::move(table)), index_(std::move(index)), fill_cache_(fill_cache) {}

  bool Valid() const override { return data_ != nullptr && data_->Valid(); }
  std::string_view user_key() const override { return data_->user_key(); }
  uint64_t trailer() const override { return data_->trailer(); }
  std::string_view value() const override { return data_->value(); }
  Status status() const override {
    if (!status_.ok()) return status_;
    if (Status s = index_->status(); !s.ok()) return s;
    return data_ != nullptr ? data_->status() : Status::OK();
  }

  void SeekToFirst() override {
    index_->SeekToFirst();
    if (LoadBlock()) data_->SeekToFirst();
    SkipEmptyForward();
  }
  void SeekToLast() override {
    index_->SeekToLast();
    if (LoadBlock()) data_->SeekToLast();
    SkipEmptyBackward();
  }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    index_->Seek(user_key, trailer);  // the first block whose last key is >= target
    if (LoadBlock()) data_->Seek(user_key, trailer);
    SkipEmptyForward();
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    index_->Seek(user_key, trailer);
    if (!index_->Valid()) {
      if (!index_->status().ok()) return Invalidate();
      return SeekToLast();  // target is past every block
    }
    if (LoadBlock()) data_->SeekForPrev(user_key, trailer);
    SkipEmptyBackward();
  }
  void Next() override {
    data_->Next();
    SkipEmptyForward();
  }
  void Prev() override {
    data_->Prev();
    SkipEmptyBackward();
  }

 private:
  void Invalidate() { data_.reset(); }

  // Reads the block the index points at; false (iterator invalid) at the end or on error.
  bool LoadBlock() {
    data_.reset();
    if (!index_->Valid()) return false;
    table::BlockHandle handle;
    std::string_view encoded = index_->value();
    if (!handle.DecodeFrom(&encoded)) {
      status_ = Status::Corruption(table_->path() + ": bad block handle in index");
      return false;
    }
    auto block = table_->ReadBlock(handle, fill_cache_);
    if (!block.ok()) {
      status_ = block.status();
      return false;
    }
    data_ = Block::NewIterator(std::move(*block));
    return true;
  }

  bool DataFailed() const { return data_ != nullptr && !data_->status().ok(); }

  void SkipEmptyForward() {
    while ((data_ == nullptr || !data_->Valid()) && status_.ok() && !DataFailed()) {
      if (data_ == nullptr && !index_->Valid()) return;
      index_->Next();
      if (!LoadBlock()) return;
      data_->SeekToFirst();
    }
  }
  void SkipEmptyBackward() {
    while ((data_ == nullptr || !data_->Valid()) && status_.ok() && !DataFailed()) {
      if (data_ == nullptr && !index_->Valid()) return;
      index_->Prev();
      if (!LoadBlock()) return;
      data_->SeekToLast();
    }
  }

  std::shared_ptr<const Table> table_;
  std::unique_ptr<InternalIterator> index_;
  std::unique_ptr<InternalIterator> data_;
  const bool fill_cache_;
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
  Status s = file_->Read(handle.offset, handle.size + table::kBlockTrailerSize, contents);
  if (!s.ok()) return s;
  s = CheckTrailer(handle, contents->data());
  if (!s.ok()) return s;
  contents->resize(handle.size);
  return Status::OK();
}

Status Table::CheckMapped(const table::BlockHandle& handle, std::string_view* contents) const {
  std::string_view file = file_->mapped();
  uint64_t end = handle.offset + handle.size + table::kBlockTrailerSize;
  if (end < handle.offset || end > file.size()) {
    return Status::Corruption(file_->path() + ": block at offset " +
                              std::to_string(handle.offset) + " runs past the end of the file");
  }
  Status s = CheckTrailer(handle, file.data() + handle.offset);
  if (!s.ok()) return s;
  *contents = file.substr(handle.offset, handle.size);
  return Status::OK();
}

Result<std::shared_ptr<const Block>> Table::ReadBlock(const table::BlockHandle& handle,
                                                      bool fill_cache) const {
  if (cache_ != nullptr) {
    if (auto cached = cache_->Lookup(number_, handle.offset)) return cached;
  }
  std::shared_ptr<const Block> block;
  if (!file_->mapped().empty() && fill_cache) {
    // No copy: the block views the mapping, which its reference to the table keeps alive.
    std::string_view contents;
    Status s = CheckMapped(handle, &contents);
    if (!s.ok()) return s;
    block = std::make_shared<Block>(contents, shared_from_this());
  } else {
    std::string contents;
    Status s = ReadRaw(handle, &contents);
    if (!s.ok()) return s;
    block = std::make_shared<Block>(std::move(contents));
  }
  if (cache_ != nullptr && fill_cache) cache_->Insert(number_, handle.offset, block);
  return block;
}

Result<std::shared_ptr<const Table>> Table::Open(std::unique_ptr<RandomAccessFile> file,
                                                 uint64_t file_number, BlockCache* cache) {
  std::shared_ptr<Table> t(new Table(std::move(file), file_number, cache));
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
  std::string contents;
  if (s = t->ReadRaw(footer.index, &contents); !s.ok()) return s;
  t->index_ = std::make_shared<Block>(std::move(contents));
  if (s = t->ReadRaw(footer.filter, &t->filter_); !s.ok()) return s;
  if (s = t->ReadRaw(footer.properties, &contents); !s.ok()) return s;
  s = t->props_.DecodeFrom(contents);
  if (!s.ok()) return Status::Corruption(path + ": " + std::string(s.message()));
  return std::shared_ptr<const Table>(std::move(t));
}

Result<Table::LookupResult> Table::Get(std::string_view user_key, SequenceNumber seq,
                                       std::string* value) const {
  if (!BloomMayContain(filter_, user_key)) return LookupResult::kNotFound;
  auto index = Block::NewIterator(index_);
  uint64_t target = SeekTrailer(seq);
  index->Seek(user_key, target);
  if (!index->Valid()) {
    if (!index->status().ok()) {
      return Status::Corruption(path() + ": " + std::string(index->status().message()));
    }
    return LookupResult::kNotFound;
  }
  table::BlockHandle handle;
  std::string_view encoded = index->value();
  if (!handle.DecodeFrom(&encoded)) return Status::Corruption(path() + ": bad index entry");
  auto block = ReadBlock(handle);
  if (!block.ok()) return block.status();
  auto data = Block::NewIterator(std::move(*block));
  // The block's last key is >= target, so the seek lands inside it unless it is damaged.
  data->Seek(user_key, target);
  if (!data->Valid()) {
    return Status::Corruption(path() + ": " + std::string(data->status().message()));
  }
  if (data->user_key() != user_key) return LookupResult::kNotFound;
  if (TrailerType(data->trailer()) == ValueType::kDeletion) return LookupResult::kDeleted;
  value->assign(data->value());
  return LookupResult::kFound;
}

std::unique_ptr<InternalIterator> Table::NewIterator(std::shared_ptr<const Table> table,
                                                     bool fill_cache) {
  auto index = Block::NewIterator(table->index_);
  return std::make_unique<TableIterator>(std::move(table), std::move(index), fill_cache);
}

}  // namespace strata
