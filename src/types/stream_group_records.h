// The records of stream consumer groups, as types/stream_groups.h draws them, and the
// steps the group operations are made of (stream_groups.cc: the groups and consumers;
// stream_pending.cc: deliveries, acks and claims; stream_dump.cc: DUMP and RESTORE). Internal
// to those files.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "types/stream_groups.h"

namespace strata::types::records {

// Element suffixes (under the stream's version): 'g' group, 'p' a group's pending entry,
// 'c' a consumer, 'q' a consumer's own pending entry.
std::string Lp(std::string_view s);
std::string GroupSuffix(std::string_view group);
std::string PelPrefix(std::string_view group);
std::string PelSuffix(std::string_view group, StreamId id);
std::string ConsumerPrefix(std::string_view group);
std::string ConsumerSuffix(std::string_view group, std::string_view consumer);
std::string OwnPrefix(std::string_view group, std::string_view consumer);
std::string OwnSuffix(std::string_view group, std::string_view consumer, StreamId id);
// The first suffix past every one that starts with prefix.
std::string PrefixEnd(std::string prefix);

Status Corrupt();
std::string EncodeGroup(const StreamGroup& g);
bool DecodeGroup(std::string_view v, StreamGroup* g);
std::string EncodePending(const PendingEntry& p);
bool DecodePending(std::string_view v, PendingEntry* p);
std::string EncodeConsumer(const StreamConsumer& c);
bool DecodeConsumer(std::string_view v, StreamConsumer* c);

// A group as one operation works on it: the stream, the group, and the consumers it touches
// (written back by Save).
struct Loaded {
  Collection c;
  StreamGroup g;
  std::map<std::string, StreamConsumer> consumers;  // loaded or created, to save
};

// Loads key's group; false with *error kNoKey or kNoGroup when one is missing.
Result<bool> LoadGroup(const OpArgs& op, std::string_view key, std::string_view group, Loaded* l,
                       GroupError* error);
// The consumer (created when missing and create; nullptr then if not).
Result<StreamConsumer*> GetConsumer(const OpArgs& op, Loaded* l, std::string_view name,
                                    bool create, bool* created = nullptr);
// Writes the group and the consumers touched back; meta: the stream's metadata too, which
// tells WATCH and blocked clients that the key changed (a read that delivered nothing must
// not: its blocked reader would wake itself).
Status Save(const OpArgs& op, std::string_view key, Loaded& l, bool meta = true);

using SuffixFn = std::function<bool(std::string_view suffix, std::string_view value)>;
// The elements of c whose suffix starts with prefix, from `from` (default: the first).
Status ForEachWithPrefix(const OpArgs& op, const Collection& c, const std::string& prefix,
                         const SuffixFn& fn, std::string from = {});

// A pending entry's two keys ('p' and 'q'), written or deleted together.
void PutPending(const OpArgs& op, Loaded& l, const PendingEntry& p);
void DropPending(const OpArgs& op, Loaded& l, const PendingEntry& p);
Result<std::optional<PendingEntry>> ReadPending(const OpArgs& op, Loaded& l, StreamId id);
// Moves pending entry p (already read) to consumer `to` (its counts too).
Status Reassign(const OpArgs& op, Loaded& l, PendingEntry* p, std::string_view to);

// Redis's streamRangeHasTombstones(s, start, +): an XDEL at or after start.
bool TombstonesFrom(const CollectionMeta& m, StreamId start);
// Redis's streamEstimateDistanceFromFirstEverEntry: the entries_read a reader at id has, or
// -1 when the counters cannot tell.
int64_t EstimateEntriesRead(const CollectionMeta& m, StreamId id);

}  // namespace strata::types::records
