// VersionEdit: one change to the set of live files, as recorded in the MANIFEST.
//
// The MANIFEST is a log in the WAL's record format (wal_format.h: CRC32C and length per
// record); each record is one encoded VersionEdit:
//
//   edit  := field*
//   field := kLogNumber varint64            oldest WAL segment still needed
//          | kNextFileNumber varint64
//          | kLastSequence varint64
//          | kNewFile varint32(level) file
//          | kDeletedFile varint32(level) varint64(number)
//   file  := varint64 number | varint64 size | lp smallest | lp largest
//            | varint64 smallest_seq | varint64 largest_seq | varint64 entries
//            | varint64 deletions                     (lp = varint32 length + bytes)
//
// CURRENT holds the name of the live MANIFEST and is replaced atomically (write a temporary
// file, sync, rename, sync the directory). The MANIFEST is the only truth about which SSTs
// are live: a file is written and synced before the edit that adds it is recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/dbformat.h"
#include "strata/status.h"

namespace strata {

constexpr int kNumLevels = 7;

struct FileMeta {
  uint64_t number = 0;
  uint64_t size = 0;
  std::string smallest, largest;  // user keys; a user key never spans two files of a level
  SequenceNumber smallest_seq = 0, largest_seq = 0;
  uint64_t entries = 0, deletions = 0;
};

struct VersionEdit {
  std::optional<uint64_t> log_number;
  std::optional<uint64_t> next_file_number;
  std::optional<SequenceNumber> last_sequence;
  std::vector<std::pair<int, FileMeta>> new_files;
  std::vector<std::pair<int, uint64_t>> deleted_files;

  std::string Encode() const;
  Status DecodeFrom(std::string_view in);
};

}  // namespace strata
