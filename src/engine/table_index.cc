#include "engine/table_index.h"

#include <algorithm>
#include <cstring>

#include "engine/block.h"
#include "strata/coding.h"

namespace strata {

Status TableIndex::Init(std::string index_block, std::string_view smallest,
                        std::string_view largest, uint64_t data_end) {
  contents_ = std::move(index_block);
  std::string_view range_prefix = smallest.substr(0, CommonPrefix(smallest, largest));

  // Every index entry is a restart point (interval 1), so entries are read front to back.
  if (contents_.size() < 4) return Status::Corruption("index block too short");
  uint32_t restarts = DecodeFixed32(contents_.data() + contents_.size() - 4);
  uint64_t array = (static_cast<uint64_t>(restarts) + 1) * 4;
  if (array > contents_.size()) return Status::Corruption("bad index restart array");
  std::string_view in(contents_.data(), contents_.size() - array);
  if (contents_.size() > UINT32_MAX) return Status::Corruption("index block too large");
  fences_.reserve(restarts + 1);
  keys_.reserve(restarts);
  uint64_t next_offset = 0;
  while (!in.empty()) {
    uint32_t shared, key_size, value_size;
    if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &key_size) ||
        !GetVarint32(&in, &value_size) || shared != 0 ||
        in.size() < static_cast<uint64_t>(key_size) + value_size) {
      return Status::Corruption("bad index entry");
    }
    std::string_view key = in.substr(0, key_size);
    std::string_view value = in.substr(key_size, value_size);
    in.remove_prefix(key_size + value_size);
    std::string_view user_key;
    uint64_t trailer;
    table::BlockHandle handle;
    if (!table::SplitInternalKey(key, &user_key, &trailer) || !handle.DecodeFrom(&value)) {
      return Status::Corruption("bad index entry");
    }
    if (!user_key.starts_with(range_prefix) || handle.offset != next_offset ||
        handle.offset + handle.size + table::kBlockTrailerSize > data_end ||
        (!keys_.empty() && CompareLast(keys_.size() - 1, user_key, trailer) >= 0)) {
      return Status::Corruption("index entry out of order or out of range");
    }
    next_offset = handle.offset + handle.size + table::kBlockTrailerSize;
    fences_.push_back(Fence{0, handle.offset});
    keys_.push_back(LastKey{static_cast<uint32_t>(key.data() - contents_.data()), key_size});
  }
  fences_.push_back(Fence{~uint64_t{0}, next_offset});
  if (keys_.empty()) return Status::OK();
  // The fence window starts after the prefix that the bulk of the blocks share: a table's few
  // outlying keys (the count records beside a database's keys) must not make it empty.
  std::string_view low = LastUserKey(keys_.size() / 16);
  std::string_view high = LastUserKey(keys_.size() - 1 - keys_.size() / 16);
  common_.assign(low.substr(0, CommonPrefix(low, high)));
  for (size_t i = 0; i < keys_.size(); ++i) fences_[i].fence = FenceOf(LastUserKey(i));
  return Status::OK();
}

size_t TableIndex::CommonPrefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

std::string_view TableIndex::LastUserKey(size_t i) const {
  std::string_view user_key;
  uint64_t trailer;
  table::SplitInternalKey({contents_.data() + keys_[i].offset, keys_[i].size}, &user_key,
                          &trailer);  // checked by Init
  return user_key;
}

uint64_t TableIndex::FenceOf(std::string_view user_key) const {
  // Order-preserving (never strictly reversing): keys outside the prefix sort before or after
  // all that share it, and those that share it keep 1..max-1 so the two ends stay apart.
  if (!user_key.starts_with(common_)) return user_key < common_ ? 0 : ~uint64_t{0};
  unsigned char bytes[8] = {};
  size_t n = std::min<size_t>(8, user_key.size() - common_.size());
  std::memcpy(bytes, user_key.data() + common_.size(), n);
  uint64_t fence;
  std::memcpy(&fence, bytes, 8);
  fence = __builtin_bswap64(fence);  // big-endian: integer order is byte order
  return std::clamp<uint64_t>(fence, 1, ~uint64_t{0} - 1);
}

int TableIndex::CompareLast(size_t i, std::string_view user_key, uint64_t trailer) const {
  std::string_view key(contents_.data() + keys_[i].offset, keys_[i].size);
  std::string_view last_user_key;
  uint64_t last_trailer;
  table::SplitInternalKey(key, &last_user_key, &last_trailer);  // checked by Init
  return CompareInternal(last_user_key, last_trailer, user_key, trailer);
}

size_t TableIndex::Find(std::string_view user_key, uint64_t trailer) const {
  uint64_t fence = FenceOf(user_key);
  // A block whose fence is below the target's ends before the target and one whose fence is
  // above it ends after it; only equal fences need whole keys. Blocks are sorted by both.
  auto before = [&](const Fence& f) {
    return f.fence < fence ||
           (f.fence == fence && CompareLast(&f - fences_.data(), user_key, trailer) < 0);
  };
  return std::partition_point(fences_.begin(), fences_.end() - 1, before) - fences_.begin();
}

}  // namespace strata
