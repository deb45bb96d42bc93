// Streams in a DUMP payload, as Redis's rdb.c and t_stream.c lay them out:
//
//   nodes: len | { master ID: string of 16 (ms: 8 BE, seq: 8 BE) | listpack: string } ...
//   length: len | last ID: len, len | (19 and 21:) first ID: len, len | max deleted ID: len,
//   len | entries added: len
//   groups: len | { name: string | last delivered: len, len | (19, 21:) entries read: len |
//                   PEL: len | { ID: 16 raw | delivery ms: 8 LE | deliveries: len } ...
//                   consumers: len | { name: string | seen ms: 8 LE | (21:) active ms: 8 LE |
//                                      own PEL: len | { ID: 16 raw } ... } ... } ...
//
// A node's listpack opens with its master entry, then its entries, each relative to it:
//
//   master: count | deleted | fields: n | field ... | 0
//   entry:  flags | ms diff | seq diff | (same fields: value ... | not: n | field value ...)
//           | elements in the entry before this one
//
// flags: 1 deleted (an XDEL Redis has not compacted away), 2 same fields as the master.
#include <algorithm>
#include <charconv>
#include <map>

#include "strata/coding.h"
#include "types/rdb_format.h"

namespace strata::types::rdb {
namespace {

constexpr int64_t kFlagDeleted = 1, kFlagSameFields = 2;
// Redis's stream-node-max-entries and stream-node-max-bytes defaults.
constexpr size_t kNodeEntries = 100, kNodeBytes = 4096;

void PutRawId(std::string* out, StreamId id) {
  PutBigEndian64(out, id.ms);
  PutBigEndian64(out, id.seq);
}

void PutId(std::string* out, StreamId id) {
  PutLength(out, id.ms);
  PutLength(out, id.seq);
}

bool SameFields(const StreamEntry& e, const std::vector<std::string>& master) {
  if (e.fields.size() != 2 * master.size()) return false;
  for (size_t i = 0; i < master.size(); ++i) {
    if (e.fields[2 * i] != master[i]) return false;
  }
  return true;
}

// One node: entries [begin, end) of v, master ID and fields from the first.
std::string Node(const std::vector<StreamEntry>& entries, size_t begin, size_t* end) {
  const StreamEntry& first = entries[begin];
  std::vector<std::string> master;
  for (size_t i = 0; i < first.fields.size(); i += 2) master.push_back(first.fields[i]);
  size_t n = 0;
  auto build = [&](size_t count) {
    ListpackWriter w;
    w.AddInteger(static_cast<int64_t>(count));
    w.AddInteger(0);  // deleted
    w.AddInteger(static_cast<int64_t>(master.size()));
    for (const std::string& f : master) w.Add(f);
    w.AddInteger(0);
    for (size_t i = begin; i < begin + count; ++i) {
      const StreamEntry& e = entries[i];
      bool same = SameFields(e, master);
      w.AddInteger(same ? kFlagSameFields : 0);
      w.AddInteger(static_cast<int64_t>(e.id.ms - first.id.ms));
      w.AddInteger(static_cast<int64_t>(e.id.seq - first.id.seq));
      size_t pairs = e.fields.size() / 2;
      if (same) {
        for (size_t j = 1; j < e.fields.size(); j += 2) w.Add(e.fields[j]);
      } else {
        w.AddInteger(static_cast<int64_t>(pairs));
        for (const std::string& f : e.fields) w.Add(f);
      }
      w.AddInteger(static_cast<int64_t>(3 + (same ? pairs : 2 * pairs + 1)));
    }
    return w;
  };
  // As many entries as fit the node limits (at least one), as Redis fills its nodes.
  size_t bytes = 0;
  while (begin + n < entries.size() && n < kNodeEntries) {
    size_t entry_bytes = 8;
    for (const std::string& f : entries[begin + n].fields) entry_bytes += f.size() + 2;
    if (n > 0 && bytes + entry_bytes > kNodeBytes) break;
    bytes += entry_bytes;
    ++n;
  }
  *end = begin + n;
  return build(n).Finish();
}

bool ToInt(std::string_view s, int64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

// The entries of one node, appended to *out (deleted ones skipped). False unless the
// listpack is a well-formed node whose IDs rise above *prev.
bool ReadNode(std::string_view raw_master, std::string_view lp, std::vector<StreamEntry>* out,
              StreamId* prev, bool* any) {
  if (raw_master.size() != 16) return false;
  StreamId master{DecodeBigEndian64(raw_master.data()), DecodeBigEndian64(raw_master.data() + 8)};
  std::vector<std::string> el;
  if (!ParseListpack(lp, &el) || el.empty()) return false;
  size_t i = 0;
  auto next_int = [&](int64_t* v) { return i < el.size() && ToInt(el[i++], v); };
  int64_t count, deleted, nfields, zero;
  if (!next_int(&count) || !next_int(&deleted) || !next_int(&nfields) || nfields < 0 || count < 0 ||
      deleted < 0 || el.size() - i < static_cast<uint64_t>(nfields)) {
    return false;
  }
  std::vector<std::string_view> fields(el.begin() + i, el.begin() + i + nfields);
  i += nfields;
  if (!next_int(&zero) || zero != 0) return false;
  int64_t live = 0, dead = 0;
  while (i < el.size()) {
    size_t start = i;
    int64_t flags, ms_diff, seq_diff, n = nfields;
    if (!next_int(&flags) || !next_int(&ms_diff) || !next_int(&seq_diff)) return false;
    bool same = flags & kFlagSameFields;
    if (!same && (!next_int(&n) || n < 0)) return false;
    uint64_t values = same ? n : 2 * static_cast<uint64_t>(n);
    if (el.size() - i < values + 1) return false;
    StreamEntry e;
    e.id = {master.ms + static_cast<uint64_t>(ms_diff),
            master.seq + static_cast<uint64_t>(seq_diff)};
    for (int64_t k = 0; k < n; ++k) {
      if (same) {
        e.fields.emplace_back(fields[k]);
        e.fields.push_back(std::move(el[i++]));
      } else {
        e.fields.push_back(std::move(el[i++]));
        e.fields.push_back(std::move(el[i++]));
      }
    }
    int64_t lp_count;
    if (!next_int(&lp_count) || lp_count != static_cast<int64_t>(i - start - 1)) return false;
    if ((*any && e.id <= *prev) || e.id < master || n == 0) return false;
    *prev = e.id, *any = true;
    if (flags & kFlagDeleted) {
      ++dead;
    } else {
      ++live;
      out->push_back(std::move(e));
    }
  }
  return live == count && dead == deleted && live + dead > 0;
}

bool ReadId(Reader& r, StreamId* id) { return r.Length(&id->ms) && r.Length(&id->seq); }

bool ReadRawId(Reader& r, StreamId* id) {
  std::string_view raw;
  if (!r.Bytes(16, &raw)) return false;
  *id = {DecodeBigEndian64(raw.data()), DecodeBigEndian64(raw.data() + 8)};
  return true;
}

// One group, its PEL and its consumers; each pending entry must belong to one consumer.
bool ReadGroup(Reader& r, uint8_t rdb_type, StreamValue::Group* out) {
  StreamGroup& g = out->group;
  uint64_t entries_read, n;
  if (!r.String(&g.name) || !ReadId(r, &g.last_delivered)) return false;
  if (rdb_type >= kStreamListpacks2) {
    if (!r.Length(&entries_read)) return false;
    g.entries_read = static_cast<int64_t>(entries_read);  // 2^64-1: Redis's -1, unknown
    if (g.entries_read < -1) return false;
  }
  if (!r.Length(&n)) return false;
  std::map<StreamId, PendingEntry> pel;
  for (uint64_t k = 0; k < n; ++k) {
    PendingEntry p;
    if (!ReadRawId(r, &p.id) || !r.Millis(&p.delivery_ms) || !r.Length(&p.deliveries)) {
      return false;
    }
    if (!pel.emplace(p.id, std::move(p)).second) return false;
  }
  if (!r.Length(&n)) return false;
  for (uint64_t k = 0; k < n; ++k) {
    StreamConsumer c;
    uint64_t own;
    if (!r.String(&c.name) || !r.Millis(&c.seen_ms)) return false;
    c.active_ms = c.seen_ms;  // before 7.2: the best estimate there is, as Redis takes it
    if (rdb_type >= kStreamListpacks3 && !r.Millis(&c.active_ms)) return false;
    if (!r.Length(&own)) return false;
    for (uint64_t j = 0; j < own; ++j) {
      StreamId id;
      if (!ReadRawId(r, &id)) return false;
      auto it = pel.find(id);
      if (it == pel.end() || !it->second.consumer.empty()) return false;
      it->second.consumer = c.name;
    }
    c.pending = own;
    if (!out->consumers.empty() && out->consumers.back().name >= c.name) {
      // Redis writes them in name order; anything else is a repeat or damage.
      return false;
    }
    out->consumers.push_back(std::move(c));
  }
  for (auto& [id, p] : pel) {
    if (p.consumer.empty()) return false;  // no owner: Strata's PEL needs one
    out->pending.push_back(std::move(p));
  }
  g.pending = out->pending.size();
  g.consumers = out->consumers.size();
  return true;
}

}  // namespace

void PutStream(std::string* out, const StreamValue& v) {
  std::vector<std::pair<StreamId, std::string>> nodes;
  for (size_t begin = 0, end; begin < v.entries.size(); begin = end) {
    nodes.emplace_back(v.entries[begin].id, Node(v.entries, begin, &end));
  }
  PutLength(out, nodes.size());
  for (const auto& [master, lp] : nodes) {
    std::string raw;
    PutRawId(&raw, master);
    PutLength(out, raw.size());
    out->append(raw);
    PutLength(out, lp.size());
    out->append(lp);
  }
  PutLength(out, v.entries.size());
  PutId(out, v.last_id);
  PutId(out, v.first_id);
  PutId(out, v.max_deleted);
  PutLength(out, v.entries_added);
  PutLength(out, v.groups.size());
  for (const StreamValue::Group& g : v.groups) {
    PutString(out, g.group.name);
    PutId(out, g.group.last_delivered);
    PutLength(out, static_cast<uint64_t>(g.group.entries_read));
    PutLength(out, g.pending.size());
    for (const PendingEntry& p : g.pending) {
      PutRawId(out, p.id);
      PutMillis(out, p.delivery_ms);
      PutLength(out, p.deliveries);
    }
    PutLength(out, g.consumers.size());
    for (const StreamConsumer& c : g.consumers) {
      PutString(out, c.name);
      PutMillis(out, c.seen_ms);
      std::vector<StreamId> own;
      for (const PendingEntry& p : g.pending) {
        if (p.consumer == c.name) own.push_back(p.id);
      }
      PutLength(out, own.size());
      for (StreamId id : own) PutRawId(out, id);
    }
  }
}

bool ReadStream(Reader& r, uint8_t rdb_type, StreamValue* v) {
  uint64_t nodes, length, groups;
  if (!r.Length(&nodes)) return false;
  StreamId prev;
  bool any = false;
  for (uint64_t k = 0; k < nodes; ++k) {
    std::string master, lp;
    if (!r.String(&master) || !r.String(&lp) || !ReadNode(master, lp, &v->entries, &prev, &any)) {
      return false;
    }
  }
  if (!r.Length(&length) || !ReadId(r, &v->last_id)) return false;
  if (rdb_type >= kStreamListpacks2) {
    if (!ReadId(r, &v->first_id) || !ReadId(r, &v->max_deleted) || !r.Length(&v->entries_added)) {
      return false;
    }
  } else {
    v->entries_added = length;  // as Redis 7 takes a Redis 6 stream
  }
  if (length != v->entries.size() || (any && v->last_id < prev) ||
      v->entries_added < v->entries.size() || v->last_id < v->max_deleted) {
    return false;
  }
  v->first_id = v->entries.empty() ? StreamId{} : v->entries.front().id;
  if (!r.Length(&groups)) return false;
  for (uint64_t k = 0; k < groups; ++k) {
    StreamValue::Group g;
    if (!ReadGroup(r, rdb_type, &g)) return false;
    v->groups.push_back(std::move(g));
  }
  std::sort(v->groups.begin(), v->groups.end(),
            [](const auto& a, const auto& b) { return a.group.name < b.group.name; });
  return std::adjacent_find(v->groups.begin(), v->groups.end(), [](const auto& a, const auto& b) {
           return a.group.name == b.group.name;
         }) == v->groups.end();
}

}  // namespace strata::types::rdb
