#include "strata/write_batch.h"

#include "strata/coding.h"
#include "engine/dbformat.h"

namespace strata {

WriteBatch::WriteBatch() { Clear(); }

void WriteBatch::Clear() {
  rep_.clear();
  rep_.resize(kHeaderSize);
}

uint32_t WriteBatch::Count() const { return DecodeFixed32(rep_.data() + 8); }
uint64_t WriteBatch::sequence() const { return DecodeFixed64(rep_.data()); }
void WriteBatch::set_sequence(uint64_t seq) { EncodeFixed64(rep_.data(), seq); }

void WriteBatch::Put(std::string_view key, std::string_view value) {
  EncodeFixed32(rep_.data() + 8, Count() + 1);
  rep_.push_back(static_cast<char>(ValueType::kValue));
  PutLengthPrefixed(&rep_, key);
  PutLengthPrefixed(&rep_, value);
}

void WriteBatch::Delete(std::string_view key) {
  EncodeFixed32(rep_.data() + 8, Count() + 1);
  rep_.push_back(static_cast<char>(ValueType::kDeletion));
  PutLengthPrefixed(&rep_, key);
}

Status WriteBatch::SetContents(std::string_view payload) {
  if (payload.size() < kHeaderSize) return Status::Corruption("write batch shorter than header");
  rep_.assign(payload);
  return Status::OK();
}

Status WriteBatch::Iterate(Handler* handler) const {
  std::string_view in(rep_);
  in.remove_prefix(kHeaderSize);
  uint32_t found = 0;
  while (!in.empty()) {
    auto type = static_cast<ValueType>(in[0]);
    in.remove_prefix(1);
    std::string_view key, value;
    if (!GetLengthPrefixed(&in, &key)) return Status::Corruption("bad write batch key");
    if (type == ValueType::kValue) {
      if (!GetLengthPrefixed(&in, &value)) return Status::Corruption("bad write batch value");
      handler->Put(key, value);
    } else if (type == ValueType::kDeletion) {
      handler->Delete(key);
    } else {
      return Status::Corruption("unknown write batch entry type");
    }
    ++found;
  }
  if (found != Count()) return Status::Corruption("write batch count mismatch");
  return Status::OK();
}

}  // namespace strata
