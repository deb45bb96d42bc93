// Stream: a metadata key plus one engine key per entry (types/collection.h):
//
//   'S' | ns | version | 'e' | id: 16 (ms: 8 BE, seq: 8 BE)  ->  count: varint, then each
//                                                               field and value
//                                                               length-prefixed
//
// so the entries are in ID order and XRANGE, XREVRANGE and XREAD are seeks with tight
// bounds. Invariants, kept here and nowhere else:
//   - the metadata's size is the number of entry keys (XLEN is one lookup);
//   - last_id is the largest ID ever given out (entries and XSETID), never lowered by XDEL
//     or a trim; every new entry's ID is above it;
//   - first_id is the first live entry (0-0 when empty), so a trim or an XDEL of the first
//     entry seeks from there and never walks the tombstones of earlier deletes;
//   - max_deleted is the largest ID XDEL removed (trims do not count, as in Redis),
//     entries_added counts every XADD;
//   - a stream may exist with no entry (it is deleted only by DEL and friends).
// Loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"
#include "types/stream_value.h"

namespace strata::types {

// How XADD and XTRIM trim: to at most `threshold` entries (MAXLEN) or to the entries at or
// above an ID (MINID), removing at most `limit` entries when limit > 0.
struct StreamTrim {
  enum class Kind { kNone, kMaxLen, kMinId } kind = Kind::kNone;
  uint64_t maxlen = 0;
  StreamId minid;
  uint64_t limit = 0;
};

// An ID as XADD asks for it: given in full, with its sequence left to the server (ms-*), or
// wholly (*).
struct StreamIdSpec {
  enum class Kind { kAuto, kAutoSeq, kExplicit } kind = Kind::kAuto;
  StreamId id;
};

enum class StreamAddError { kNone, kIdZero, kIdTooSmall, kExhausted, kSeqExhausted };

class Stream {
 public:
  static constexpr StreamId kMaxId{UINT64_MAX, UINT64_MAX};

  // Parses "ms-seq" or "ms" (seq: missing_seq). False on anything else.
  static bool ParseId(std::string_view s, uint64_t missing_seq, StreamId* out);
  // The stream's metadata; found == false when the key is missing.
  static Result<Collection> Load(const OpArgs& op, std::string_view key);

  // XADD: appends an entry (fields: field, value ...) and trims (*trimmed: how many entries
  // that removed). *error says why an ID is refused (nothing written); nullopt when the key is
  // missing and !create (NOMKSTREAM).
  static Result<std::optional<StreamId>> Add(const OpArgs& op, std::string_view key,
                                             const StreamIdSpec& spec,
                                             std::span<const std::string_view> fields, bool create,
                                             const StreamTrim& trim, StreamAddError* error,
                                             uint64_t* trimmed);
  // XTRIM: how many entries were removed.
  static Result<uint64_t> Trim(const OpArgs& op, std::string_view key, const StreamTrim& trim);
  // XDEL: how many of ids existed (and are gone now).
  static Result<uint64_t> Delete(const OpArgs& op, std::string_view key,
                                 std::span<const StreamId> ids);
  // XRANGE (reverse: XREVRANGE): the entries with from <= id <= to, at most count (0: all).
  static Result<std::vector<StreamEntry>> Range(const OpArgs& op, std::string_view key,
                                                StreamId from, StreamId to, uint64_t count,
                                                bool reverse);
  // The same on a stream already loaded.
  static Result<std::vector<StreamEntry>> Range(const OpArgs& op, const Collection& c,
                                                StreamId from, StreamId to, uint64_t count,
                                                bool reverse);
  // XSETID: sets last_id (and entries added, max deleted); checks as Redis does.
  static Status SetId(const OpArgs& op, Collection* c, std::string_view key, StreamId last,
                      std::optional<uint64_t> entries_added, std::optional<StreamId> max_deleted);
  // The first and last entries (XINFO STREAM).
  static Result<std::vector<StreamEntry>> Ends(const OpArgs& op, const Collection& c);
  // One entry by ID; nullopt when there is none.
  static Result<std::optional<StreamEntry>> Get(const OpArgs& op, const Collection& c, StreamId id);
  // Stages entry e of c (RESTORE; the metadata is the caller's).
  static void PutEntry(const OpArgs& op, const Collection& c, const StreamEntry& e);
  // 16 bytes whose order is the IDs' order, and back.
  static void PutId(std::string* out, StreamId id);
  static StreamId DecodeId(const char* p);

 private:
  static Status TrimLoaded(const OpArgs& op, Collection* c, const StreamTrim& trim,
                           uint64_t* removed);
};

}  // namespace strata::types
