// A whole stream read for DUMP and staged by RESTORE (types/stream_groups.h), record by
// record as types/stream.h and types/stream_groups.h draw them.
#include "types/stream_group_records.h"

namespace strata::types {

using namespace records;  // NOLINT: the records' third user

Result<StreamValue> ReadStreamValue(const OpArgs& op, const Collection& c) {
  StreamValue v;
  v.last_id = c.meta.last_id;
  v.first_id = c.meta.first_id;
  v.max_deleted = c.meta.max_deleted;
  v.entries_added = c.meta.entries_added;
  auto entries = Stream::Range(op, c, StreamId{}, Stream::kMaxId, 0, false);
  if (!entries.ok()) return entries.status();
  v.entries = std::move(*entries);
  auto groups = StreamGroups::Groups(op, c);
  if (!groups.ok()) return groups.status();
  bool bad = false;
  for (StreamGroup& g : *groups) {
    StreamValue::Group& out = v.groups.emplace_back();
    std::string pel = PelPrefix(g.name), consumers = ConsumerPrefix(g.name);
    Status s = ForEachWithPrefix(op, c, pel, [&](std::string_view suffix, std::string_view value) {
      PendingEntry& p = out.pending.emplace_back();
      p.id = Stream::DecodeId(suffix.data() + pel.size());
      return DecodePending(value, &p) || !(bad = true);
    });
    if (s.ok()) {
      s = ForEachWithPrefix(op, c, consumers, [&](std::string_view suffix, std::string_view value) {
        StreamConsumer& consumer = out.consumers.emplace_back();
        consumer.name.assign(suffix.substr(consumers.size()));
        return DecodeConsumer(value, &consumer) || !(bad = true);
      });
    }
    if (!s.ok()) return s;
    if (bad) return Corrupt();
    out.group = std::move(g);
  }
  return v;
}

Status WriteStreamValue(const OpArgs& op, std::string_view key, const StreamValue& v,
                        int64_t expire_ms) {
  Collection c;
  c.db = op.db;
  c.found = true;
  c.expire_ms = expire_ms;
  c.meta.version = op.ks.NewVersion();
  c.meta.size = v.entries.size();
  c.meta.last_id = v.last_id;
  c.meta.first_id = v.entries.empty() ? StreamId{} : v.entries.front().id;
  c.meta.max_deleted = v.max_deleted;
  c.meta.entries_added = v.entries_added;
  c.meta.groups = v.groups.size();
  for (const StreamEntry& e : v.entries) Stream::PutEntry(op, c, e);
  for (const StreamValue::Group& g : v.groups) {
    Loaded l;
    l.c = c;
    l.g = g.group;
    l.g.pending = g.pending.size();
    l.g.consumers = g.consumers.size();
    for (const StreamConsumer& consumer : g.consumers) l.consumers.emplace(consumer.name, consumer);
    for (const PendingEntry& p : g.pending) PutPending(op, l, p);
    Status s = Save(op, key, l, false);
    if (!s.ok()) return s;
  }
  return SaveCollection(op.ks, key, Type::kStream, c);
}

}  // namespace strata::types
