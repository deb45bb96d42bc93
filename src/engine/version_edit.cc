#include "engine/version_edit.h"

#include "strata/coding.h"

namespace strata {
namespace {

enum Tag : uint32_t {
  kLogNumber = 1,
  kNextFileNumber = 2,
  kLastSequence = 3,
  kNewFile = 4,
  kDeletedFile = 5,
};


}  // namespace

std::string VersionEdit::Encode() const {
  std::string out;
  if (log_number) {
    PutVarint32(&out, kLogNumber);
    PutVarint64(&out, *log_number);
  }
  if (next_file_number) {
    PutVarint32(&out, kNextFileNumber);
    PutVarint64(&out, *next_file_number);
  }
  if (last_sequence) {
    PutVarint32(&out, kLastSequence);
    PutVarint64(&out, *last_sequence);
  }
  for (const auto& [level, f] : new_files) {
    PutVarint32(&out, kNewFile);
    PutVarint32(&out, static_cast<uint32_t>(level));
    PutVarint64(&out, f.number);
    PutVarint64(&out, f.size);
    PutLengthPrefixed(&out, f.smallest);
    PutLengthPrefixed(&out, f.largest);
    PutVarint64(&out, f.smallest_seq);
    PutVarint64(&out, f.largest_seq);
    PutVarint64(&out, f.entries);
    PutVarint64(&out, f.deletions);
  }
  for (const auto& [level, number] : deleted_files) {
    PutVarint32(&out, kDeletedFile);
    PutVarint32(&out, static_cast<uint32_t>(level));
    PutVarint64(&out, number);
  }
  return out;
}

Status VersionEdit::DecodeFrom(std::string_view in) {
  *this = VersionEdit();
  while (!in.empty()) {
    uint32_t tag;
    uint64_t v;
    if (!GetVarint32(&in, &tag)) return Status::Corruption("bad version edit tag");
    switch (tag) {
      case kLogNumber:
      case kNextFileNumber:
      case kLastSequence:
        if (!GetVarint64(&in, &v)) return Status::Corruption("bad version edit number");
        (tag == kLogNumber ? log_number : tag == kNextFileNumber ? next_file_number
                                                                 : last_sequence) = v;
        break;
      case kNewFile: {
        uint32_t level;
        FileMeta f;
        std::string_view smallest, largest;
        if (!GetVarint32(&in, &level) || level >= kNumLevels || !GetVarint64(&in, &f.number) ||
            !GetVarint64(&in, &f.size) || !GetLengthPrefixed(&in, &smallest) ||
            !GetLengthPrefixed(&in, &largest) || !GetVarint64(&in, &f.smallest_seq) ||
            !GetVarint64(&in, &f.largest_seq) || !GetVarint64(&in, &f.entries) ||
            !GetVarint64(&in, &f.deletions)) {
          return Status::Corruption("bad new-file entry in version edit");
        }
        f.smallest.assign(smallest);
        f.largest.assign(largest);
        new_files.emplace_back(static_cast<int>(level), std::move(f));
        break;
      }
      case kDeletedFile: {
        uint32_t level;
        if (!GetVarint32(&in, &level) || level >= kNumLevels || !GetVarint64(&in, &v)) {
          return Status::Corruption("bad deleted-file entry in version edit");
        }
        deleted_files.emplace_back(static_cast<int>(level), v);
        break;
      }
      default:
        return Status::Corruption("unknown version edit tag " + std::to_string(tag));
    }
  }
  return Status::OK();
}

}  // namespace strata
