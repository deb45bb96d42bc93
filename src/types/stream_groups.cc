#include "types/stream_groups.h"

#include <algorithm>
#include <map>

#include "strata/coding.h"

namespace strata::types {
namespace {

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

// A group as one operation works on it: the stream, the group, and the consumers it touches
// (written back by Save).
struct Loaded {
  Collection c;
  StreamGroup g;
  std::map<std::string, StreamConsumer> consumers;  // loaded or created, to save
};

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
                                    bool* created = nullptr) {
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
Status Save(const OpArgs& op, std::string_view key, Loaded& l, bool meta = true) {
  op.ks.PutElement(ElementKey(op.ks, l.c, GroupSuffix(l.g.name)), EncodeGroup(l.g));
  for (const auto& [name, c] : l.consumers) {
    op.ks.PutElement(ElementKey(op.ks, l.c, ConsumerSuffix(l.g.name, name)), EncodeConsumer(c));
  }
  return meta ? SaveCollection(op.ks, key, Type::kStream, l.c) : Status::OK();
}

using SuffixFn = std::function<bool(std::string_view suffix, std::string_view value)>;

Status ForEachWithPrefix(const OpArgs& op, const Collection& c, const std::string& prefix,
                         const SuffixFn& fn, std::string from = {}) {
  if (c.meta.version == 0) return Status::OK();
  return ForEachElement(op.ks, c, kSubkeyTag, fn, false, from.empty() ? prefix : from,
                        PrefixEnd(prefix));
}

void PutPending(const OpArgs& op, Loaded& l, const PendingEntry& p) {
  op.ks.PutElement(ElementKey(op.ks, l.c, PelSuffix(l.g.name, p.id)), EncodePending(p));
  op.ks.PutElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p.consumer, p.id)), "");
}

void DropPending(const OpArgs& op, Loaded& l, const PendingEntry& p) {
  op.ks.DeleteElement(ElementKey(op.ks, l.c, PelSuffix(l.g.name, p.id)));
  op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p.consumer, p.id)));
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
  op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(l.g.name, p->consumer, p->id)));
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

}  // namespace

std::optional<int64_t> StreamGroups::Lag(const CollectionMeta& m, const StreamGroup& g) {
  if (m.entries_added == 0) return 0;
  auto added = static_cast<int64_t>(m.entries_added);
  if (g.entries_read >= 0 && !TombstonesFrom(m, g.last_delivered)) return added - g.entries_read;
  int64_t read = EstimateEntriesRead(m, g.last_delivered);
  if (read < 0) return std::nullopt;
  return added - read;
}

Result<GroupError> StreamGroups::Create(const OpArgs& op, std::string_view key,
                                        std::string_view group, std::optional<StreamId> id,
                                        bool mkstream, int64_t entries_read) {
  auto c = Stream::Load(op, key);
  if (!c.ok()) return c.status();
  if (!c->found && !mkstream) return GroupError::kNoKey;
  auto v = ReadElement(op.ks, *c, GroupSuffix(group));
  if (!v.ok()) return v.status();
  if (v->has_value()) return GroupError::kGroupExists;
  EnsureVersion(op.ks, &*c);
  StreamGroup g;
  g.last_delivered = id.value_or(c->meta.last_id);
  g.entries_read = entries_read;
  op.ks.PutElement(ElementKey(op.ks, *c, GroupSuffix(group)), EncodeGroup(g));
  c->meta.groups++;
  Status s = SaveCollection(op.ks, key, Type::kStream, *c);
  if (!s.ok()) return s;
  return GroupError::kNone;
}

Result<GroupError> StreamGroups::SetId(const OpArgs& op, std::string_view key,
                                       std::string_view group, std::optional<StreamId> id,
                                       int64_t entries_read) {
  Loaded l;
  GroupError error;
  auto found = LoadGroup(op, key, group, &l, &error);
  if (!found.ok()) return found.status();
  if (!*found) return error;
  l.g.last_delivered = id.value_or(l.c.meta.last_id);
  l.g.entries_read = entries_read;
  op.ks.PutElement(ElementKey(op.ks, l.c, GroupSuffix(group)), EncodeGroup(l.g));
  Status s = SaveCollection(op.ks, key, Type::kStream, l.c);
  if (!s.ok()) return s;
  return GroupError::kNone;
}

Result<bool> StreamGroups::Destroy(const OpArgs& op, std::string_view key, std::string_view group) {
  Loaded l;
  GroupError error;
  auto found = LoadGroup(op, key, group, &l, &error);
  if (!found.ok() || !*found) return found;
  // Its records go with it: the group, its consumers, their pending entries.
  std::vector<std::string> doomed = {GroupSuffix(group)};
  for (const std::string& prefix : {PelPrefix(group), ConsumerPrefix(group), "q" + Lp(group)}) {
    Status s = ForEachWithPrefix(op, l.c, prefix, [&](std::string_view suffix, std::string_view) {
      doomed.emplace_back(suffix);
      return true;
    });
    if (!s.ok()) return s;
  }
  for (const std::string& suffix : doomed) op.ks.DeleteElement(ElementKey(op.ks, l.c, suffix));
  l.c.meta.groups--;
  Status s = SaveCollection(op.ks, key, Type::kStream, l.c);
  if (!s.ok()) return s;
  return true;
}

Result<bool> StreamGroups::CreateConsumer(const OpArgs& op, std::string_view key,
                                          std::string_view group, std::string_view consumer,
                                          GroupError* error) {
  Loaded l;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok() || !*found) return found;
  bool created = false;
  auto c = GetConsumer(op, &l, consumer, true, &created);
  if (!c.ok()) return c.status();
  if (!created) return false;
  l.consumers.begin()->second.seen_ms = op.now_ms;
  Status s = Save(op, key, l);
  if (!s.ok()) return s;
  return true;
}

Result<uint64_t> StreamGroups::DeleteConsumer(const OpArgs& op, std::string_view key,
                                              std::string_view group, std::string_view consumer,
                                              GroupError* error) {
  Loaded l;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return uint64_t{0};
  auto c = GetConsumer(op, &l, consumer, false);
  if (!c.ok()) return c.status();
  if (*c == nullptr) return uint64_t{0};
  std::vector<StreamId> ids;
  std::string own = OwnPrefix(group, consumer);
  Status s = ForEachWithPrefix(op, l.c, own, [&](std::string_view suffix, std::string_view) {
    ids.push_back(Stream::DecodeId(suffix.data() + own.size()));
    return true;
  });
  if (!s.ok()) return s;
  for (StreamId id : ids) {
    op.ks.DeleteElement(ElementKey(op.ks, l.c, PelSuffix(group, id)));
    op.ks.DeleteElement(ElementKey(op.ks, l.c, OwnSuffix(group, consumer, id)));
  }
  l.g.pending -= std::min<uint64_t>(l.g.pending, ids.size());
  l.g.consumers--;
  l.consumers.clear();
  op.ks.DeleteElement(ElementKey(op.ks, l.c, ConsumerSuffix(group, consumer)));
  s = Save(op, key, l);
  if (!s.ok()) return s;
  return static_cast<uint64_t>(ids.size());
}

Result<std::vector<GroupEntry>> StreamGroups::Read(const OpArgs& op, std::string_view key,
                                                   std::string_view group,
                                                   std::string_view consumer,
                                                   std::optional<StreamId> after, uint64_t count,
                                                   bool noack, GroupError* error) {
  Loaded l;
  std::vector<GroupEntry> out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  auto me = GetConsumer(op, &l, consumer, true);
  if (!me.ok()) return me.status();
  (*me)->seen_ms = op.now_ms;
  if (!after) {
    // New entries: past the group's cursor.
    StreamId last = l.g.last_delivered;
    if (last == Stream::kMaxId) return out;
    StreamId from =
        last.seq == UINT64_MAX ? StreamId{last.ms + 1, 0} : StreamId{last.ms, last.seq + 1};
    auto entries = Stream::Range(op, key, from, Stream::kMaxId, count, false);
    if (!entries.ok()) return entries.status();
    for (StreamEntry& e : *entries) {
      if (l.g.entries_read >= 0 && !TombstonesFrom(l.c.meta, e.id)) {
        l.g.entries_read++;  // a valid counter and no tombstone ahead: one more read
      } else if (l.c.meta.entries_added > 0) {
        l.g.entries_read = EstimateEntriesRead(l.c.meta, e.id);
      }
      l.g.last_delivered = e.id;
      if (!noack) {
        auto old = ReadPending(op, l, e.id);  // a SETID back in time may re-deliver one
        if (!old.ok()) return old.status();
        PendingEntry p{e.id, std::string(consumer), op.now_ms, 1};
        if (old->has_value()) {
          p = **old;
          if (Status s = Reassign(op, l, &p, consumer); !s.ok()) return s;
          p.delivery_ms = op.now_ms;
          p.deliveries++;
        } else {
          (*me)->pending++;
          l.g.pending++;
        }
        PutPending(op, l, p);
      }
      out.push_back(GroupEntry{std::move(e), false});
    }
    if (!out.empty()) (*me)->active_ms = op.now_ms;
  } else {
    // The consumer's own pending entries after `after`: delivered again.
    std::string own = OwnPrefix(group, consumer);
    std::string from = own;
    Stream::PutId(&from, *after);
    from.push_back('\0');
    std::vector<StreamId> ids;
    Status s = ForEachWithPrefix(
        op, l.c, own,
        [&](std::string_view suffix, std::string_view) {
          ids.push_back(Stream::DecodeId(suffix.data() + own.size()));
          return count == 0 || ids.size() < count;
        },
        from);
    if (!s.ok()) return s;
    for (StreamId id : ids) {
      auto p = ReadPending(op, l, id);
      if (!p.ok()) return p.status();
      if (!p->has_value()) continue;
      (*p)->delivery_ms = op.now_ms;
      (*p)->deliveries++;
      PutPending(op, l, **p);
      auto e = Stream::Get(op, l.c, id);
      if (!e.ok()) return e.status();
      GroupEntry g;
      g.entry.id = id;
      if (e->has_value()) {
        g.entry = std::move(**e);
      } else {
        g.deleted = true;
      }
      out.push_back(std::move(g));
    }
  }
  Status s = Save(op, key, l, !out.empty());
  if (!s.ok()) return s;
  return out;
}

Result<uint64_t> StreamGroups::Ack(const OpArgs& op, std::string_view key, std::string_view group,
                                   std::span<const StreamId> ids) {
  Loaded l;
  GroupError error;
  auto found = LoadGroup(op, key, group, &l, &error);
  if (!found.ok()) return found.status();
  if (!*found) return uint64_t{0};
  uint64_t acked = 0;
  for (StreamId id : ids) {
    auto p = ReadPending(op, l, id);
    if (!p.ok()) return p.status();
    if (!p->has_value()) continue;
    DropPending(op, l, **p);
    auto c = GetConsumer(op, &l, (*p)->consumer, true);
    if (!c.ok()) return c.status();
    if ((*c)->pending > 0) (*c)->pending--;
    l.g.pending--;
    ++acked;
  }
  if (acked == 0) return acked;
  Status s = Save(op, key, l);
  if (!s.ok()) return s;
  return acked;
}

Result<std::vector<PendingEntry>> StreamGroups::Pending(const OpArgs& op, std::string_view key,
                                                        std::string_view group,
                                                        const PendingQuery& q, GroupError* error) {
  Loaded l;
  std::vector<PendingEntry> out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found || q.count == 0 || q.from > q.to) return out;
  std::string prefix = q.consumer ? OwnPrefix(group, *q.consumer) : PelPrefix(group);
  std::string from = prefix;
  Stream::PutId(&from, q.from);
  bool bad = false;
  std::vector<StreamId> own;
  Status s = ForEachWithPrefix(
      op, l.c, prefix,
      [&](std::string_view suffix, std::string_view v) {
        StreamId id = Stream::DecodeId(suffix.data() + prefix.size());
        if (id > q.to) return false;
        if (q.consumer) {
          own.push_back(id);
          return true;
        }
        PendingEntry p;
        p.id = id;
        if (!DecodePending(v, &p)) return !(bad = true);
        if (op.now_ms - p.delivery_ms >= q.min_idle_ms) out.push_back(std::move(p));
        return out.size() < q.count;
      },
      from);
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  for (StreamId id : own) {  // a consumer's own list names the entries; 'p' has their state
    if (out.size() >= q.count) break;
    auto p = ReadPending(op, l, id);
    if (!p.ok()) return p.status();
    if (p->has_value() && op.now_ms - (*p)->delivery_ms >= q.min_idle_ms) out.push_back(**p);
  }
  return out;
}

Result<StreamGroups::Summary> StreamGroups::PendingSummary(const OpArgs& op, std::string_view key,
                                                           std::string_view group,
                                                           GroupError* error) {
  Loaded l;
  Summary out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  std::string prefix = PelPrefix(group);
  std::map<std::string, uint64_t> counts;
  bool bad = false;
  Status s = ForEachWithPrefix(op, l.c, prefix, [&](std::string_view suffix, std::string_view v) {
    PendingEntry p;
    if (!DecodePending(v, &p)) return !(bad = true);
    StreamId id = Stream::DecodeId(suffix.data() + prefix.size());
    if (out.count++ == 0) out.first = id;
    out.last = id;
    counts[p.consumer]++;
    return true;
  });
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  out.by_consumer.assign(counts.begin(), counts.end());
  return out;
}

Result<std::vector<GroupEntry>> StreamGroups::Claim(const OpArgs& op, std::string_view key,
                                                    std::string_view group,
                                                    std::string_view consumer,
                                                    std::span<const StreamId> ids,
                                                    const ClaimOptions& opt, GroupError* error) {
  Loaded l;
  std::vector<GroupEntry> out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  if (opt.last_id && *opt.last_id > l.g.last_delivered) l.g.last_delivered = *opt.last_id;
  auto me = GetConsumer(op, &l, consumer, true);
  if (!me.ok()) return me.status();
  (*me)->seen_ms = op.now_ms;
  int64_t delivery_ms = opt.time_ms   ? *opt.time_ms
                        : opt.idle_ms ? op.now_ms - *opt.idle_ms
                                      : op.now_ms;
  for (StreamId id : ids) {
    auto p = ReadPending(op, l, id);
    if (!p.ok()) return p.status();
    auto e = Stream::Get(op, l.c, id);
    if (!e.ok()) return e.status();
    PendingEntry pe;
    if (!p->has_value()) {
      // FORCE makes an entry that exists pending for the consumer.
      if (!opt.force || !e->has_value()) continue;
      pe = PendingEntry{id, std::string(consumer), delivery_ms, 0};
      (*me)->pending++;
      l.g.pending++;
    } else {
      pe = **p;
      if (!e->has_value()) {  // deleted meanwhile: it leaves the PEL
        DropPending(op, l, pe);
        auto owner = GetConsumer(op, &l, pe.consumer, true);
        if (!owner.ok()) return owner.status();
        if ((*owner)->pending > 0) (*owner)->pending--;
        l.g.pending--;
        continue;
      }
      if (opt.min_idle_ms > 0 && op.now_ms - pe.delivery_ms < opt.min_idle_ms) continue;
      if (Status s = Reassign(op, l, &pe, consumer); !s.ok()) return s;
    }
    pe.delivery_ms = delivery_ms;
    if (opt.retry_count) {
      pe.deliveries = *opt.retry_count;
    } else if (!opt.justid) {
      pe.deliveries++;
    }
    PutPending(op, l, pe);
    (*me)->active_ms = op.now_ms;
    GroupEntry g;
    g.entry = opt.justid ? StreamEntry{id, {}} : std::move(**e);
    out.push_back(std::move(g));
  }
  Status s = Save(op, key, l);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<GroupEntry>> StreamGroups::AutoClaim(
    const OpArgs& op, std::string_view key, std::string_view group, std::string_view consumer,
    int64_t min_idle, StreamId start, uint64_t count, bool justid, StreamId* next,
    std::vector<StreamId>* deleted, GroupError* error) {
  Loaded l;
  std::vector<GroupEntry> out;
  *next = StreamId{};
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  std::string prefix = PelPrefix(group);
  std::string from = prefix;
  Stream::PutId(&from, start);
  // Redis looks at up to count * 10 pending entries per call.
  uint64_t attempts = count * 10;
  std::vector<StreamId> ids;
  Status s = ForEachWithPrefix(
      op, l.c, prefix,
      [&](std::string_view suffix, std::string_view) {
        StreamId id = Stream::DecodeId(suffix.data() + prefix.size());
        if (ids.size() >= attempts) {
          *next = id;
          return false;
        }
        ids.push_back(id);
        return true;
      },
      from);
  if (!s.ok()) return s;
  auto me = GetConsumer(op, &l, consumer, true);
  if (!me.ok()) return me.status();
  (*me)->seen_ms = op.now_ms;
  size_t i = 0;
  for (; i < ids.size() && out.size() < count; ++i) {
    auto p = ReadPending(op, l, ids[i]);
    if (!p.ok()) return p.status();
    if (!p->has_value()) continue;
    PendingEntry pe = **p;
    auto e = Stream::Get(op, l.c, ids[i]);
    if (!e.ok()) return e.status();
    if (!e->has_value()) {
      DropPending(op, l, pe);
      auto owner = GetConsumer(op, &l, pe.consumer, true);
      if (!owner.ok()) return owner.status();
      if ((*owner)->pending > 0) (*owner)->pending--;
      l.g.pending--;
      deleted->push_back(ids[i]);
      continue;
    }
    if (op.now_ms - pe.delivery_ms < min_idle) continue;
    if (Status st = Reassign(op, l, &pe, consumer); !st.ok()) return st;
    pe.delivery_ms = op.now_ms;
    if (!justid) pe.deliveries++;
    PutPending(op, l, pe);
    (*me)->active_ms = op.now_ms;
    GroupEntry g;
    g.entry = justid ? StreamEntry{ids[i], {}} : std::move(**e);
    out.push_back(std::move(g));
  }
  if (i < ids.size()) *next = ids[i];
  s = Save(op, key, l);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<StreamGroup>> StreamGroups::Groups(const OpArgs& op, const Collection& c) {
  std::vector<StreamGroup> out;
  bool bad = false;
  Status s = ForEachWithPrefix(op, c, "g", [&](std::string_view suffix, std::string_view v) {
    StreamGroup g;
    g.name.assign(suffix.substr(1));
    if (!DecodeGroup(v, &g)) return !(bad = true);
    out.push_back(std::move(g));
    return true;
  });
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  return out;
}

Result<std::vector<StreamConsumer>> StreamGroups::Consumers(const OpArgs& op, std::string_view key,
                                                            std::string_view group,
                                                            GroupError* error) {
  Loaded l;
  std::vector<StreamConsumer> out;
  auto found = LoadGroup(op, key, group, &l, error);
  if (!found.ok()) return found.status();
  if (!*found) return out;
  std::string prefix = ConsumerPrefix(group);
  bool bad = false;
  Status s = ForEachWithPrefix(op, l.c, prefix, [&](std::string_view suffix, std::string_view v) {
    StreamConsumer c;
    c.name.assign(suffix.substr(prefix.size()));
    if (!DecodeConsumer(v, &c)) return !(bad = true);
    out.push_back(std::move(c));
    return true;
  });
  if (!s.ok()) return s;
  if (bad) return Corrupt();
  return out;
}

}  // namespace strata::types
