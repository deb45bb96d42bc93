// Stream consumer groups, the delivery side: XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM
// (types/stream_groups.h; the records are types/stream_group_records.h).
#include <map>

#include "types/stream_group_records.h"
#include "types/stream_groups.h"

namespace strata::types {
using namespace records;  // NOLINT: this file is the records' other half

namespace {

// The reading or claiming consumer, created if new (sent as "xgroup-createconsumer", as the
// XGROUP subcommand is).
Result<StreamConsumer*> ConsumerCreatedIfNeeded(const OpArgs& op, std::string_view key, Loaded* l,
                                                std::string_view consumer) {
  bool created = false;
  auto me = GetConsumer(op, l, consumer, true, &created);
  if (me.ok() && created) op.ks.Notify(kNotifyStream, "xgroup-createconsumer", op.db, key);
  return me;
}

}  // namespace

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
  auto me = ConsumerCreatedIfNeeded(op, key, &l, consumer);
  if (!me.ok()) return me.status();
  (*me)->seen_ms = op.now_ms;
  if (!after) {
    // New entries: past the group's cursor.
    StreamId last = l.g.last_delivered;
    if (last == Stream::kMaxId) return out;
    StreamId from =
        last.seq == UINT64_MAX ? StreamId{last.ms + 1, 0} : StreamId{last.ms, last.seq + 1};
    auto entries = Stream::Range(op, l.c, from, Stream::kMaxId, count, false);
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
  auto me = ConsumerCreatedIfNeeded(op, key, &l, consumer);
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
  auto me = ConsumerCreatedIfNeeded(op, key, &l, consumer);
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

}  // namespace strata::types
