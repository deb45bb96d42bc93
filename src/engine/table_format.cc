#include "engine/table_format.h"

#include "strata/coding.h"

namespace strata::table {
void BlockHandle::EncodeTo(std::string* dst) const {
  PutVarint64(dst, offset);
  PutVarint64(dst, size);
}

bool BlockHandle::DecodeFrom(std::string_view* in) {
  return GetVarint64(in, &offset) && GetVarint64(in, &size);
}

std::string Footer::Encode() const {
  std::string out;
  filter.EncodeTo(&out);
  properties.EncodeTo(&out);
  index.EncodeTo(&out);
  out.resize(kFooterHandlesSize, '\0');
  PutFixed64(&out, kMagic);
  return out;
}

Status Footer::DecodeFrom(std::string_view in) {
  if (in.size() != kFooterSize) return Status::Corruption("footer has the wrong size");
  if (DecodeFixed64(in.data() + kFooterHandlesSize) != kMagic) {
    return Status::Corruption("not an SST file (bad magic number)");
  }
  if (!filter.DecodeFrom(&in) || !properties.DecodeFrom(&in) || !index.DecodeFrom(&in)) {
    return Status::Corruption("bad block handle in footer");
  }
  return Status::OK();
}

std::string TableProperties::Encode() const {
  std::string out;
  PutVarint64(&out, entries);
  PutVarint64(&out, deletions);
  PutVarint64(&out, smallest_seq);
  PutVarint64(&out, largest_seq);
  PutLengthPrefixed(&out, smallest_key);
  PutLengthPrefixed(&out, largest_key);
  return out;
}

Status TableProperties::DecodeFrom(std::string_view in) {
  std::string_view smallest, largest;
  if (!GetVarint64(&in, &entries) || !GetVarint64(&in, &deletions) ||
      !GetVarint64(&in, &smallest_seq) || !GetVarint64(&in, &largest_seq) ||
      !GetLengthPrefixed(&in, &smallest) || !GetLengthPrefixed(&in, &largest)) {
    return Status::Corruption("bad properties block");
  }
  smallest_key.assign(smallest);
  largest_key.assign(largest);
  return Status::OK();
}

void AppendInternalKey(std::string* dst, std::string_view user_key, uint64_t trailer) {
  dst->append(user_key);
  PutFixed64(dst, trailer);
}

bool SplitInternalKey(std::string_view ikey, std::string_view* user_key, uint64_t* trailer) {
  if (ikey.size() < 8) return false;
  *user_key = ikey.substr(0, ikey.size() - 8);
  *trailer = DecodeFixed64(ikey.data() + ikey.size() - 8);
  return true;
}

}  // namespace strata::table
