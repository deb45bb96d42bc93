#include "engine/table_builder.h"

#include "strata/coding.h"
#include "engine/crc32c.h"

namespace strata {

TableBuilder::TableBuilder(const TableOptions& options, WritableFile* file)
    : options_(options), file_(file), index_(1), bloom_(options.bloom_bits_per_key) {}

void TableBuilder::Add(std::string_view user_key, uint64_t trailer, std::string_view value) {
  if (!status_.ok()) return;
  ikey_.clear();
  table::AppendInternalKey(&ikey_, user_key, trailer);
  data_.Add(ikey_, value);
  bloom_.AddKey(user_key);
  if (props_.entries == 0) props_.smallest_key.assign(user_key);
  props_.largest_key.assign(user_key);
  ++props_.entries;
  if (TrailerType(trailer) == ValueType::kDeletion) ++props_.deletions;
  SequenceNumber seq = TrailerSequence(trailer);
  if (seq < props_.smallest_seq) props_.smallest_seq = seq;
  if (seq > props_.largest_seq) props_.largest_seq = seq;
  if (data_.CurrentSizeEstimate() >= options_.block_size) FlushDataBlock();
}

void TableBuilder::FlushDataBlock() {
  if (data_.empty()) return;
  std::string last_key(data_.last_key());
  table::BlockHandle handle = WriteBlock(data_.Finish());
  data_.Reset();
  std::string encoded;
  handle.EncodeTo(&encoded);
  index_.Add(last_key, encoded);
  WritePending(false);
}

table::BlockHandle TableBuilder::WriteBlock(std::string_view contents) {
  table::BlockHandle handle{FileSize(), contents.size()};
  pending_.append(contents);
  char trailer[table::kBlockTrailerSize];
  trailer[0] = 0;  // uncompressed
  uint32_t crc = crc32c::Extend(crc32c::Value(contents.data(), contents.size()), trailer, 1);
  EncodeFixed32(trailer + 1, crc32c::Mask(crc));
  pending_.append(trailer, sizeof(trailer));
  return handle;
}

void TableBuilder::WritePending(bool force) {
  if (!status_.ok() || (!force && pending_.size() < (256u << 10))) return;
  size_t written = 0;
  status_ = file_->Append(pending_, &written);
  offset_ += written;
  pending_.erase(0, written);
  // Start writeback every MiB (RocksDB's bytes_per_sync): a 64 MiB table left dirty until its
  // final sync made the kernel throttle every writer, the WAL's included, for 10-20 ms.
  if (offset_ - written_back_ >= (1u << 20)) {
    file_->StartWriteback();
    written_back_ = offset_;
  }
}

Status TableBuilder::Finish() {
  if (!status_.ok()) return status_;
  FlushDataBlock();
  table::Footer footer;
  footer.filter = WriteBlock(bloom_.Finish());
  footer.properties = WriteBlock(props_.Encode());
  footer.index = WriteBlock(index_.Finish());
  pending_.append(footer.Encode());
  WritePending(true);
  return status_;
}

}  // namespace strata
