// The records of stream consumer groups (types/stream_group_records.h).
#include "types/stream_group_records.h"

#include "strata/coding.h"

namespace strata::types::records {


std::string Lp(std::string_view s) {
  std::string out;
  PutLengthPrefixed(&out, s);
  return out;
}

std::string GroupSuffix(std::string_view group) { return "g" + std::string(group); }
std::string PelPrefix(std::string_view group) { return "p" + Lp(group); }
std::string PelSuffix(std::string_view group, StreamId id) {
  std::string out = PelPrefix(group);
  Stream::PutId(&out, id);
  return out;
}
std::string ConsumerPrefix(std::string_view group) { return "c" + Lp(group); }
std::string ConsumerSuffix(std::string_view group, std::string_view consumer) {
  return ConsumerPrefix(group) + std::string(consumer);
}
std::string OwnPrefix(std::string_view group, std::string_view consumer) {
  return "q" + Lp(group) + Lp(consumer);
}
std::string OwnSuffix(std::string_view group, std::string_view consumer, StreamId id) {
  std::string out = OwnPrefix(group, consumer);
  Stream::PutId(&out, id);
  return out;
}
// The first suffix past every one that starts with prefix.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

Status Corrupt() { return Status::Corruption("stream group record does not decode"); }

std::string EncodeGroup(const StreamGroup& g) {
  std::string out;
  Stream::PutId(&out, g.last_delivered);
  PutVarint64(&out, static_cast<uint64_t>(g.entries_read + 1));
  PutVarint64(&out, g.pending);
  PutVarint64(&out, g.consumers);
  return out;
}

bool DecodeGroup(std::string_view v, StreamGroup* g) {
  if (v.size() < 16) return false;
  g->last_delivered = Stream::DecodeId(v.data());
  v.remove_prefix(16);
  uint64_t read;
  if (!GetVarint64(&v, &read) || !GetVarint64(&v, &g->pending) || !GetVarint64(&v, &g->consumers)) {
    return false;
  }
  g->entries_read = static_cast<int64_t>(read) - 1;
  return v.empty();
}

std::string EncodePending(const PendingEntry& p) {
  std::string out;
  PutLengthPrefixed(&out, p.consumer);
  PutBigEndian64(&out, static_cast<uint64_t>(p.delivery_ms));
  PutVarint64(&out, p.deliveries);
  return out;
}

bool DecodePending(std::string_view v, PendingEntry* p) {
  std::string_view consumer;
  if (!GetLengthPrefixed(&v, &consumer) || v.size() < 8) return false;
  p->consumer.assign(consumer);
  p->delivery_ms = static_cast<int64_t>(DecodeBigEndian64(v.data()));
  v.remove_prefix(8);
  return GetVarint64(&v, &p->deliveries) && v.empty();
}

std::string EncodeConsumer(const StreamConsumer& c) {
  std::string out;
  PutBigEndian64(&out, static_cast<uint64_t>(c.seen_ms));
  PutBigEndian64(&out, static_cast<uint64_t>(c.active_ms));
  PutVarint64(&out, c.pending);
  return out;
}

bool DecodeConsumer(std::string_view v, StreamConsumer* c) {
  if (v.size() < 16) return false;
  c->seen_ms = static_cast<int64_t>(DecodeBigEndian64(v.data()));
  c->active_ms = static_cast<int64_t>(DecodeBigEndian64(v.data() + 8));
  v.remove_prefix(16);
  return GetVarint64(&v, &c->pending) && v.empty();
}

Result<bool> LoadGroup(const OpArgs& op, std::string_view key, std::string_view group, Loaded* l,
                       GroupError* error) {
  auto c = Stream::Load(op, key);
  if (!c.ok()) return c.status();
  l->c = std::move(*c);
  if (!l->c.found) return *error = GroupError::kNoKey, false;
  auto v = ReadElement(op.ks, l->c, GroupSuffix(group));
  if (!v.ok()) return v.status();
  if (!v->has_value()) return *error = GroupError::kNoGroup, false;
  l->g.name.assign(group);
  if (!DecodeGroup(**v, &l->g)) return Corrupt();
  *error = GroupError::kNone;
  return true;
}

// The consumer (created when missing and create; nullptr then if not).
Result<StreamConsumer*> GetConsumer(const OpArgs& op, Loaded* l, std::string_view name, bool create,
                                    bool* created) {
  std::string n(name);
  if (auto it = l->consumers.find(n); it != l->consumers.end()) return &it->second;
  auto v = ReadElement(op.ks, l->c, ConsumerSuffix(l->g.name, name));
  if (!v.ok()) return v.status();
  StreamConsumer c;
  c.name = n;
  if (v->has_value()) {
    if (!DecodeConsumer(**v, &c)) return Corrupt();
  } else {
    if (!create) return static_cast<StreamConsumer*>(nullptr);
    c.seen_ms = c.active_ms = op.now_ms;
    l->g.consumers++;
    if (created) *created = true;
  }
  return &l->consumers.emplace(n, std::move(c)).first->second;
}

// meta: write the stream's metadata too, which tells WATCH and blocked clients that the key
// changed; a read that delivered nothing must not (its blocked reader would wake itself).
Status Save(const OpArgs& op, std::string_view key, Loaded& l, bool meta) {
  op.ks.PutElement(ElementKey(op.ks, l.c, GroupSuffix(l.g.name)), EncodeGroup(l.g), kUncounted);
  for (const auto& [name, c] : l.consumers) {
    op.ks.PutElement(ElementKey(op.ks, l.c, ConsumerSuffix(l.g.name, name)), EncodeConsumer(c),
                     kUncounted);
  }
  return meta ? SaveCollection(op.ks, key, Type::kStream, l.c) : Status::OK();
}

Status ForEachWithPrefix(const OpArgs& op, const Collection& c, const std::string& prefix,
                         const SuffixFn& fn, std::string from) {
  if (c.meta.version == 0) return Status::OK();
  return ForEachElement(op.ks, c, kSubkeyTag, fn, false, from.empty() ? prefix : from,
                        PrefixEnd(prefix));
}

void PutPending(const OpArgs& op, Loaded& l, const PendingEntry& p) {
  op.ks.PutElement(ElementKey(op.ks, l.c, PelSuffix(l.g.name, p.id)), EncodePending(p), kUncounted);
  op.ks.PutElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p.consumer, p.id)), "", kUncounted);
}

void DropPending(const OpArgs& op, Loaded& l, const PendingEntry& p) {
  op.ks.DeleteElement(ElementKey(op.ks, l.c, PelSuffix(l.g.name, p.id)), kUncounted);
  op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p.consumer, p.id)), kUncounted);
}

Result<std::optional<PendingEntry>> ReadPending(const OpArgs& op, Loaded& l, StreamId id) {
  auto v = ReadElement(op.ks, l.c, PelSuffix(l.g.name, id));
  if (!v.ok()) return v.status();
  if (!v->has_value()) return std::optional<PendingEntry>();
  PendingEntry p;
  p.id = id;
  if (!DecodePending(**v, &p)) return Corrupt();
  return std::optional<PendingEntry>(std::move(p));
}

// Moves pending entry p (already read) to consumer `to` (its counts too).
Status Reassign(const OpArgs& op, Loaded& l, PendingEntry* p, std::string_view to) {
  if (p->consumer == to) return Status::OK();
  auto from = GetConsumer(op, &l, p->consumer, true);
  if (!from.ok()) return from.status();
  if ((*from)->pending > 0) (*from)->pending--;
  op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p->consumer, p->id)), kUncounted);
  auto dest = GetConsumer(op, &l, to, true);
  if (!dest.ok()) return dest.status();
  (*dest)->pending++;
  p->consumer.assign(to);
  return Status::OK();
}

// Redis's streamRangeHasTombstones(s, start, +): an XDEL at or after start.
bool TombstonesFrom(const CollectionMeta& m, StreamId start) {
  if (m.size == 0 || m.max_deleted == StreamId{}) return false;
  return start <= m.max_deleted;
}

// Redis's streamEstimateDistanceFromFirstEverEntry: the entries_read a reader at id has, or
// -1 when the counters cannot tell.
int64_t EstimateEntriesRead(const CollectionMeta& m, StreamId id) {
  auto added = static_cast<int64_t>(m.entries_added);
  if (m.entries_added == 0) return 0;
  if (m.size == 0 && id <= m.last_id) return added;
  if (id == m.last_id) return added;
  if (id > m.last_id) return -1;
  if (m.max_deleted == StreamId{} || m.max_deleted < m.first_id) {
    if (id < m.first_id) return added - static_cast<int64_t>(m.size);
    if (id == m.first_id) return added - static_cast<int64_t>(m.size) + 1;
  }
  return -1;
}

}  // namespace strata::types::records
