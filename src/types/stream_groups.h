// Stream consumer groups: each group's cursor, its pending entries list (PEL) and its
// consumers, as element keys of the stream (types/stream.h), under the stream's version:
//
//   'g' | group                                  -> last delivered ID: 16 | entries read:
//                                                   varint (+1; 0 is unknown) | pending:
//                                                   varint | consumers: varint
//   'p' | len | group | id: 16                   -> len | consumer | delivery ms: 8 |
//                                                   deliveries: varint
//   'c' | len | group | consumer                 -> seen ms: 8 | active ms: 8 | pending:
//                                                   varint
//   'q' | len | group | len | consumer | id: 16  -> "" (a consumer's own pending entries)
//
// (len: a varint length.) Invariants, kept here and nowhere else:
//   - an entry is pending for a group exactly when its 'p' key exists, and then the 'q' key
//     of the consumer that 'p' names exists too; the group's and the consumer's pending
//     counts are the numbers of those keys;
//   - the stream's metadata counts the groups;
//   - a pending entry may outlive the stream entry (XDEL, trims): it is then answered as
//     deleted, as in Redis.
// Loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/stream.h"

namespace strata::types {

// What an entry read or claimed from a group is: the entry, or (fields empty and
// deleted) an ID whose entry is gone.
struct GroupEntry {
  StreamEntry entry;
  bool deleted = false;
};

enum class GroupError { kNone, kNoKey, kNoGroup, kGroupExists };

class StreamGroups {
 public:
  // XGROUP CREATE: last delivered is `id` (nullopt: the stream's last ID, "$").
  static Result<GroupError> Create(const OpArgs& op, std::string_view key, std::string_view group,
                                   std::optional<StreamId> id, bool mkstream, int64_t entries_read);
  // XGROUP SETID.
  static Result<GroupError> SetId(const OpArgs& op, std::string_view key, std::string_view group,
                                  std::optional<StreamId> id, int64_t entries_read);
  // XGROUP DESTROY: whether there was such a group.
  static Result<bool> Destroy(const OpArgs& op, std::string_view key, std::string_view group);
  // XGROUP CREATECONSUMER: whether it is new (kNoGroup in *error otherwise).
  static Result<bool> CreateConsumer(const OpArgs& op, std::string_view key, std::string_view group,
                                     std::string_view consumer, GroupError* error);
  // XGROUP DELCONSUMER: how many entries it had pending.
  static Result<uint64_t> DeleteConsumer(const OpArgs& op, std::string_view key,
                                         std::string_view group, std::string_view consumer,
                                         GroupError* error);

  // XREADGROUP for one stream: new entries (after == nullopt, ">") delivered to consumer
  // and made pending unless noack, or the consumer's own pending entries after `after`.
  static Result<std::vector<GroupEntry>> Read(const OpArgs& op, std::string_view key,
                                              std::string_view group, std::string_view consumer,
                                              std::optional<StreamId> after, uint64_t count,
                                              bool noack, GroupError* error);
  // XACK: how many of ids were pending.
  static Result<uint64_t> Ack(const OpArgs& op, std::string_view key, std::string_view group,
                              std::span<const StreamId> ids);

  struct PendingQuery {
    StreamId from, to = Stream::kMaxId;
    uint64_t count = 0;
    int64_t min_idle_ms = 0;
    std::optional<std::string> consumer;
  };
  // XPENDING's extended form.
  static Result<std::vector<PendingEntry>> Pending(const OpArgs& op, std::string_view key,
                                                   std::string_view group, const PendingQuery& q,
                                                   GroupError* error);
  // XPENDING's summary: every pending entry (the caller counts them by consumer).
  struct Summary {
    uint64_t count = 0;
    StreamId first, last;
    std::vector<std::pair<std::string, uint64_t>> by_consumer;  // in name order
  };
  static Result<Summary> PendingSummary(const OpArgs& op, std::string_view key,
                                        std::string_view group, GroupError* error);

  struct ClaimOptions {
    int64_t min_idle_ms = 0;
    std::optional<int64_t> idle_ms, time_ms;
    std::optional<uint64_t> retry_count;
    bool force = false, justid = false;
    std::optional<StreamId> last_id;
  };
  // XCLAIM: the entries now the consumer's (those deleted meanwhile leave the PEL).
  static Result<std::vector<GroupEntry>> Claim(const OpArgs& op, std::string_view key,
                                               std::string_view group, std::string_view consumer,
                                               std::span<const StreamId> ids,
                                               const ClaimOptions& opt, GroupError* error);
  // XAUTOCLAIM: claims up to count entries idle at least min_idle from start on; *next is
  // where to go on (0-0: the end); *deleted the pending IDs whose entries were gone.
  static Result<std::vector<GroupEntry>> AutoClaim(const OpArgs& op, std::string_view key,
                                                   std::string_view group,
                                                   std::string_view consumer, int64_t min_idle,
                                                   StreamId start, uint64_t count, bool justid,
                                                   StreamId* next, std::vector<StreamId>* deleted,
                                                   GroupError* error);

  // A group's lag: entries added that it has not read, when Redis's counters can tell.
  static std::optional<int64_t> Lag(const CollectionMeta& m, const StreamGroup& g);

  // XINFO GROUPS, XINFO CONSUMERS.
  static Result<std::vector<StreamGroup>> Groups(const OpArgs& op, const Collection& c);
  static Result<std::vector<StreamConsumer>> Consumers(const OpArgs& op, std::string_view key,
                                                       std::string_view group, GroupError* error);
};

// DUMP and RESTORE (types/stream_dump.cc): the whole stream c, and v staged as key (in op.db)
// with a new version.
Result<StreamValue> ReadStreamValue(const OpArgs& op, const Collection& c);
Status WriteStreamValue(const OpArgs& op, std::string_view key, const StreamValue& v,
                        int64_t expire_ms);

}  // namespace strata::types
